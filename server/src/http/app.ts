/**
 * The Express application: the one place that knows the framework. `createHttpApp` mounts the
 * route table behind the steps every request passes, in order: request id and security headers →
 * CORS → body → the route (which knows its operation in the spec) → `beforeHandler`
 * (authentication, contract validation, idempotency, the route's declared access) → the route's own
 * hooks → the handler. What no route serves goes to `answerUnrouted`; whatever is thrown, to
 * `handleError`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import cors, { type CorsOptions } from 'cors';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import type { Logger } from '../platform/core/logger';
import type { CompiledOperation } from '../platform/web/openapi';
import { requestIdOf } from '../platform/web/request-id';
import type { Route, RouteRequest } from '../platform/web/routes';
import { bodyReader } from './body';
import { type OnSend, replyOf } from './reply';
import type { HttpReply, HttpRequest } from './types';

export interface Pipeline {
  logger: Logger;
  trustProxy: boolean;
  bodyLimit: number;
  cors: CorsOptions;
  routes: readonly Route[];
  operationOf(route: Route): CompiledOperation | undefined;
  /** Headers every response carries (security headers), by scheme. */
  headersFor(https: boolean): Record<string, string>;
  /** Authentication, validation, idempotency, access: may answer (an idempotent replay) itself. */
  beforeHandler(req: HttpRequest, reply: HttpReply): Promise<void>;
  onSend: OnSend;
  /** Once a response is finished (metrics, the access log). */
  onResponse(req: HttpRequest, reply: HttpReply): void;
  answerUnrouted(req: HttpRequest, reply: HttpReply): void;
  handleError(error: unknown, req: HttpRequest, reply: HttpReply): void;
  /** An HTTP upgrade (WebSocket): runs the request through the app itself. */
  upgrade(
    app: (req: IncomingMessage, res: ServerResponse) => void,
    req: IncomingMessage,
    socket: Duplex,
    head: Buffer,
  ): void;
  /** Ends what the app holds open (event streams, sockets) when the server stops. */
  close(): void;
}

export interface HttpApp extends Express {
  relais: { upgrade: Pipeline['upgrade']; close(): void };
}

export function createHttpApp(pipeline: Pipeline): HttpApp {
  const app = express() as HttpApp;
  app.set('trust proxy', pipeline.trustProxy);
  app.set('case sensitive routing', true);
  app.set('etag', false);
  app.set('query parser', 'simple');
  app.disable('x-powered-by');
  // Once the contract has validated a request, its `query` is the validated one (coerced, defaults
  // filled); before, the framework's parse of the URL. A getter on this app's request prototype,
  // rather than a property defined on each request, keeps requests in their fast shape.
  const parsedQuery = Object.getOwnPropertyDescriptor(express.request, 'query')!.get!;
  Object.defineProperty(app.request, 'query', {
    configurable: true,
    get(this: Request) {
      return this.validated ? this.validated.query : parsedQuery.call(this);
    },
  });
  const headers = { https: pipeline.headersFor(true), http: pipeline.headersFor(false) };
  const reply = (req: Request, res: Response) => replyOf(req, res, pipeline.onSend);

  app.use((req, res, next) => {
    req.id = requestIdOf(req);
    req.log = pipeline.logger.child({ reqId: req.id });
    const answer = reply(req, res);
    answer.headers(req.protocol === 'https' ? headers.https : headers.http).header('X-Request-Id', req.id);
    res.once('finish', () => pipeline.onResponse(req, answer));
    next();
  });

  // An OPTIONS that is not a CORS preflight (no Origin or no requested method) asks what the
  // resource allows: the contract answers it (204 with Allow), not the CORS middleware.
  const corsStep = cors({ ...pipeline.cors, preflightContinue: false, optionsSuccessStatus: 204 });
  app.use((req, res, next) => {
    const plainOptions =
      req.method === 'OPTIONS' && !(req.headers.origin && req.headers['access-control-request-method']);
    if (plainOptions) return next();
    corsStep(req, res, next);
  });

  const defaultBody = bodyReader(pipeline.bodyLimit, false);
  for (const route of pipeline.routes) {
    const operation = pipeline.operationOf(route);
    const hooks = route.options.hooks ?? [];
    const finishing = hooks.filter((hook) => hook.onResponse);
    const body = route.options.rawBody ? bodyReader(route.options.rawBody.bodyLimit, true) : defaultBody;
    app[route.method](route.path, body, async (req: Request, res: Response, next: NextFunction) => {
      const answer = reply(req, res);
      req.access = route.access;
      req.operation = operation;
      if (finishing.length)
        res.once('finish', () => {
          for (const hook of finishing) void hook.onResponse?.(req, answer).catch(() => undefined);
        });
      try {
        await pipeline.beforeHandler(req, answer);
        for (const hook of hooks) {
          if (answer.sent) break;
          await hook.preHandler?.(req, answer);
        }
        if (!answer.sent) await route.handler(req as unknown as RouteRequest, answer);
        await answer.done();
      } catch (error) {
        next(error);
      }
    });
  }

  // What no route serves: its body is read all the same (a malformed or oversized one is answered
  // as such), then the contract says why (404, 405 with Allow, 501, 204 for a plain OPTIONS).
  app.use(defaultBody, async (req: Request, res: Response, next: NextFunction) => {
    const answer = reply(req, res);
    try {
      pipeline.answerUnrouted(req, answer);
      await answer.done();
    } catch (error) {
      next(error);
    }
  });

  app.use(async (error: unknown, req: Request, res: Response, _next: NextFunction) => {
    const answer = reply(req, res);
    if (res.headersSent) {
      res.destroy();
      return;
    }
    pipeline.handleError(error, req, answer);
    await answer.done().catch(() => res.destroy());
  });

  app.relais = { upgrade: pipeline.upgrade, close: pipeline.close };
  return app;
}
