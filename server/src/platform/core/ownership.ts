/**
 * Ownership of CRM records. With reach `own`, a user may change a record they own or created;
 * only a principal with reach `all` for updates may give a record to someone else.
 */
import type { RequestContext } from './context';
import { ForbiddenError } from './errors';
import type { Resource } from './permissions';
import { actingUser, principalReach } from './principal';

export interface Owned {
  owner_id: string | null;
  created_by: string | null;
}

/** Throws 403 unless the context reaches this record (always with `all`; with `own`, if theirs). */
export function assertReaches(context: RequestContext, record: Owned, what: string): void {
  if (context.reach === 'all') return;
  const user = actingUser(context.principal);
  if (user && (record.owner_id === user.id || record.created_by === user.id)) return;
  throw new ForbiddenError(`You may change only ${what} you own or created.`);
}

/**
 * The owner a write may set: the requested one when the principal may assign owners, the acting
 * user by default on creation. Throws 403 when a user tries to give a record to someone else.
 */
export function resolveOwner(
  context: RequestContext,
  resource: Resource,
  requested: string | null | undefined,
  onCreate: boolean,
): string | null | undefined {
  const user = actingUser(context.principal);
  if (requested === undefined) return onCreate ? (user?.id ?? null) : undefined;
  if (requested === user?.id) return requested;
  if (principalReach(context.principal, resource, 'update') !== 'all') {
    throw new ForbiddenError(
      'You may not give a record to another owner; leave owner_id out or set it to yourself.',
    );
  }
  return requested;
}

/** The user a new record is recorded as created by: the acting user, or the creator of the API key. */
export function creatorOf(context: RequestContext): string | null {
  return context.principal.kind === 'api_key' ? context.principal.createdBy : context.principal.user.id;
}
