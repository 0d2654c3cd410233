/**
 * Mandates: the engagements signed with an organisation. Their status moves forward through
 * draft → proposed → signed → active → terminated; a proposal may go back to draft, and a mandate
 * may be terminated from any live status. Any other move is a 409 naming the allowed ones.
 */
import { changeRecord, type ExistingRecord, recordChange } from '../audit';
import type { RequestContext } from '../platform/core/context';
import { ConflictError, NotFoundError } from '../platform/core/errors';
import { creatorOf, resolveOwner } from '../platform/core/ownership';
import { transaction } from '../platform/data/after-commit';
import type { Knex } from '../platform/data/db';
import { chooseSort, type Page } from '../platform/data/pagination';
import { assertDateOrder, assertExists, assertUserExists } from '../platform/data/references';
import type { ServiceDeps } from '../platform/runtime/service-deps';
import {
  deleteMandateRow,
  findMandate,
  insertMandate,
  listMandateRows,
  type Mandate,
  type MandateFields,
  type MandateFilters,
  type MandateStatus,
  updateMandateRow,
} from './mandate-repository';

export const MANDATE_TRANSITIONS: Readonly<Record<MandateStatus, readonly MandateStatus[]>> = {
  draft: ['proposed', 'terminated'],
  proposed: ['signed', 'draft', 'terminated'],
  signed: ['active', 'terminated'],
  active: ['terminated'],
  terminated: [],
};

const MANDATE_DATES = { start: '/start_date', end: '/end_date' };

export const MANDATE_SORTS = { created_at: 'created_at', updated_at: 'updated_at' };

export function listMandates(
  db: Knex,
  filters: MandateFilters,
  page: { limit: number; cursor?: string; sort: string },
): Promise<Page<Mandate>> {
  return listMandateRows(db, filters, { ...page, sort: chooseSort('mandates', page.sort, MANDATE_SORTS) });
}

export async function getMandate(db: Knex, id: string): Promise<Mandate> {
  const mandate = await findMandate(db, id);
  if (!mandate) throw new NotFoundError(`Mandate ${id} not found.`);
  return mandate;
}

export async function createMandate(
  deps: ServiceDeps,
  context: RequestContext,
  input: MandateFields,
): Promise<Mandate> {
  const owner_id = resolveOwner(context, 'mandates', input.owner_id, true);
  assertDateOrder(input.start_date, input.end_date, MANDATE_DATES);
  return transaction(deps.db, async (trx) => {
    await assertExists(trx, 'organisations', input.organisation_id!, '/organisation_id', 'organisation');
    if (owner_id) await assertUserExists(trx, owner_id, '/owner_id');
    const created = await insertMandate(trx, { ...input, owner_id, created_by: creatorOf(context) });
    await recordChange(trx, context, {
      action: 'create',
      resource: 'mandates',
      resourceId: created.id,
      changes: { ...input, owner_id },
    });
    return created;
  });
}

export async function updateMandate(
  deps: ServiceDeps,
  context: RequestContext,
  id: string,
  changes: MandateFields,
  ifMatch?: string,
): Promise<Mandate> {
  const owner_id = resolveOwner(context, 'mandates', changes.owner_id, false);
  return changeRecord(deps, context, {
    ...existingMandate(id, ifMatch),
    write: async (trx, before) => {
      assertDateOrder(
        changes.start_date ?? before.start_date,
        changes.end_date ?? before.end_date,
        MANDATE_DATES,
      );
      if (changes.status && changes.status !== before.status) {
        const allowed = MANDATE_TRANSITIONS[before.status];
        if (!allowed.includes(changes.status)) {
          throw new ConflictError(
            `A ${before.status} mandate cannot become ${changes.status}; ${allowed.length ? `it can become ${allowed.join(' or ')}` : 'it is final'}.`,
            { extensions: { current_status: before.status, allowed_transitions: allowed } },
          );
        }
      }
      if (changes.organisation_id)
        await assertExists(trx, 'organisations', changes.organisation_id, '/organisation_id', 'organisation');
      if (owner_id) await assertUserExists(trx, owner_id, '/owner_id');
      const updated = await updateMandateRow(trx, id, {
        ...changes,
        ...(owner_id !== undefined ? { owner_id } : {}),
      });
      return { result: updated, audit: { action: 'update', changes, before: { ...before } } };
    },
  });
}

export async function deleteMandate(
  deps: ServiceDeps,
  context: RequestContext,
  id: string,
  ifMatch?: string,
): Promise<void> {
  await changeRecord(deps, context, {
    ...existingMandate(id, ifMatch),
    write: async (trx, before) => {
      await deleteMandateRow(trx, id);
      return { result: undefined, audit: { action: 'delete', changes: { title: before.title } } };
    },
  });
}

/** A mandate as `changeRecord` finds it: locked, reached through its owner. */
function existingMandate(id: string, ifMatch: string | undefined): ExistingRecord<Mandate> {
  return {
    resource: 'mandates',
    id,
    name: 'Mandate',
    ifMatch,
    lock: (trx) => findMandate(trx, id, { lock: true }),
    ownership: (row) => row,
  };
}
