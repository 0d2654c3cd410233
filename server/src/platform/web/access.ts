/**
 * Authorization is part of every route's declaration:
 *
 *   routes.get('/v1/users', can('users', 'read'), handler)
 *   routes.post('/v1/auth/login', publicRoute, handler)
 *   routes.get('/v1/me', signedIn, handler)
 *
 * The access is a required argument of every route (`platform/routes.ts`), and `createApp`
 * refuses to start if one is missing, so a permission cannot be forgotten. `checkAccess` enforces
 * it once the request is authenticated and validated.
 */
import type { HttpRequest } from '../../http/types';
import { AppError, ForbiddenError, UnauthorizedError } from '../core/errors';
import type { Action, Reach, Resource } from '../core/permissions';
import { describePrincipal, type Principal, principalReach } from '../core/principal';
import type { RouteAccess } from './route-access';

export { authenticated, can, publicRoute, type RouteAccess, signedIn } from './route-access';

/** Enforces a route's declared access on an authenticated request. */
export function checkAccess(req: HttpRequest, access: RouteAccess): void {
  switch (access.kind) {
    case 'public':
      return;
    case 'authenticated':
      requirePrincipal(req);
      return;
    case 'signed-in':
      if (requirePrincipal(req).kind === 'api_key')
        throw new ForbiddenError('This operation is about a user; API keys act as no user.');
      return;
    case 'permission':
      req.reach = assertCan(requirePrincipal(req), access.resource, access.action);
  }
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

export function requirePrincipal(req: HttpRequest): Principal {
  if (!req.principal) throw new UnauthorizedError('This operation needs credentials.');
  return req.principal;
}

export interface RouteDeclaration {
  method: string;
  path: string;
  access: RouteAccess | null;
}

/** Fails boot when a route declares no access. */
export function assertRoutesDeclareAccess(routes: readonly RouteDeclaration[]): void {
  const missing = routes.filter((route) => !route.access);
  if (missing.length) {
    throw new AppError(
      `Routes without a declared permission (use can(), signedIn or publicRoute): ${missing
        .map((route) => `${route.method.toUpperCase()} ${route.path}`)
        .join(', ')}`,
    );
  }
}
