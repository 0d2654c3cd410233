/**
 * `createApp(deps)` builds the Express application from its dependencies and never listens:
 * `main.ts` serves it, tests run it in-process on port 0.
 *
 * Order matters: request id → access log → security headers → CORS → static assets → JSON body →
 * operation match → authentication → contract validation → feature routes (each declaring its
 * permission) → 501 for a declared operation with no handler → problem+json.
 */
import cors from 'cors';
import express, { type Express } from 'express';
import helmet from 'helmet';
import { pinoHttp } from 'pino-http';
import { apiKeyRoutes, verifyApiKey } from './api-keys';
import { auditRoutes } from './audit';
import { authRoutes } from './auth';
import type { Config } from './config';
import { dashboardRoutes } from './dashboard';
import { embedTokenRoutes } from './embed-tokens';
import { interactionRoutes } from './interactions';
import { mandateRoutes } from './mandates';
import { INGEST_PATH, marketingRoutes } from './marketing';
import { notificationRoutes } from './notifications';
import { jobsRoutes } from './operations/jobs-routes';
import { operationsAssetRoutes, operationsRoutes } from './operations/operations-routes';
import { organisationRoutes } from './organisations';
import { personRoutes } from './people';
import { assertRoutesDeclareAccess } from './platform/access';
import { authenticate, type CredentialStore, type TokenSettings } from './platform/auth';
import { attachCache, ReadCache } from './platform/cache';
import type { Knex } from './platform/db';
import type { DependencyCheck } from './platform/dependency-check';
import { AppError } from './platform/errors';
import { attachEventBus, EventBus } from './platform/events';
import { idempotency } from './platform/idempotency';
import type { Logger } from './platform/logger';
import { httpMetrics } from './platform/metrics';
import type { OpenApiValidator } from './platform/openapi';
import { matchOperation, validateRequest } from './platform/openapi-middleware';
import { problemHandler } from './platform/problem-json';
import type { RedisClient } from './platform/redis';
import { requestId } from './platform/request-id';
import { Realtime, realtimeRoutes } from './realtime';
import { scoringRoutes } from './scoring';
import { UserDirectory, userRoutes } from './users';

export interface AppDeps {
  config: Config;
  logger: Logger;
  db: Knex;
  redis: RedisClient | null;
  validator: OpenApiValidator;
  /** Secret and issuer of access and embed tokens. */
  tokens: TokenSettings;
  /** The time; injected so tests can stand at a given instant (inbox buckets, overdue flags). */
  clock?: () => Date;
  /** Cached user identities for authentication; without one every request reads the user. */
  users?: UserDirectory;
  /** The job worker's health, when this process runs one or can see its state. */
  jobs?: { check(): Promise<DependencyCheck> };
  /** The event bus (started); without one, events stay in this process. */
  events?: EventBus;
  /** The read cache; without one, a cache over `redis` (or in process) is made. */
  cache?: ReadCache;
}

class NotImplementedError extends AppError {
  static override readonly status = 501;
  static override readonly slug = 'not-implemented';
  static override readonly title = 'Not implemented';
}

