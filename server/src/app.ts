/**
 * `createApp(deps)` builds the application from its dependencies and never listens:
 * `main.ts` serves it, tests run it in-process on port 0.
 *
 * Every request passes, in order: request id and security headers → CORS → body parsing → its
 * route, which knows its operation in the spec → authentication → contract validation →
 * idempotency → the route's declared access → the handler. What no route serves is answered from
 * the spec (404, 405, 501); whatever is thrown becomes problem+json.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import helmet from 'helmet';
import { apiKeyRoutes, verifyApiKey } from './api-keys';
import type { AppDeps } from './app-deps';
import { auditRoutes } from './audit';
import { authRoutes } from './auth';
import { lastBackupAgeSeconds } from './backups';
import { dashboardRoutes } from './dashboard';
import { demoRoutes } from './demo/demo-page';
import { embedRoutes } from './embed/embed-routes';
import { embedTokenRoutes } from './embed-tokens';
import { exportRoutes } from './exports';
import { createHttpApp, type HttpApp } from './http/app';
import type { HttpReply, HttpRequest } from './http/types';
import { importRoutes } from './imports';
import { interactionRoutes } from './interactions';
import { mandateRoutes } from './mandates';
import { marketingRoutes } from './marketing';
import { notificationRoutes } from './notifications';
import { jobsRoutes } from './operations/jobs-routes';
import { operationsAssetRoutes, operationsRoutes } from './operations/operations-routes';
import { organisationRoutes } from './organisations';
import { personRoutes } from './people';
import { effectiveScopes } from './platform/core/grants';
import type { Logger } from './platform/core/logger';
import type { Knex } from './platform/data/db';
import { ReadCache } from './platform/runtime/cache';
import { EventBus } from './platform/runtime/events';
import { observeRequest, readBackupAgeFrom } from './platform/runtime/metrics';
import { assertRoutesDeclareAccess, checkAccess, type RouteDeclaration } from './platform/web/access';
import { authenticate, type CredentialStore } from './platform/web/auth';
import { idempotency } from './platform/web/idempotency';
import { answerUnrouted, validateRequest } from './platform/web/openapi-hooks';
import { handleError } from './platform/web/problem-json';
import { specPathOf } from './platform/web/routes';
import { privacyRoutes } from './privacy';
import { Realtime, realtimeRoutes } from './realtime';
import { scoringRoutes } from './scoring';
import { assembleServices } from './services';
import { UserDirectory, userRoutes } from './users';

export type { AppDeps };

/** The routes an app serves, for the boot-time checks and the route-permissions test. */
const ROUTES = new WeakMap<HttpApp, readonly RouteDeclaration[]>();

export function routesOf(app: HttpApp): readonly RouteDeclaration[] {
  return ROUTES.get(app) ?? [];
}

