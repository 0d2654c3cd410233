/** Single-row reads and writes every resource repository shares. */
import type { Knex } from 'knex';
import { selectRows, sqlTextOf } from './sql';

/** The SQL text of each (columns, table, lock) read by id, built once; by the columns' list itself. */
const readsById = new WeakMap<readonly string[], Map<string, string>>();

/** The row with this id, or null; `lock` takes it FOR UPDATE for the enclosing transaction. */
export async function findRowById<Row>(
  db: Knex,
  table: string,
  columns: readonly string[],
  id: string,
  options: { lock?: boolean } = {},
): Promise<Row | null> {
  let texts = readsById.get(columns);
  if (!texts) {
    texts = new Map();
    readsById.set(columns, texts);
  }
  const key = options.lock ? `${table} lock` : table;
  let text = texts.get(key);
  if (text === undefined) {
    const query = db(table).select(columns).where(`${table}.id`, id);
    if (options.lock) query.forUpdate();
    text = sqlTextOf(query);
    texts.set(key, text);
  }
  const [row] = await selectRows<Row>(db, text, [id]);
  return row ?? null;
}

/** Applies `changes`, stamps `updated_at`, returns the row as it now is. */
export async function updateRowById<Row>(
  db: Knex,
  table: string,
  columns: readonly string[],
  id: string,
  changes: object,
): Promise<Row> {
  const [updated] = await db(table)
    .where({ id })
    .update({ ...changes, updated_at: db.fn.now() })
    .returning(columns.map((column) => column.replace(`${table}.`, '')));
  return updated as Row;
}

/** Inserts one row and returns it as stored. */
export async function insertRow<Row>(
  db: Knex,
  table: string,
  columns: readonly string[],
  row: object,
): Promise<Row> {
  const [created] = await db(table)
    .insert(row)
    .returning(columns.map((column) => column.replace(`${table}.`, '')));
  return created as Row;
}

export async function deleteRowById(db: Knex, table: string, id: string): Promise<void> {
  await db(table).where({ id }).delete();
}
