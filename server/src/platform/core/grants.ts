/**
 * Nobody grants what they do not hold. Every operation that hands out access — an API key's
 * scopes, a user's role, another user's credentials, an embed token acting for a user — asks here
 * whether the principal already holds all of it:
 *
 * - a key's scopes ⊆ what its creator holds, at creation, and again at every use (`effectiveScopes`:
 *   a key is refused what its owner has since lost);
 * - a role is given, and an account holding a role is taken over (password, email, role, active),
 *   only by a principal that holds every permission of that role;
 * - an embed token acts for a user only if the caller could read, as that user, what its widgets
 *   show.
 *
 * "Holds" means any reach: a role's `own` grant counts as holding that scope.
 */
import { ForbiddenError, ValidationError } from './errors';
import { type Action, type Resource, type Role, scopesOfRole } from './permissions';
import { type Principal, principalReach, type Widget } from './principal';

export { scopesOfRole };

/** The scopes a principal holds now: its role's for users and embed tokens, its own for keys. */
export function heldScopes(principal: Principal): ReadonlySet<string> {
  return principal.kind === 'api_key' ? principal.scopes : scopesOfRole(principal.user.role);
}

/** A key's scopes as far as its owner still holds them (a demoted owner's key loses the rest). */
export function effectiveScopes(keyScopes: readonly string[], ownerRole: Role): ReadonlySet<string> {
  const owner = scopesOfRole(ownerRole);
  return new Set(keyScopes.filter((scope) => owner.has(scope)));
}

/** The scopes of `wanted` that `principal` does not hold. */
export function missingScopes(principal: Principal, wanted: Iterable<string>): string[] {
  const held = heldScopes(principal);
  return [...new Set(wanted)].filter((scope) => !held.has(scope)).sort();
}

/** Refuses unless `principal` holds every scope of `wanted`; `what` names what was asked. */
export function assertHolds(principal: Principal, wanted: Iterable<string>, what: string): void {
  const missing = missingScopes(principal, wanted);
  if (missing.length) {
    throw new ForbiddenError(
      `${what} needs ${missing.join(', ')}, which you do not hold; nobody grants what they do not hold.`,
      {
        extensions: { required_permission: missing[0], missing_permissions: missing },
      },
    );
  }
}

/** Giving `role` to an account: the principal holds every permission of that role. */
export function assertMayGiveRole(principal: Principal, role: Role): void {
  assertHolds(principal, scopesOfRole(role), `Giving the role ${role}`);
}

/**
 * Changing another account's password, email, role or active flag: the principal manages users
 * and holds every permission of the role the account has (else changing it would take that over).
 */
export function assertMayManageAccount(principal: Principal, role: Role, what: string): void {
  assertHolds(principal, ['users:manage', ...scopesOfRole(role)], what);
}

/** What each widget reads, as the user its token acts for. */
export const WIDGET_READS: Readonly<Record<Widget, readonly `${Resource}:${Action}`[]>> = {
  timeline: ['interactions:read', 'email_events:read'],
  inbox: ['interactions:read'],
  'lead-score': ['lead_scores:read'],
  'hot-leads': ['lead_scores:read'],
};

/** Minting an embed token for `widgets`: the caller holds what they read. */
export function assertMayMintWidgets(principal: Principal, widgets: readonly Widget[]): void {
  assertHolds(principal, widgetReads(widgets), `An embed token for ${widgets.join(', ')}`);
}

/**
 * An embed token for `widgets` acting for `user`, another user than the caller: the caller reads
 * what they show with reach over all records, and the user reads it too (else the token is of no use).
 */
export function assertMayActFor(
  principal: Principal,
  widgets: readonly Widget[],
  user: { id: string; role: Role },
): void {
  const reads = widgetReads(widgets);
  const narrow = reads.filter((scope) => {
    const [resource, action] = scope.split(':') as [Resource, Action];
    return principalReach(principal, resource, action) !== 'all';
  });
  if (narrow.length) {
    throw new ForbiddenError(`Acting for another user needs ${narrow.join(', ')} over all records.`, {
      extensions: { required_permission: narrow[0] },
    });
  }
  const lacking = reads.filter((scope) => !scopesOfRole(user.role).has(scope));
  if (lacking.length) {
    throw new ValidationError(`User ${user.id} may not read what these widgets show.`, {
      errors: [{ in: 'body', field: '/user_id', message: `lacks ${lacking.join(', ')}` }],
    });
  }
}

function widgetReads(widgets: readonly Widget[]): string[] {
  return [...new Set(widgets.flatMap((widget) => WIDGET_READS[widget]))];
}
