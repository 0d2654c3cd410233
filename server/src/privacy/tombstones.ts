/**
 * Erased addresses, kept as salted hashes: HMAC-SHA-256 of the lower-cased address with a random
 * per-installation salt (in `relais_meta`, made on first use). A late webhook event for an erased
 * address is recognised and dropped; the table cannot be read back into addresses without the
 * salt, nor by a dictionary of addresses without it.
 */
import { createHmac, randomBytes } from 'node:crypto';
import type { Knex } from '../platform/data/db';
import { setMetaOnce } from '../platform/data/meta';

const SALT_KEY = 'erasure_salt';
const salts = new WeakMap<object, Promise<Buffer>>();

function saltOf(db: Knex): Promise<Buffer> {
  const key = db.client.config as object;
  let salt = salts.get(key);
  if (!salt) {
    salt = (async () => {
      const value = await setMetaOnce(db, SALT_KEY, randomBytes(32).toString('base64'));
      return Buffer.from(String(value), 'base64');
    })();
    salt.catch(() => salts.delete(key));
    salts.set(key, salt);
  }
  return salt;
}

function hashOf(salt: Buffer, email: string): string {
  return createHmac('sha256', salt).update(email.trim().toLowerCase()).digest('hex');
}

/** Records that `email` belonged to an erased person. */
export async function addTombstone(db: Knex, email: string): Promise<void> {
  await db('erased_emails')
    .insert({ email_hash: hashOf(await saltOf(db), email) })
    .onConflict('email_hash')
    .ignore();
}

/** The addresses among `emails` (lower-cased) that belonged to erased people. */
export async function erasedAmong(db: Knex, emails: readonly string[]): Promise<Set<string>> {
  const distinct = [...new Set(emails.map((email) => email.trim().toLowerCase()))];
  if (distinct.length === 0) return new Set();
  const { rows } = await db.raw('SELECT EXISTS (SELECT 1 FROM erased_emails) AS any');
  if (!rows[0]?.any) return new Set();
  const salt = await saltOf(db);
  const byHash = new Map(distinct.map((email) => [hashOf(salt, email), email]));
  const hits = await db('erased_emails')
    .whereIn('email_hash', [...byHash.keys()])
    .pluck('email_hash');
  return new Set(hits.map((hash: string) => byHash.get(hash)!));
}
