/**
 * Principals — whoever makes a request — and what each may reach under the permission table.
 */
import { type Action, type Reach, type Resource, type Role, roleReach } from './permissions';

/** The widgets an embed token may serve. */
export const WIDGETS = ['timeline', 'inbox', 'lead-score', 'hot-leads'] as const;
export type Widget = (typeof WIDGETS)[number];

export interface EmbedSubject {
  type: 'person' | 'organisation' | 'inbox';
  /** The person's or organisation's id; the acting user's id for an inbox. */
  id: string;
}

/** A signed-in staff member as authentication sees them: loaded fresh on every request. */
export interface UserIdentity {
  id: string;
  email: string;
  name: string;
  role: Role;
  active: boolean;
  time_zone: string;
}

export type Principal =
  | { kind: 'user'; user: UserIdentity }
  | { kind: 'api_key'; keyId: string; name: string; scopes: ReadonlySet<string>; createdBy: string }
  | {
      kind: 'embed';
      user: UserIdentity;
      widgets: readonly Widget[];
      subject: EmbedSubject;
      origins: readonly string[];
      expiresAt: Date;
    };

/** How far a principal reaches for an action on a resource; null when it may not at all. */
export function principalReach(principal: Principal, resource: Resource, action: Action): Reach | null {
  switch (principal.kind) {
    case 'user':
    case 'embed':
      return roleReach(principal.user.role, resource, action);
    case 'api_key':
      return principal.scopes.has(`${resource}:${action}`) ? 'all' : null;
  }
}

/** Who acted, as the audit log records it. */
export function actorOf(principal: Principal): { type: Principal['kind']; id: string } {
  return principal.kind === 'api_key'
    ? { type: 'api_key', id: principal.keyId }
    : { type: principal.kind, id: principal.user.id };
}

/** The user a principal acts as, if any (API keys act as no user). */
export function actingUser(principal: Principal): UserIdentity | null {
  return principal.kind === 'api_key' ? null : principal.user;
}

export function describePrincipal(principal: Principal): string {
  switch (principal.kind) {
    case 'user':
      return `role ${principal.user.role}`;
    case 'api_key':
      return `API key "${principal.name}"`;
    case 'embed':
      return 'embed token';
  }
}
