/**
 * Deleting records others depend on: refuse with what blocks it, or archive instead. Archived
 * records keep their links and history, get `archived_at`, and leave the lists.
 */
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

/**
 * Archives a record once: `archive` sets its `archived_at` (through its feature's repository).
 * Returns the audit change to record, or null when it was archived already (nothing changes).
 */
export async function archiveOnce(
  archivedAt: Date | null,
  archive: () => Promise<unknown>,
): Promise<{ action: 'update'; changes: { archived: true } } | null> {
  if (archivedAt) return null;
  await archive();
  return { action: 'update', changes: { archived: true } };
}
