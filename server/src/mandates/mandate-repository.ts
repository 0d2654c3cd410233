import type { Knex } from '../platform/data/db';
import { keysetPage, type Page, type SortChoice } from '../platform/data/pagination';
import { deleteRowById, findRowById, insertRow, updateRowById } from '../platform/data/rows';
import type { SpecSchema } from '../platform/web/spec-types';

export const MANDATE_STATUSES = ['draft', 'proposed', 'signed', 'active', 'terminated'] as const;
export type MandateStatus = (typeof MANDATE_STATUSES)[number];

export interface Mandate {
  id: string;
  organisation_id: string;
  title: string;
  type: SpecSchema<'MandateType'>;
  status: MandateStatus;
  start_date: string | null;
  end_date: string | null;
  notes: string | null;
  owner_id: string | null;
  created_by: string | null;
  created_at: Date;
  updated_at: Date;
}

export type MandateFields = Partial<
  Pick<
    Mandate,
    'organisation_id' | 'title' | 'type' | 'status' | 'start_date' | 'end_date' | 'notes' | 'owner_id'
  >
>;

const COLUMNS = [
  'id',
  'organisation_id',
  'title',
  'type',
  'status',
  'start_date',
  'end_date',
  'notes',
  'owner_id',
  'created_by',
  'created_at',
  'updated_at',
];

export function findMandate(db: Knex, id: string, options: { lock?: boolean } = {}): Promise<Mandate | null> {
  return findRowById<Mandate>(db, 'mandates', COLUMNS, id, options);
}

export function insertMandate(
  db: Knex,
  row: MandateFields & { created_by: string | null },
): Promise<Mandate> {
  return insertRow<Mandate>(db, 'mandates', COLUMNS, row);
}

export function updateMandateRow(db: Knex, id: string, changes: MandateFields): Promise<Mandate> {
  return updateRowById<Mandate>(db, 'mandates', COLUMNS, id, changes);
}

export function deleteMandateRow(db: Knex, id: string): Promise<void> {
  return deleteRowById(db, 'mandates', id);
}

export interface MandateFilters {
  organisation_id?: string;
  status?: string[];
  type?: string[];
  owner_id?: string;
  updated_since?: string;
}

export function listMandateRows(
  db: Knex,
  filters: MandateFilters,
  page: { limit: number; cursor?: string; sort: SortChoice },
): Promise<Page<Mandate>> {
  const query = db('mandates').select(COLUMNS);
  if (filters.organisation_id) query.where('organisation_id', filters.organisation_id);
  if (filters.status?.length) query.whereIn('status', filters.status);
  if (filters.type?.length) query.whereIn('type', filters.type);
  if (filters.owner_id) query.where('owner_id', filters.owner_id);
  if (filters.updated_since) query.where('updated_at', '>=', filters.updated_since);
  return keysetPage<Mandate>(query, {
    ...page.sort,
    sortField: page.sort.sortField as keyof Mandate & string,
    idColumn: 'id',
    limit: page.limit,
    cursor: page.cursor,
  });
}
