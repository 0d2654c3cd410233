import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../server/src/platform/core/ids';
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

  it('give every table time-ordered ids (UUID version 7), made alike by the database and the server', async () => {
    const { rows: defaults } = await first.knex.raw<{
      rows: { table_name: string; column_default: string }[];
    }>(
      `SELECT table_name, column_default FROM information_schema.columns
        WHERE table_schema = 'public' AND column_name = 'id' AND data_type = 'uuid'`,
    );
    expect(defaults.length).toBeGreaterThan(10);
    for (const { table_name, column_default } of defaults)
      expect({ table_name, column_default }).toEqual({ table_name, column_default: 'relais_uuid_v7()' });

    const before = Date.now();
    const { rows } = await first.knex.raw<{ rows: { id: string }[] }>(
      'SELECT relais_uuid_v7()::text AS id FROM generate_series(1, 200)',
    );
    const fromServer = Array.from({ length: 200 }, () => newId());
    const after = Date.now();
    const ids = [...rows.map((row) => row.id), ...fromServer];
    expect(new Set(ids).size).toBe(400);
    for (const id of ids) {
      // Version 7, RFC 9562's variant, and the time it was made in the first 48 bits.
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      const millis = Number.parseInt(id.replace(/-/g, '').slice(0, 12), 16);
      expect(millis).toBeGreaterThanOrEqual(before - 1_000);
      expect(millis).toBeLessThanOrEqual(after + 1_000);
    }
    const times = ids.map((id) => id.slice(0, 13));
    expect(times.slice(0, 200)).toEqual([...times.slice(0, 200)].sort());
    expect(fromServer).toEqual([...fromServer].sort());
  });
});
