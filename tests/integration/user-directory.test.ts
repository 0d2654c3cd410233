import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../server/src/platform/core/logger';
import { UserDirectory } from '../../server/src/users';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { createUser } from '../helpers/factories';

let db: TestDatabase;
let directory: UserDirectory;
beforeAll(async () => {
  db = await createTestDatabase();
  directory = new UserDirectory(db.knex, createLogger({ logLevel: 'silent' }));
  await directory.start();
});
afterAll(async () => {
  await directory.stop();
  await db.drop();
});

describe('the user directory', () => {
  it('serves repeated lookups from cache', async () => {
    const user = await createUser(db.knex);
    const queries: string[] = [];
    const listener = (query: { sql: string }) => queries.push(query.sql);
    db.knex.on('query', listener);
    await directory.find(user.id);
    await directory.find(user.id);
    await directory.find(user.id);
    db.knex.removeListener('query', listener);
    expect(queries.filter((sql) => sql.includes('"users"'))).toHaveLength(1);
  });

  it('sees a change made behind its back (plain SQL) once PostgreSQL announces it', async () => {
    const user = await createUser(db.knex, { role: 'admin' });
    expect((await directory.find(user.id))?.role).toBe('admin');
    await db.knex('users').where({ id: user.id }).update({ role: 'readonly', active: false });
    await expect
      .poll(async () => (await directory.find(user.id))?.active, { timeout: 2_000, interval: 10 })
      .toBe(false);
    expect((await directory.find(user.id))?.role).toBe('readonly');
  });

  it('stops caching when its listener is gone, and resumes when it is back', async () => {
    const user = await createUser(db.knex);
    await directory.find(user.id);
    // Kill the LISTEN connection from the server side.
    await db.knex.raw(
      "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN%'",
    );
    await db.knex('users').where({ id: user.id }).update({ name: 'Renamed while deaf' });
    await expect
      .poll(async () => (await directory.find(user.id))?.name, { timeout: 2_000, interval: 10 })
      .toBe('Renamed while deaf');
  });
});
