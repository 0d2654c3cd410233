/**
 * Organisations: clients, prospects, partners, suppliers. Deleting one that mandates (or, later,
 * interactions) point to is refused with what blocks it, unless the caller archives it instead.
 */
import { changeRecord, type ExistingRecord, recordChange } from '../audit';
import { countInteractionsOf } from '../interactions';
import { archiveOnce, assertNotReferenced } from '../platform/core/archival';
import type { RequestContext } from '../platform/core/context';
import { NotFoundError } from '../platform/core/errors';
import { creatorOf, resolveOwner } from '../platform/core/ownership';
import { transaction } from '../platform/data/after-commit';
import type { Knex } from '../platform/data/db';
import { chooseSort, type Page } from '../platform/data/pagination';
import { assertUserExists } from '../platform/data/references';
import { tags } from '../platform/runtime/cache';
import type { ServiceDeps } from '../platform/runtime/service-deps';
import {
  countMandatesOf,
  deleteOrganisationRow,
  findOrganisation,
  insertOrganisation,
  listOrganisationRows,
  type Organisation,
  type OrganisationFields,
  type OrganisationFilters,
  updateOrganisationRow,
} from './organisation-repository';

export const ORGANISATION_SORTS = { name: 'name', created_at: 'created_at', updated_at: 'updated_at' };

export function listOrganisations(
  db: Knex,
  filters: OrganisationFilters,
  page: { limit: number; cursor?: string; sort: string },
): Promise<Page<Organisation>> {
  return listOrganisationRows(db, filters, {
    ...page,
    sort: chooseSort('organisations', page.sort, ORGANISATION_SORTS),
  });
}

export async function getOrganisation(db: Knex, id: string): Promise<Organisation> {
  const organisation = await findOrganisation(db, id);
  if (!organisation) throw new NotFoundError(`Organisation ${id} not found.`);
  return organisation;
}

export async function createOrganisation(
  deps: ServiceDeps,
  context: RequestContext,
  input: OrganisationFields,
): Promise<Organisation> {
  const owner_id = resolveOwner(context, 'organisations', input.owner_id, true);
  return transaction(deps.db, async (trx) => {
    if (owner_id) await assertUserExists(trx, owner_id, '/owner_id');
    const created = await insertOrganisation(trx, { ...input, owner_id, created_by: creatorOf(context) });
    await recordChange(trx, context, {
      action: 'create',
      resource: 'organisations',
      resourceId: created.id,
      changes: { ...input, owner_id },
    });
    return created;
  });
}

export async function updateOrganisation(
  deps: ServiceDeps,
  context: RequestContext,
  id: string,
  changes: OrganisationFields,
  ifMatch?: string,
): Promise<Organisation> {
  const owner_id = resolveOwner(context, 'organisations', changes.owner_id, false);
  return changeRecord(deps, context, {
    ...existingOrganisation(id, ifMatch),
    write: async (trx, before) => {
      if (owner_id) await assertUserExists(trx, owner_id, '/owner_id');
      const updated = await updateOrganisationRow(trx, id, {
        ...changes,
        ...(owner_id !== undefined ? { owner_id } : {}),
      });
      return { result: updated, audit: { action: 'update', changes, before: { ...before } } };
    },
  });
}

/**
 * Deletes an organisation, or archives it (`archive`). A delete that other records still need is
 * refused with a 409 naming them; archiving always succeeds and hides the organisation from lists.
 */
export async function deleteOrganisation(
  deps: ServiceDeps,
  context: RequestContext,
  id: string,
  options: { archive: boolean; ifMatch?: string },
): Promise<void> {
  await changeRecord(deps, context, {
    ...existingOrganisation(id, options.ifMatch),
    write: async (trx, before) => {
      if (options.archive) {
        return {
          result: undefined,
          audit: await archiveOnce(before.archived_at, () =>
            updateOrganisationRow(trx, id, { archived_at: trx.fn.now() }),
          ),
        };
      }
      assertNotReferenced(
        `Organisation ${id}`,
        `/v1/organisations/${id}`,
        await Promise.all(referencesTo(trx, id)),
      );
      await deleteOrganisationRow(trx, id);
      return { result: undefined, audit: { action: 'delete', changes: { name: before.name } } };
    },
  });
}

/** An organisation as `changeRecord` finds it: locked, reached through its owner, its cache tags. */
function existingOrganisation(id: string, ifMatch: string | undefined): ExistingRecord<Organisation> {
  return {
    resource: 'organisations',
    id,
    name: 'Organisation',
    ifMatch,
    lock: (trx: Knex.Transaction) => findOrganisation(trx, id, { lock: true }),
    ownership: (row) => row,
    tags: (trx) => organisationCacheTags(trx, id),
  };
}

/** What must go before an organisation can be deleted. People links are removed with it. */
function referencesTo(db: Knex, id: string): Promise<{ resource: string; count: number }>[] {
  return [
    countMandatesOf(db, id).then((count) => ({ resource: 'mandates', count })),
    countInteractionsOf(db, { organisation_id: id }).then((count) => ({ resource: 'interactions', count })),
  ];
}

/** The cache tags a change to an organisation makes stale: it, its timeline, and its people (who show its name). */
async function organisationCacheTags(db: Knex, id: string): Promise<string[]> {
  const members: string[] = await db('person_organisations').where('organisation_id', id).pluck('person_id');
  return [
    tags.organisation(id),
    tags.organisationTimeline(id),
    tags.people,
    ...members.map((personId) => tags.person(personId)),
  ];
}
