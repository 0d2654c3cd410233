/**
 * Fixed SQL text on the pool's connection (`selectRows`, behind every read by id): it sees what
 * the enclosing transaction sees, takes its row locks, announces itself on Knex's `query` event,
 * and gives every borrowed connection back, after a failed query too. Named prepared statements
 * (`preparedRows`, behind the interaction create) are planned once per connection.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findRowById } from '../../server/src/platform/data/rows';
import { preparedRows, selectRows } from '../../server/src/platform/data/sql';
import { createTestDatabase, type TestDatabase } from '../helpers/database';

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.drop());

const insertOrganisation = (knex: TestDatabase['knex'], name: string) =>
  knex('organisations')
    .insert({ name, type: 'client' })
    .returning('id')
    .then(([row]) => String(row.id));

describe('selectRows', () => {
  it("runs inside the caller's transaction: sees its uncommitted rows, which others do not", async () => {
    await db.knex.transaction(async (trx) => {
      const id = await insertOrganisation(trx, 'Uncommitted SA');
      const inside = await findRowById<{ name: string }>(trx, 'organisations', ['id', 'name'], id);
      expect(inside?.name).toBe('Uncommitted SA');
      expect(await findRowById(db.knex, 'organisations', ['id', 'name'], id)).toBeNull();
      await trx.rollback();
    });
  });

  it('takes the row lock FOR UPDATE for the enclosing transaction', async () => {
    const id = await insertOrganisation(db.knex, 'Locked SA');
    await db.knex.transaction(async (trx) => {
      await findRowById(trx, 'organisations', ['id'], id, { lock: true });
      const [row] = await selectRows<{ locked: boolean }>(
        db.knex,
        `SELECT count(*) = 0 AS locked FROM (SELECT id FROM organisations WHERE id = $1 FOR UPDATE SKIP LOCKED) AS free`,
        [id],
      );
      expect(row?.locked).toBe(true);
    });
  });

  it("announces each query on Knex's query event, with its text and values", async () => {
    const seen: { sql: string; bindings: unknown[] }[] = [];
    const listener = (query: { sql: string; bindings: unknown[] }) => seen.push(query);
    db.knex.on('query', listener);
    try {
      await selectRows(db.knex, 'SELECT $1::int AS one', [1]);
    } finally {
      db.knex.off('query', listener);
    }
    expect(seen).toEqual([expect.objectContaining({ sql: 'SELECT $1::int AS one', bindings: [1] })]);
  });

  it('gives the connection back when the query fails, with the SQLSTATE of the error', async () => {
    for (let attempt = 0; attempt < 8; attempt += 1) {
      await expect(selectRows(db.knex, 'SELECT $1::uuid', ['not-a-uuid'])).rejects.toMatchObject({
        code: '22P02',
      });
    }
    // The pool holds 5 connections: had failures kept theirs, this would wait and time out.
    expect(await selectRows(db.knex, 'SELECT 1 AS ok', [])).toEqual([{ ok: 1 }]);
    const pool = (db.knex.client as { pool: { numUsed(): number } }).pool;
    expect(pool.numUsed()).toBe(0);
  });
});

describe('preparedRows', () => {
  it("runs a Knex query as a named prepared statement of the caller's connection, its plan kept", async () => {
    await db.knex.transaction(async (trx) => {
      const id = await insertOrganisation(trx, 'Prepared SA');
      const names: string[] = [];
      for (let run = 0; run < 8; run += 1) {
        const [row] = await preparedRows<{ name: string }>(
          trx,
          'relais_test_organisation_name',
          trx('organisations').where({ id }).select('name'),
        );
        names.push(row!.name);
      }
      expect(names).toEqual(Array(8).fill('Prepared SA'));
      const { rows } = await trx.raw(
        `SELECT generic_plans, custom_plans FROM pg_prepared_statements
          WHERE name = 'relais_test_organisation_name'`,
      );
      // PostgreSQL plans the first five runs for their values, then runs one kept plan for any values.
      expect(rows).toEqual([{ custom_plans: '5', generic_plans: '3' }]);
      await trx.rollback();
    });
  });

  it('refuses a name already given to another text, before sending anything', async () => {
    await preparedRows(db.knex, 'relais_test_one_text', db.knex.raw('SELECT ?::int AS n', [1]));
    await expect(
      preparedRows(db.knex, 'relais_test_one_text', db.knex.raw('SELECT ?::int + 1 AS n', [1])),
    ).rejects.toThrow('the prepared statement relais_test_one_text was given another text');
  });
});
