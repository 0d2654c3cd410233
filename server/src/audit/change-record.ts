/**
 * The one way an existing record is changed or deleted (organisations, people, mandates,
 * interactions, accounts): in one transaction, the record is read and locked (404 when it is not
 * there), the version the client saw checked against `If-Match` (412), the caller's reach checked
 * (with `own` reach, only their records), then the resource's own checks and its write, the audit
 * entry of the change, and the record's cache tags, bumped once the transaction commits.
 */

import type { RequestContext } from '../platform/core/context';
import { NotFoundError } from '../platform/core/errors';
import { assertReaches, type Owned } from '../platform/core/ownership';
import type { Resource } from '../platform/core/permissions';
import { assertIfMatch } from '../platform/core/versions';
import { transaction } from '../platform/data/after-commit';
import type { Knex } from '../platform/data/db';
import type { ServiceDeps } from '../platform/runtime/service-deps';
import { type AuditChange, recordChange } from './audit-service';

export interface RecordChange<Row, Result, Version = Row> {
  /** The permission resource, also the audit entry's. */
  resource: Resource;
  id: string;
  /** The record's name in a 404: `Organisation` → "Organisation <id> not found." */
  name: string;
  ifMatch: string | undefined;
  /** Reads the record and locks it until the transaction ends; nothing when there is none. */
  lock(trx: Knex.Transaction): Promise<Row | null | undefined>;
  /** What the client's ETag was taken from, when not the row itself (the API's representation). */
  representation?(trx: Knex.Transaction, row: Row): Promise<Version>;
  /** What reach is judged on (an interaction: its assignee and creator); `null`: reach does not apply. */
  ownership(row: Row): Owned | null;
  /**
   * The resource's own checks and its write. Returns the answer and the audit entry (its action,
   * changes and values before), or `audit: null` when the write records itself.
   */
  write(
    trx: Knex.Transaction,
    before: Row,
    representation: Version,
  ): Promise<{ result: Result; audit: Omit<AuditChange, 'resource' | 'resourceId'> | null }>;
  /** The cache tags showing the record, bumped after commit. */
  tags?(trx: Knex.Transaction): Promise<string[]>;
}

/** A record as `changeRecord` finds it: all but the write, shared by a resource's update and delete. */
export type ExistingRecord<Row, Version = Row> = Omit<RecordChange<Row, unknown, Version>, 'write'>;

export function changeRecord<Row, Result, Version = Row>(
  { db, cache }: ServiceDeps,
  context: RequestContext,
  change: RecordChange<Row, Result, Version>,
): Promise<Result> {
  return transaction(db, async (trx) => {
    const before = await change.lock(trx);
    if (before === undefined || before === null)
      throw new NotFoundError(`${change.name} ${change.id} not found.`);
    // Without a representation of its own, the record's version is the row.
    const representation = change.representation
      ? await change.representation(trx, before)
      : (before as unknown as Version);
    assertIfMatch(change.ifMatch, representation);
    const owned = change.ownership(before);
    if (owned) assertReaches(context, owned, change.resource);
    if (change.tags) await cache.invalidate(trx, await change.tags(trx));
    const { result, audit } = await change.write(trx, before, representation);
    if (audit)
      await recordChange(trx, context, { ...audit, resource: change.resource, resourceId: change.id });
    return result;
  });
}
