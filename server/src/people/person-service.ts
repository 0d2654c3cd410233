/**
 * People — the firm's contacts — and their links to organisations (role, dates, at most one
 * primary organisation). A person's email is unique case-insensitively, since email events find
 * their person by it.
 */

import { auditInsert, changeRecord, type ExistingRecord, recordChange } from '../audit';
import { countInteractionsOf, newPersonCacheTags, personCacheTags } from '../interactions';
import { archiveOnce, assertNotReferenced } from '../platform/core/archival';
import type { RequestContext } from '../platform/core/context';
import { ConflictError, NotFoundError } from '../platform/core/errors';
import { newId } from '../platform/core/ids';
import { assertReaches, creatorOf, resolveOwner } from '../platform/core/ownership';
import { actingUser } from '../platform/core/principal';
import { transaction } from '../platform/data/after-commit';
import { isRefused, isUniqueViolation, type Knex, refusedWhen } from '../platform/data/db';
import { chooseSort, type Page } from '../platform/data/pagination';
import { assertDateOrder, assertExists, assertUserExists } from '../platform/data/references';
import type { ServiceDeps } from '../platform/runtime/service-deps';
import {
  deleteMembership,
  deletePersonRow,
  findPersonIdByEmail,
  findPersonRow,
  insertPerson,
  listPersonRows,
  membershipsOf,
  type Person,
  type PersonFields,
  type PersonFilters,
  type PersonRow,
  updatePersonRow,
  upsertMembership,
} from './person-repository';

/**
 * What waits for an email address until a person has it: records of another feature that arrive
 * for any address (marketing's email events, which then score). People do not know that feature;
 * its hook is handed to them where the process is assembled (`server/src/services.ts`), and the
 * people routes and the imports cannot be built without one.
 */
export interface WaitingForAddress {
  /** SQL, true while something waits for `email`: a create refused by it takes the longer path. */
  exists(db: Knex, email: string): Knex.Raw;
  /** The addresses among `emails` that something waits for. */
  among(db: Knex, emails: readonly string[]): Promise<Set<string>>;
  /** Gives the person what waited for `email`, in the transaction `deps.db`. */
  claim(deps: ServiceDeps, personId: string, email: string, now: Date): Promise<void>;
}

/** What a service that creates people or changes their address works with. */
export interface PeopleDeps extends ServiceDeps {
  readonly waiting: WaitingForAddress;
}

export const PERSON_SORTS = { name: 'sort_name', created_at: 'created_at', updated_at: 'updated_at' };

async function withMemberships(db: Knex, row: PersonRow): Promise<Person> {
  return { ...row, organisations: (await membershipsOf(db, [row.id])).get(row.id) ?? [] };
}

export async function listPeople(
  db: Knex,
  filters: PersonFilters,
  page: { limit: number; cursor?: string; sort: string },
): Promise<Page<Person>> {
  const sort = chooseSort('people', page.sort, PERSON_SORTS);
  const rows = await listPersonRows(db, filters, { ...page, sort: { ...sort, sortField: sort.sortColumn } });
  const memberships = await membershipsOf(
    db,
    rows.data.map((row) => row.id),
  );
  return {
    data: rows.data.map(({ sort_name: _sortName, ...row }) => ({
      ...row,
      organisations: memberships.get(row.id) ?? [],
    })),
    next_cursor: rows.next_cursor,
  };
}

export async function getPerson(db: Knex, id: string): Promise<Person> {
  const row = await findPersonRow(db, id);
  if (!row) throw new NotFoundError(`Person ${id} not found.`);
  return withMemberships(db, row);
}

export async function createPerson(
  deps: PeopleDeps,
  context: RequestContext,
  input: PersonFields,
): Promise<Person> {
  const { db, cache, waiting } = deps;
  const owner_id = resolveOwner(context, 'people', input.owner_id, true);
  const id = newId();
  const row = { ...input, id, owner_id, created_by: creatorOf(context) };
  const audit = (writer: Knex) =>
    auditInsert(writer, context, {
      action: 'create',
      resource: 'people',
      resourceId: id,
      changes: { ...input, owner_id },
    });
  // The acting user is signed in, so exists and is active; another owner is looked up first.
  const checksOwner =
    owner_id !== null && owner_id !== undefined && owner_id !== actingUser(context.principal)?.id;
  if (!checksOwner) {
    // Most creates are one statement. When something waits for the address, PostgreSQL refuses it
    // whole, and the transaction below creates the person and gives them what waited.
    const refusal = input.email
      ? refusedWhen(db, waiting.exists(db, input.email), 'records wait for the address')
      : undefined;
    try {
      const created = await insertPerson(db, row, audit(db), refusal);
      await cache.invalidate(db, newPersonCacheTags(id));
      return { ...created, organisations: [] };
    } catch (error) {
      if (!isRefused(error)) await rethrowDuplicateEmail(db, error, input.email);
    }
  }
  return transaction(db, async (trx) => {
    if (checksOwner) await assertUserExists(trx, owner_id, '/owner_id');
    const created = await insertPerson(trx, row, audit(trx)).catch((error) =>
      rethrowDuplicateEmail(db, error, input.email),
    );
    // What waited for the address before this person existed (email events, which score) is theirs now.
    if (created.email) await waiting.claim({ ...deps, db: trx }, created.id, created.email, new Date());
    await cache.invalidate(trx, newPersonCacheTags(id));
    return { ...created, organisations: [] };
  });
}

