import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/database';

let first: TestDatabase;
let second: TestDatabase;
beforeAll(async () => {
  [first, second] = await Promise.all([createTestDatabase(), createTestDatabase()]);
});
afterAll(async () => {
  await Promise.all([first.drop(), second.drop()]);
});

describe('test databases', () => {
  it('come migrated, with the extensions later features rely on', async () => {
    const { rows } = await first.knex.raw<{ rows: { extname: string }[] }>(
      'SELECT extname FROM pg_extension',
    );
    expect(rows.map((row) => row.extname)).toEqual(expect.arrayContaining(['citext', 'pg_trgm', 'unaccent']));
    const { rows: unaccented } = await first.knex.raw<{ rows: { value: string }[] }>(
      "SELECT unaccent('Hélène Dupré') AS value",
    );
    expect(unaccented[0]?.value).toBe('Helene Dupre');
  });

  it('never share rows: each file clones its own', async () => {
    await first.knex.schema.createTable('scratch', (table) => table.integer('n'));
    await first.knex('scratch').insert({ n: 1 });
    expect(first.name).not.toBe(second.name);
    expect(await second.knex.schema.hasTable('scratch')).toBe(false);
  });
});