export function createApp(deps: AppDeps): HttpApp {
  const { config, logger, validator } = deps;
  const users = deps.users ?? new UserDirectory(deps.db, logger);
  const clock = deps.clock ?? (() => new Date());
  const events = deps.events ?? new EventBus({ redis: null, logger });
  const cache =
    deps.cache ?? new ReadCache({ redis: deps.redis, logger, prefix: config.redisPrefix, ...config.cache });
  // What the services that change data are handed: where their events go, what they invalidate,
  // the hooks between features (services.ts).
  const services = assembleServices(deps.db, { events, cache });
  const realtime = new Realtime(events, { heartbeatSeconds: config.realtime.heartbeatSeconds });
  readBackupAgeFrom(() => lastBackupAgeSeconds(deps.db));
  const authenticateRequest = authenticate(
    credentialStore(deps.db, users),
    deps.tokens,
    validator.document.security ?? [],
  );
  const idempotent = idempotency(deps.db);
  const routes = [
    operationsAssetRoutes(),
    embedRoutes(),
    ...(config.demoData ? [demoRoutes(deps.db, deps.tokens)] : []),
    operationsRoutes({ ...deps, cache }),
    authRoutes({ ...deps, services, users }),
    userRoutes(services, users),
    apiKeyRoutes(deps.db),
    embedTokenRoutes(deps),
    auditRoutes(deps.db),
    organisationRoutes(services),
    personRoutes(services),
    privacyRoutes(services, logger),
    exportRoutes(deps.db, logger),
    importRoutes(deps.db, { bodyLimit: config.importBodyLimit }),
    mandateRoutes(services),
    interactionRoutes(services, clock),
    notificationRoutes(deps.db),
    marketingRoutes({ services, config, validator, clock }),
    scoringRoutes(services, clock),
    dashboardRoutes(services, clock),
    jobsRoutes(deps.db, config.jobs),
    realtimeRoutes(realtime),
  ].flatMap((table) => table.list);
  assertRoutesDeclareAccess(routes);
  const operations = new Map(
    validator.operations.map((operation) => [`${operation.method} ${operation.pathTemplate}`, operation]),
  );
  const accessLog = new AccessLog(logger);
  const unrouted = answerUnrouted(validator);

  const app = createHttpApp({
    logger,
    trustProxy: config.trustProxy,
    bodyLimit: config.bodyLimit,
    cors: {
      origin: [...config.corsOrigins],
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
    },
    routes,
    operationOf: (route) => operations.get(`${route.method} ${specPathOf(route.path)}`),
    // HSTS and upgrade-insecure-requests only over HTTPS: on a plain-HTTP intranet host they would
    // pin browsers to an HTTPS that is not there.
    headersFor: helmetHeaders,
    async beforeHandler(req, reply) {
      const { access } = req;
      if (!access) return;
      await authenticateRequest(req);
      validateRequest(validator, req);
      if (await idempotent.claim(req, reply)) return;
      checkAccess(req, access);
    },
    async onSend(req, reply, payload) {
      if (!req.idempotency) return;
      await idempotent.store(req, reply, payload).catch((error: unknown) => {
        req.log.error({ err: error }, 'idempotent response not stored');
      });
    },
    onResponse(req, reply) {
      observeRequest(req, reply);
      accessLog.requestCompleted(req, reply);
    },
    answerUnrouted: unrouted,
    handleError,
    upgrade: (handler, req, socket, head) => realtime.handleUpgrade(handler, req, socket, head),
    close: () => realtime.closeAll(),
  });
  ROUTES.set(app, routes);
  return app;
}

/**
 * The headers helmet sets with Relais's options: the same on every response of one scheme, so
 * computed once per scheme.
 */
function helmetHeaders(https: boolean): Record<string, string> {
  const headers: Record<string, string> = {};
  const response = {
    setHeader: (name: string, value: unknown) => {
      headers[name.toLowerCase()] = String(value);
    },
    removeHeader: (name: string) => {
      delete headers[name.toLowerCase()];
    },
  };
  helmet({
    crossOriginResourcePolicy: { policy: 'same-site' },
    strictTransportSecurity: https,
    contentSecurityPolicy: https ? true : { directives: { upgradeInsecureRequests: null } },
  })({} as IncomingMessage, response as unknown as ServerResponse, () => undefined);
  return headers;
}

/**
 * One access-log line per request, when it completes (health probes at debug). Its fields are
 * fixed and hold no secret (the path without its query), so it skips the logger's redaction.
 */
class AccessLog {
  readonly #log: Logger;

  constructor(logger: Logger) {
    this.#log = logger.child({}, { redact: { paths: [] } });
  }

  requestCompleted(req: HttpRequest, reply: HttpReply): void {
    const path = req.originalUrl.split('?')[0];
    const line = {
      reqId: req.id,
      req: { id: req.id, method: req.method, path },
      res: { status: reply.statusCode },
      responseTime: Math.round(reply.elapsedTime),
    };
    if (reply.statusCode >= 500) this.#log.error(line, 'request completed');
    else if (path === '/health' || path === '/ready') this.#log.debug(line, 'request completed');
    else this.#log.info(line, 'request completed');
  }
}

function credentialStore(db: Knex, users: UserDirectory): CredentialStore {
  return {
    findUser: (id) => users.findCredential(id),
    verifyApiKey: async (key) => {
      const record = await verifyApiKey(db, key);
      if (!record) return null;
      const owner = await users.find(record.created_by);
      return {
        ...record,
        scopes: owner ? [...effectiveScopes(record.scopes, owner.role)] : [],
        owner_active: owner?.active === true,
      };
    },
  };
}
