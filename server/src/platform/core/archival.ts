/**
 * Deleting records others depend on: refuse with what blocks it, or archive instead. Archived
 * records keep their links and history, get `archived_at`, and leave the lists.
 */
import type { Knex } from 'knex';
import type { RequestContext } from './context';
import { ConflictError } from './errors';

export interface Blocker {
  resource: string;
  count: number;
}

/** Throws 409 naming what still references the record, and how to archive it instead. */
export function assertNotReferenced(what: string, path: string, blockers: Blocker[]): void {
  const blocking = blockers.filter((blocker) => blocker.count > 0);
  if (blocking.length === 0) return;
  const described = blocking.map((blocker) => `${blocker.count} ${blocker.resource}`).join(' and ');
  throw new ConflictError(
    `${what} is still referenced by ${described}; archive it instead with DELETE ${path}?archive=true.`,
    {
      extensions: { blocked_by: blocking },
    },
  );
}

/** Archives a record (once) and records it; `record` is the audit function of the feature. */
export async function archiveRecord(
  db: Knex,
  context: RequestContext,
  target: { table: string; resource: string; id: string; archivedAt: Date | null },
  record: (
    db: Knex,
    context: RequestContext,
    change: { action: 'update'; resource: string; resourceId: string; changes: Record<string, unknown> },
  ) => Promise<void>,
): Promise<void> {
  if (target.archivedAt) return;
  await db(target.table)
    .where({ id: target.id })
    .update({ archived_at: db.fn.now(), updated_at: db.fn.now() });
  await record(db, context, {
    action: 'update',
    resource: target.resource,
    resourceId: target.id,
    changes: { archived: true },
  });
}
