/**
 * Authorization is part of every route's declaration:
 *
 *   router.get('/v1/users', can('users', 'read'), handler)
 *   router.post('/v1/auth/login', publicRoute, handler)
 *   router.get('/v1/me', signedIn, handler)
 *
 * `createApp` walks the router at boot and refuses to start if a route declares none of these,
 * so a permission cannot be forgotten.
 */
import type { Express, Request, RequestHandler } from 'express';
import { AppError, ForbiddenError, UnauthorizedError } from './errors';
import type { Action, Reach, Resource } from './permissions';
import { describePrincipal, type Principal, principalReach } from './principal';

export const ROUTE_ACCESS = Symbol('relais.routeAccess');

export type RouteAccess =
  | { kind: 'public' }
  | { kind: 'signed-in' }
  | { kind: 'authenticated' }
  | { kind: 'permission'; resource: Resource; action: Action };

type DeclaredHandler = RequestHandler & { [ROUTE_ACCESS]: RouteAccess };

function declare(access: RouteAccess, handler: RequestHandler): DeclaredHandler {
  return Object.assign(handler, { [ROUTE_ACCESS]: access });
}

/**
 * Requires the principal to hold `action` on `resource`; sets `req.reach` (`all` or `own`) for the
 * service to narrow `own` to the principal's records.
 */
export function can(resource: Resource, action: Action): DeclaredHandler {
  return declare({ kind: 'permission', resource, action }, (req, _res, next) => {
    req.reach = assertCan(requirePrincipal(req), resource, action);
    next();
  });
}

/** For a second permission inside a handler (e.g. changing a role needs `users:manage`). */
export function assertCan(principal: Principal, resource: Resource, action: Action): Reach {
  const reach = principalReach(principal, resource, action);
  if (!reach) {
    throw new ForbiddenError(`Your ${describePrincipal(principal)} may not ${action} ${resource}.`, {
      extensions: { required_permission: `${resource}:${action}` },
    });
  }
  return reach;
}

/** Any signed-in user (a user or an embed token acting as one); not an API key. */
export const signedIn: DeclaredHandler = declare({ kind: 'signed-in' }, (req, _res, next) => {
  const principal = requirePrincipal(req);
  if (principal.kind === 'api_key')
    throw new ForbiddenError('This operation is about a user; API keys act as no user.');
  next();
});

/**
 * Any authenticated principal — user, embed token or API key — for operations that filter what
 * they return by the principal's own permissions (the realtime streams).
 */
export const authenticated: DeclaredHandler = declare({ kind: 'authenticated' }, (req, _res, next) => {
  requirePrincipal(req);
  next();
});

/** Explicitly open to anyone; the operation must have `security: []` in the spec. */
export const publicRoute: DeclaredHandler = declare({ kind: 'public' }, (_req, _res, next) => next());

export function requirePrincipal(req: Request): Principal {
  if (!req.principal) throw new UnauthorizedError('This operation needs credentials.');
  return req.principal;
}

export interface RouteDeclaration {
  method: string;
  path: string;
  access: RouteAccess | null;
}

interface Layer {
  route?: { path: string; methods: Record<string, boolean>; stack: { handle: unknown }[] };
  handle?: { stack?: Layer[] };
}

/** Every route mounted on the app, with the access its handlers declare. */
export function listRoutes(app: Express): RouteDeclaration[] {
  const routes: RouteDeclaration[] = [];
  const visit = (stack: Layer[]) => {
    for (const layer of stack) {
      if (layer.route) {
        const declared = layer.route.stack
          .map((inner) => (inner.handle as Partial<DeclaredHandler>)?.[ROUTE_ACCESS])
          .find(Boolean);
        for (const method of Object.keys(layer.route.methods)) {
          if (method === '_all') continue;
          routes.push({ method, path: layer.route.path, access: declared ?? null });
        }
      } else if (layer.handle?.stack) {
        visit(layer.handle.stack);
      }
    }
  };
  visit((app.router as unknown as { stack: Layer[] }).stack);
  return routes;
}

/** Fails boot when a route declares no access. */
export function assertRoutesDeclareAccess(app: Express): void {
  const missing = listRoutes(app).filter((route) => route.access === null);
  if (missing.length) {
    throw new AppError(
      `Routes without a declared permission (use can(), signedIn or publicRoute): ${missing
        .map((route) => `${route.method.toUpperCase()} ${route.path}`)
        .join(', ')}`,
    );
  }
}
