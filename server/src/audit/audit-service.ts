/**
 * The audit trail: every create, update and delete, written in the same transaction as the change
 * itself. Secret values never enter it — fields named in SECRET_FIELDS are recorded as changed,
 * with their value replaced.
 */
import type { RequestContext } from '../platform/core/context';
import { actorOf } from '../platform/core/principal';
import type { Knex } from '../platform/data/db';
import {
  type AuditEntryInput,
  type AuditFilters,
  insertAuditEntry,
  listAuditEntries,
} from './audit-repository';

const SECRET_FIELDS = new Set(['password', 'password_hash', 'key', 'key_hash', 'token', 'secret']);
const REDACTED = '[redacted]';

export interface AuditChange {
  action: AuditEntryInput['action'];
  resource: string;
  resourceId: string | null;
  /** For a create or delete, the record; for an update, the fields set (new values). */
  changes: Record<string, unknown>;
  /** For an update, the values before, to record `{from, to}` per changed field. */
  before?: Record<string, unknown>;
}

/** Records one change; call inside the transaction that makes it. */
export async function recordChange(
  db: Knex,
  context: RequestContext | null,
  change: AuditChange,
): Promise<void> {
  await auditInsert(db, context, change);
}

/**
 * The INSERT recording a change, not yet run, for a change made in a single statement (which
 * embeds it, so the change and its record are one atomic write).
 */
export function auditInsert(
  db: Knex,
  context: RequestContext | null,
  change: AuditChange,
): Knex.QueryBuilder {
  const actor = context ? actorOf(context.principal) : { type: 'system' as const, id: null };
  return insertAuditEntry(db, {
    principal_type: actor.type,
    principal_id: actor.id,
    action: change.action,
    resource: change.resource,
    resource_id: change.resourceId,
    changes: describeChanges(change),
    request_id: context?.requestId ?? null,
  });
}

function describeChanges(change: AuditChange): Record<string, unknown> {
  const described: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(change.changes)) {
    if (value === undefined) continue;
    const secret = SECRET_FIELDS.has(field);
    if (change.before) {
      const before = change.before[field];
      if (!secret && JSON.stringify(before) === JSON.stringify(value)) continue;
      described[field] = secret ? { changed: true } : { from: before ?? null, to: value };
    } else {
      described[field] = secret ? REDACTED : value;
    }
  }
  return described;
}

export function listAudit(db: Knex, filters: AuditFilters, page: { limit: number; cursor?: string }) {
  return listAuditEntries(db, filters, page);
}
