/**
 * What a route requires of its caller, declared with the route (`platform/access.ts` explains
 * and enforces it): a permission, any signed-in user, any authenticated principal, or no one.
 */
import type { Action, Resource } from '../core/permissions';

export type RouteAccess =
  | { kind: 'public' }
  | { kind: 'signed-in' }
  | { kind: 'authenticated' }
  | { kind: 'permission'; resource: Resource; action: Action };

/**
 * Requires the principal to hold `action` on `resource`; sets `req.reach` (`all` or `own`) for the
 * service to narrow `own` to the principal's records.
 */
export function can(resource: Resource, action: Action): RouteAccess {
  return { kind: 'permission', resource, action };
}

/** Any signed-in user (a user or an embed token acting as one); not an API key. */
export const signedIn: RouteAccess = { kind: 'signed-in' };

/**
 * Any authenticated principal — user, embed token or API key — for operations that filter what
 * they return by the principal's own permissions (the realtime streams).
 */
export const authenticated: RouteAccess = { kind: 'authenticated' };

/** Explicitly open to anyone; the operation must have `security: []` in the spec. */
export const publicRoute: RouteAccess = { kind: 'public' };
