import type { Knex } from '../platform/data/db';
import { keysetPage, type Page, type SortChoice } from '../platform/data/pagination';
import { deleteRowById, findRowById, insertRow, updateRowById } from '../platform/data/rows';
import { searchFor } from '../platform/data/search';

export const ORGANISATION_TYPES = ['client', 'prospect', 'partner', 'supplier', 'other'] as const;

export interface Organisation {
  id: string;
  name: string;
  type: (typeof ORGANISATION_TYPES)[number];
  category: string | null;
  country: string | null;
  website: string | null;
  notes: string | null;
  owner_id: string | null;
  created_by: string | null;
  created_at: Date;
  updated_at: Date;
  archived_at: Date | null;
}

export type OrganisationFields = Partial<
  Pick<Organisation, 'name' | 'type' | 'category' | 'country' | 'website' | 'notes' | 'owner_id'>
>;

/** An organisation's columns, as the API shows them. */
export const COLUMNS = [
  'id',
  'name',
  'type',
  'category',
  'country',
  'website',
  'notes',
  'owner_id',
  'created_by',
  'created_at',
  'updated_at',
  'archived_at',
];

export function findOrganisation(
  db: Knex,
  id: string,
  options: { lock?: boolean } = {},
): Promise<Organisation | null> {
  return findRowById<Organisation>(db, 'organisations', COLUMNS, id, options);
}

export function insertOrganisation(
  db: Knex,
  row: OrganisationFields & { created_by: string | null },
): Promise<Organisation> {
  return insertRow<Organisation>(db, 'organisations', COLUMNS, row);
}

export function updateOrganisationRow(
  db: Knex,
  id: string,
  changes: OrganisationFields & { archived_at?: unknown },
): Promise<Organisation> {
  return updateRowById<Organisation>(db, 'organisations', COLUMNS, id, changes);
}

export function deleteOrganisationRow(db: Knex, id: string): Promise<void> {
  return deleteRowById(db, 'organisations', id);
}

export async function countMandatesOf(db: Knex, organisationId: string): Promise<number> {
  const [row] = await db('mandates').where({ organisation_id: organisationId }).count({ count: '*' });
  return Number(row?.count ?? 0);
}

export interface OrganisationFilters {
  q?: string;
  type?: string[];
  owner_id?: string;
  country?: string;
  category?: string;
  updated_since?: string;
  include_archived?: boolean;
}

/** Organisations matching the list filters (all but `q`), every column of the resource selected. */
export function filteredOrganisations(db: Knex, filters: Omit<OrganisationFilters, 'q'>): Knex.QueryBuilder {
  const query = db('organisations').select(COLUMNS);
  if (!filters.include_archived) query.whereNull('archived_at');
  if (filters.type?.length) query.whereIn('type', filters.type);
  if (filters.owner_id) query.where('owner_id', filters.owner_id);
  if (filters.country) query.where('country', filters.country);
  if (filters.category) query.where('category', filters.category);
  if (filters.updated_since) query.where('updated_at', '>=', filters.updated_since);
  return query;
}

export function listOrganisationRows(
  db: Knex,
  filters: OrganisationFilters,
  page: { limit: number; cursor?: string; sort: SortChoice },
): Promise<Page<Organisation>> {
  return keysetPage<Organisation>(filteredOrganisations(db, filters), {
    ...page.sort,
    sortField: page.sort.sortField as keyof Organisation & string,
    idColumn: 'id',
    limit: page.limit,
    cursor: page.cursor,
    search: searchFor(db, 'organisations', 'search_text', filters.q),
  });
}
