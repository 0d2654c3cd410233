/**
 * `relais_meta`: a few facts about this installation, by key (`demo:<step>` once a demo step is
 * loaded, `erasure_salt` for the tombstones of erased addresses). Values are JSON.
 */
import type { Knex } from './db';

/** The value under `key`, or undefined. */
export async function metaValue(db: Knex, key: string): Promise<unknown> {
  const row = await db('relais_meta').where({ key }).first('value');
  return row ? row.value : undefined;
}

/** Sets `key` to `value` unless it is set already (the first writer wins); returns the value kept. */
export async function setMetaOnce(db: Knex, key: string, value: unknown): Promise<unknown> {
  const [inserted] = await db('relais_meta')
    .insert({ key, value: JSON.stringify(value) })
    .onConflict('key')
    .ignore()
    .returning('value');
  // Set already: the value another writer kept.
  return inserted ? inserted.value : metaValue(db, key);
}
