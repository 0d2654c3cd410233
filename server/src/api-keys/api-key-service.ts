/**
 * API keys for applications. A key is `rk_` + 43 random base64url characters, shown once at
 * creation; the database keeps its first 11 characters (to find it) and its SHA-256 (to check it).
 * SHA-256 suffices here, unlike for passwords: 256 random bits cannot be guessed offline.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { recordChange } from '../audit';
import type { RequestContext } from '../platform/core/context';
import { NotFoundError, ValidationError } from '../platform/core/errors';
import { assertHolds } from '../platform/core/grants';
import { SCOPES } from '../platform/core/permissions';
import { actingUser } from '../platform/core/principal';
import { transaction } from '../platform/data/after-commit';
import type { Knex } from '../platform/data/db';
import {
  type ApiKey,
  findApiKey,
  findLiveKeyByPrefix,
  insertApiKey,
  listApiKeyRows,
  revokeApiKeyRow,
  touchApiKey,
} from './api-key-repository';

const KEY_PATTERN = /^rk_[A-Za-z0-9_-]{43}$/;
const PREFIX_LENGTH = 11;

const sha256 = (value: string) => createHash('sha256').update(value).digest();

export async function createApiKey(
  db: Knex,
  context: RequestContext,
  input: { name: string; scopes: string[] },
): Promise<ApiKey & { key: string }> {
  const unknown = input.scopes.filter((scope) => !SCOPES.includes(scope));
  if (unknown.length) {
    throw new ValidationError(`Unknown scopes: ${unknown.join(', ')}.`, {
      errors: unknown.map((scope) => ({
        in: 'body' as const,
        field: `/scopes/${input.scopes.indexOf(scope)}`,
        message: `is not a scope; see docs/permissions.md`,
      })),
    });
  }
  assertHolds(context.principal, input.scopes, 'An API key with these scopes');
  const creator = actingUser(context.principal);
  const createdBy =
    creator?.id ?? (context.principal.kind === 'api_key' ? context.principal.createdBy : null);
  if (!createdBy) throw new ValidationError('API keys are created by a user or another key.');
  const key = `rk_${randomBytes(32).toString('base64url')}`;
  return transaction(db, async (trx) => {
    const created = await insertApiKey(trx, {
      name: input.name,
      prefix: key.slice(0, PREFIX_LENGTH),
      key_hash: sha256(key).toString('hex'),
      scopes: [...new Set(input.scopes)].sort(),
      created_by: createdBy,
    });
    await recordChange(trx, context, {
      action: 'create',
      resource: 'api_keys',
      resourceId: created.id,
      changes: { name: created.name, scopes: created.scopes, key: '' },
    });
    return { ...created, key };
  });
}

/** The key's record when `key` is live, else null. Never throws on malformed input. */
export async function verifyApiKey(db: Knex, key: string): Promise<ApiKey | null> {
  if (!KEY_PATTERN.test(key)) return null;
  const record = await findLiveKeyByPrefix(db, key.slice(0, PREFIX_LENGTH));
  if (!record) return null;
  const expected = Buffer.from(record.key_hash, 'hex');
  const actual = sha256(key);
  if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) return null;
  void touchApiKey(db, record.id).catch(() => undefined);
  const { key_hash: _hash, ...apiKey } = record;
  return apiKey;
}

export async function revokeApiKey(db: Knex, context: RequestContext, id: string): Promise<void> {
  await transaction(db, async (trx) => {
    const revoked = await revokeApiKeyRow(trx, id);
    if (!revoked) {
      if (await findApiKey(trx, id)) return;
      throw new NotFoundError(`API key ${id} not found.`);
    }
    await recordChange(trx, context, {
      action: 'delete',
      resource: 'api_keys',
      resourceId: id,
      changes: { name: revoked.name },
    });
  });
}

export function listApiKeys(
  db: Knex,
  filters: { revoked?: boolean },
  page: { limit: number; cursor?: string },
) {
  return listApiKeyRows(db, filters, page);
}
