import type { Knex } from '../platform/data/db';
import { keysetPage, type Page } from '../platform/data/pagination';

export interface AuditEntryInput {
  principal_type: 'user' | 'api_key' | 'embed' | 'system';
  principal_id: string | null;
  action: 'create' | 'update' | 'delete' | 'export' | 'erase';
  resource: string;
  resource_id: string | null;
  changes: Record<string, unknown>;
  request_id: string | null;
}

export interface AuditEntry extends AuditEntryInput {
  id: string;
  occurred_at: Date;
}

export interface AuditFilters {
  resource?: string;
  resource_id?: string;
  principal_id?: string;
  action?: string;
  occurred_after?: string;
  occurred_before?: string;
}

/** The INSERT of an entry, not yet run: await it, or embed it in a larger statement. */
export function insertAuditEntry(db: Knex, entry: AuditEntryInput): Knex.QueryBuilder {
  return db('audit_log').insert({ ...entry, changes: JSON.stringify(entry.changes) });
}

export function listAuditEntries(
  db: Knex,
  filters: AuditFilters,
  page: { limit: number; cursor?: string },
): Promise<Page<AuditEntry>> {
  const query = db('audit_log').select('*');
  if (filters.resource) query.where('resource', filters.resource);
  if (filters.resource_id) query.where('resource_id', filters.resource_id);
  if (filters.principal_id) query.where('principal_id', filters.principal_id);
  if (filters.action) query.where('action', filters.action);
  if (filters.occurred_after) query.where('occurred_at', '>=', filters.occurred_after);
  if (filters.occurred_before) query.where('occurred_at', '<', filters.occurred_before);
  return keysetPage<AuditEntry>(query, {
    tag: 'audit_log:occurred_at:desc',
    sortColumn: 'occurred_at',
    idColumn: 'id',
    direction: 'desc',
    limit: page.limit,
    cursor: page.cursor,
    sortField: 'occurred_at',
  });
}