export function createApp(deps: AppDeps): Express {
  const { config, logger } = deps;
  const users = deps.users ?? new UserDirectory(deps.db, logger);
  const clock = deps.clock ?? (() => new Date());
  const events = deps.events ?? new EventBus({ redis: null, logger });
  attachEventBus(deps.db, events);
  attachCache(
    deps.db,
    deps.cache ?? new ReadCache({ redis: deps.redis, logger, prefix: config.redisPrefix, ...config.cache }),
  );
  const realtime = new Realtime(events, { heartbeatSeconds: config.realtime.heartbeatSeconds });
  const app = express();
  app.locals.realtime = realtime;
  app.disable('x-powered-by');
  app.set('trust proxy', config.trustProxy);
  app.set('query parser', 'simple');

  app.use(requestId());
  app.use(httpMetrics());
  app.use(
    pinoHttp({
      logger,
      genReqId: (req) => (req as express.Request).id,
      customLogLevel: (req, res, error) => {
        if (error || res.statusCode >= 500) return 'error';
        if (req.url === '/health' || req.url === '/ready') return 'debug';
        return 'info';
      },
      serializers: {
        req: (req: { id: string; method: string; url: string }) => ({
          id: req.id,
          method: req.method,
          path: req.url.split('?')[0],
        }),
        res: (res: { statusCode: number }) => ({ status: res.statusCode }),
      },
    }),
  );
  app.use(helmet({ crossOriginResourcePolicy: { policy: 'same-site' } }));
  app.use(
    cors({
      origin: (origin, callback) =>
        callback(null, origin !== undefined && config.corsOrigins.includes(origin)),
      methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
      allowedHeaders: [
        'Authorization',
        'Content-Type',
        'Idempotency-Key',
        'If-Match',
        'X-Request-Id',
        'X-Api-Key',
        'Last-Event-ID',
      ],
      exposedHeaders: ['X-Request-Id', 'ETag', 'Location', 'Retry-After'],
      maxAge: 600,
    }),
  );
  app.use(operationsAssetRoutes());
  // Webhook bodies stay raw bytes: their signatures are checked before they are parsed.
  app.use(INGEST_PATH, express.raw({ type: () => true, limit: config.marketing.bodyLimit }));
  app.use(
    express.json({
      limit: config.bodyLimit,
      type: ['application/json', 'application/*+json'],
      verify: (req, _res, buffer) => {
        (req as express.Request).rawBody = buffer;
      },
    }),
  );
  app.use(matchOperation(deps.validator));
  app.use(authenticate(credentialStore(deps.db, users), deps.tokens, deps.validator.document.security ?? []));
  app.use(validateRequest(deps.validator));
  app.use(idempotency(deps.db));

  const routers = [
    operationsRoutes(deps),
    authRoutes({ ...deps, users }),
    userRoutes(deps.db, users),
    apiKeyRoutes(deps.db),
    embedTokenRoutes(deps),
    auditRoutes(deps.db),
    organisationRoutes(deps.db),
    personRoutes(deps.db),
    mandateRoutes(deps.db),
    interactionRoutes(deps.db, clock),
    notificationRoutes(deps.db),
    marketingRoutes({ db: deps.db, config, validator: deps.validator, clock }),
    scoringRoutes(deps.db, clock),
    dashboardRoutes(deps.db, clock),
    jobsRoutes(deps.db),
    realtimeRoutes(realtime),
  ];
  for (const router of routers) app.use(forItsOperations(router));

  app.use((req) => {
    throw new NotImplementedError(
      `${req.operation?.id ?? req.path} is declared in the API but not served yet.`,
    );
  });
  app.use(problemHandler());
  assertRoutesDeclareAccess(app);
  return app;
}

/**
 * Enters `router` only for the operations it serves. The operation is known by then (matched
 * against the spec), so a request skips the other routers instead of trying each of their routes.
 */
function forItsOperations(router: express.Router): express.RequestHandler {
  const { stack } = router as unknown as { stack: Array<{ route?: { path: unknown } }> };
  const templates = new Set(
    stack.flatMap((layer) => (layer.route ? [String(layer.route.path).replace(/:(\w+)/g, '{$1}')] : [])),
  );
  const handler: express.RequestHandler = (req, res, next) => {
    if (req.operation && !templates.has(req.operation.pathTemplate)) return next();
    return router(req, res, next);
  };
  // listRoutes (the access check at boot) walks into it like into the router itself.
  return Object.assign(handler, { stack });
}

function credentialStore(db: Knex, users: UserDirectory): CredentialStore {
  return {
    findUser: (id) => users.find(id),
    verifyApiKey: (key) => verifyApiKey(db, key),
  };
}
