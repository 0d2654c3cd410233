import type { Knex } from '../platform/data/db';
import { keysetPage, type Page, type SortChoice } from '../platform/data/pagination';
import { deleteRowById, findRowById, updateRowById } from '../platform/data/rows';
import { searchFor } from '../platform/data/search';
import { selectRows } from '../platform/data/sql';

export interface PersonRow {
  id: string;
  first_name: string;
  last_name: string;
  email: string | null;
  phone: string | null;
  job_title: string | null;
  language: string | null;
  notes: string | null;
  owner_id: string | null;
  created_by: string | null;
  created_at: Date;
  updated_at: Date;
  archived_at: Date | null;
}

export interface Membership {
  organisation_id: string;
  organisation_name: string;
  role: string | null;
  is_primary: boolean;
  since: string | null;
  until: string | null;
}

export type Person = PersonRow & { organisations: Membership[] };

export type PersonFields = Partial<
  Pick<
    PersonRow,
    'first_name' | 'last_name' | 'email' | 'phone' | 'job_title' | 'language' | 'notes' | 'owner_id'
  >
>;

/** A person's columns, as the API shows them. */
export const COLUMNS = [
  'id',
  'first_name',
  'last_name',
  'email',
  'phone',
  'job_title',
  'language',
  'notes',
  'owner_id',
  'created_by',
  'created_at',
  'updated_at',
  'archived_at',
];

export function findPersonRow(
  db: Knex,
  id: string,
  options: { lock?: boolean } = {},
): Promise<PersonRow | null> {
  return findRowById<PersonRow>(db, 'people', COLUMNS, id, options);
}

export async function findPersonIdByEmail(db: Knex, email: string): Promise<string | null> {
  return (await db('people').select('id').where({ email }).first())?.id ?? null;
}

/**
 * Inserts a person and, in the same statement, the audit entry of its creation (one round trip).
 * With `refused` (`refusedWhen`), PostgreSQL refuses the whole statement when it holds.
 */
export async function insertPerson(
  db: Knex,
  row: PersonFields & { id: string; created_by: string | null },
  audit: Knex.QueryBuilder,
  refused?: Knex.Raw,
): Promise<PersonRow> {
  const { rows } = await db.raw<{ rows: PersonRow[] }>(
    `WITH person AS (?), audit AS (?) SELECT * FROM person${refused ? ' WHERE ?' : ''}`,
    [db('people').insert(row).returning(COLUMNS), audit, ...(refused ? [refused] : [])],
  );
  return rows[0]!;
}

export function updatePersonRow(
  db: Knex,
  id: string,
  changes: PersonFields & { archived_at?: unknown },
): Promise<PersonRow> {
  return updateRowById<PersonRow>(db, 'people', COLUMNS, id, changes);
}

export function deletePersonRow(db: Knex, id: string): Promise<void> {
  return deleteRowById(db, 'people', id);
}

const MEMBERSHIPS = `SELECT link.person_id, link.organisation_id, organisation.name AS organisation_name,
    link.role, link.is_primary, link.since, link.until
  FROM person_organisations AS link JOIN organisations AS organisation ON organisation.id = link.organisation_id
  WHERE link.person_id = ANY($1::uuid[])
  ORDER BY link.is_primary DESC, organisation.name`;

/** The organisations of each person, primary first, in one query. */
export async function membershipsOf(db: Knex, personIds: string[]): Promise<Map<string, Membership[]>> {
  const rows =
    personIds.length === 0
      ? []
      : await selectRows<Membership & { person_id: string }>(db, MEMBERSHIPS, [personIds]);
  const byPerson = new Map<string, Membership[]>(personIds.map((id) => [id, []]));
  for (const { person_id, ...membership } of rows) byPerson.get(person_id)?.push(membership);
  return byPerson;
}

export async function upsertMembership(
  db: Knex,
  personId: string,
  link: {
    organisation_id: string;
    role?: string | null;
    is_primary?: boolean;
    since?: string | null;
    until?: string | null;
  },
): Promise<boolean> {
  if (link.is_primary) {
    await db('person_organisations')
      .where({ person_id: personId, is_primary: true })
      .update({ is_primary: false });
  }
  const row = { person_id: personId, ...link };
  const result = await db.raw(
    `${db('person_organisations').insert(row).toQuery()}
     ON CONFLICT (person_id, organisation_id) DO UPDATE SET
       role = EXCLUDED.role, is_primary = EXCLUDED.is_primary, since = EXCLUDED.since, until = EXCLUDED.until
     RETURNING (xmax = 0) AS inserted`,
  );
  return Boolean(result.rows[0]?.inserted);
}

export async function deleteMembership(db: Knex, personId: string, organisationId: string): Promise<boolean> {
  return (
    (await db('person_organisations')
      .where({ person_id: personId, organisation_id: organisationId })
      .delete()) > 0
  );
}

export interface PersonFilters {
  q?: string;
  owner_id?: string;
  organisation_id?: string;
  email?: string;
  updated_since?: string;
  include_archived?: boolean;
}

/** People matching the list filters (all but `q`), every column of the resource selected. */
export function filteredPeople(db: Knex, filters: Omit<PersonFilters, 'q'>): Knex.QueryBuilder {
  const query = db('people').select(COLUMNS);
  if (!filters.include_archived) query.whereNull('archived_at');
  if (filters.owner_id) query.where('owner_id', filters.owner_id);
  if (filters.email) query.where('email', filters.email);
  if (filters.updated_since) query.where('updated_at', '>=', filters.updated_since);
  if (filters.organisation_id) {
    query.whereIn(
      'id',
      db('person_organisations').select('person_id').where('organisation_id', filters.organisation_id),
    );
  }
  return query;
}

export async function listPersonRows(
  db: Knex,
  filters: PersonFilters,
  page: { limit: number; cursor?: string; sort: SortChoice },
): Promise<Page<PersonRow & { sort_name: string }>> {
  const query = filteredPeople(db, filters).select('sort_name');
  return keysetPage(query, {
    ...page.sort,
    sortField: page.sort.sortField as 'sort_name',
    idColumn: 'id',
    limit: page.limit,
    cursor: page.cursor,
    search: searchFor(db, 'people', 'search_text', filters.q),
  });
}
