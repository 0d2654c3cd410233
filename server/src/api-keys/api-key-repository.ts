import type { Knex } from '../platform/data/db';
import { keysetPage, type Page } from '../platform/data/pagination';
import type { SpecSchema } from '../platform/web/spec-types';

export interface ApiKey {
  id: string;
  name: string;
  prefix: string;
  scopes: SpecSchema<'Scope'>[];
  created_by: string;
  created_at: Date;
  last_used_at: Date | null;
  revoked_at: Date | null;
}

const COLUMNS = ['id', 'name', 'prefix', 'scopes', 'created_by', 'created_at', 'last_used_at', 'revoked_at'];

export async function insertApiKey(
  db: Knex,
  row: { name: string; prefix: string; key_hash: string; scopes: string[]; created_by: string },
): Promise<ApiKey> {
  const [created] = await db('api_keys').insert(row).returning(COLUMNS);
  return created as ApiKey;
}

export async function findLiveKeyByPrefix(
  db: Knex,
  prefix: string,
): Promise<(ApiKey & { key_hash: string }) | null> {
  return (await db('api_keys').where({ prefix }).whereNull('revoked_at').first()) ?? null;
}

/** Records use, at most once a minute per key, so a busy key does not write on every request. */
export async function touchApiKey(db: Knex, id: string): Promise<void> {
  await db('api_keys')
    .where({ id })
    .andWhere((query) =>
      query.whereNull('last_used_at').orWhere('last_used_at', '<', db.raw("now() - interval '1 minute'")),
    )
    .update({ last_used_at: db.fn.now() });
}

export async function findApiKey(db: Knex, id: string): Promise<ApiKey | null> {
  return (await db('api_keys').select(COLUMNS).where({ id }).first()) ?? null;
}

export async function revokeApiKeyRow(db: Knex, id: string): Promise<ApiKey | null> {
  const [revoked] = await db('api_keys')
    .where({ id })
    .whereNull('revoked_at')
    .update({ revoked_at: db.fn.now() })
    .returning(COLUMNS);
  return (revoked as ApiKey | undefined) ?? null;
}

export function listApiKeyRows(
  db: Knex,
  filters: { revoked?: boolean },
  page: { limit: number; cursor?: string },
): Promise<Page<ApiKey>> {
  const query = db('api_keys').select(COLUMNS);
  if (filters.revoked === true) query.whereNotNull('revoked_at');
  if (filters.revoked === false) query.whereNull('revoked_at');
  return keysetPage<ApiKey>(query, {
    tag: 'api_keys:created_at:asc',
    sortColumn: 'created_at',
    idColumn: 'id',
    direction: 'asc',
    limit: page.limit,
    cursor: page.cursor,
    sortField: 'created_at',
  });
}