export async function updatePerson(
  deps: PeopleDeps,
  context: RequestContext,
  id: string,
  changes: PersonFields,
  ifMatch?: string,
): Promise<Person> {
  const owner_id = resolveOwner(context, 'people', changes.owner_id, false);
  return changeRecord(deps, context, {
    ...existingPerson(id, ifMatch),
    write: async (trx, before) => {
      if (owner_id) await assertUserExists(trx, owner_id, '/owner_id');
      const updated = await updatePersonRow(trx, id, {
        ...changes,
        ...(owner_id !== undefined ? { owner_id } : {}),
      }).catch((error) => rethrowDuplicateEmail(deps.db, error, changes.email));
      if (updated.email && updated.email !== before.email)
        await deps.waiting.claim({ ...deps, db: trx }, id, updated.email, new Date());
      return {
        result: await withMemberships(trx, updated),
        audit: { action: 'update', changes, before: { ...before } },
      };
    },
  });
}

export async function deletePerson(
  deps: ServiceDeps,
  context: RequestContext,
  id: string,
  options: { archive: boolean; ifMatch?: string },
): Promise<void> {
  await changeRecord(deps, context, {
    ...existingPerson(id, options.ifMatch),
    write: async (trx, before) => {
      if (options.archive) {
        return {
          result: undefined,
          audit: await archiveOnce(before.archived_at, () =>
            updatePersonRow(trx, id, { archived_at: trx.fn.now() }),
          ),
        };
      }
      const interactions = await countInteractionsOf(trx, { person_id: id });
      assertNotReferenced(`Person ${id}`, `/v1/people/${id}`, [
        { resource: 'interactions', count: interactions },
      ]);
      await deletePersonRow(trx, id);
      return {
        result: undefined,
        audit: { action: 'delete', changes: { first_name: before.first_name, last_name: before.last_name } },
      };
    },
  });
}

/** A person as `changeRecord` finds them: locked, versioned with their organisations, reached through their owner. */
function existingPerson(id: string, ifMatch: string | undefined): ExistingRecord<PersonRow, Person> {
  return {
    resource: 'people',
    id,
    name: 'Person',
    ifMatch,
    lock: (trx) => findPersonRow(trx, id, { lock: true }),
    representation: (trx, row) => withMemberships(trx, row),
    ownership: (row) => row,
    tags: (trx) => personCacheTags(trx, id),
  };
}

export interface MembershipInput {
  organisation_id: string;
  role?: string | null;
  is_primary?: boolean;
  since?: string | null;
  until?: string | null;
}

/** Links a person to an organisation, or updates the link; returns whether it was new. */
export async function linkOrganisation(
  { db, cache }: ServiceDeps,
  context: RequestContext,
  personId: string,
  input: MembershipInput,
): Promise<{ created: boolean; person: Person }> {
  return transaction(db, async (trx) => {
    const person = await lockPerson(trx, personId);
    assertReaches(context, person, 'people');
    assertDateOrder(input.since, input.until, { start: '/since', end: '/until' });
    await assertExists(trx, 'organisations', input.organisation_id, '/organisation_id', 'organisation');
    const created = await upsertMembership(trx, personId, {
      role: null,
      is_primary: false,
      since: null,
      until: null,
      ...input,
    });
    await cache.invalidate(trx, await personCacheTags(trx, personId));
    await recordChange(trx, context, {
      action: created ? 'create' : 'update',
      resource: 'person_organisations',
      resourceId: personId,
      changes: { ...input },
    });
    return { created, person: await withMemberships(trx, person) };
  });
}

export async function unlinkOrganisation(
  { db, cache }: ServiceDeps,
  context: RequestContext,
  personId: string,
  organisationId: string,
): Promise<void> {
  await transaction(db, async (trx) => {
    const person = await lockPerson(trx, personId);
    assertReaches(context, person, 'people');
    await cache.invalidate(trx, await personCacheTags(trx, personId));
    if (!(await deleteMembership(trx, personId, organisationId))) {
      throw new NotFoundError(`Person ${personId} is not linked to organisation ${organisationId}.`);
    }
    await recordChange(trx, context, {
      action: 'delete',
      resource: 'person_organisations',
      resourceId: personId,
      changes: { organisation_id: organisationId },
    });
  });
}

async function lockPerson(db: Knex, id: string): Promise<PersonRow> {
  const row = await findPersonRow(db, id, { lock: true });
  if (!row) throw new NotFoundError(`Person ${id} not found.`);
  return row;
}

async function rethrowDuplicateEmail(
  db: Knex,
  error: unknown,
  email: string | null | undefined,
): Promise<never> {
  if (isUniqueViolation(error) && email) {
    const existing = await findPersonIdByEmail(db, email);
    throw new ConflictError(`A person with email ${email} already exists (${existing}).`, {
      extensions: { existing_id: existing },
    });
  }
  throw error;
}
