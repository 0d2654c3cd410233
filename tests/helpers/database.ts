/**
 * A database of its own for each test file, cloned from the migrated template in milliseconds, so
 * tests never share rows and never depend on each other's order.
 */
import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import { createLogger } from '../../server/src/platform/core/logger';
import { createDatabase, type Knex } from '../../server/src/platform/data/db';
import { adminQuery, withDatabase } from './postgres';

export interface TestDatabase {
  url: string;
  name: string;
  knex: Knex;
  drop(): Promise<void>;
}

/** A migrated database of its own; `{ empty: true }` gives one with no tables at all (a restore target). */
export async function createTestDatabase(options: { empty?: boolean } = {}): Promise<TestDatabase> {
  const adminUrl = inject('databaseAdminUrl');
  const name = `relais_test_${randomBytes(6).toString('hex')}`;
  await adminQuery(
    adminUrl,
    options.empty
      ? `CREATE DATABASE "${name}"`
      : `CREATE DATABASE "${name}" TEMPLATE "${inject('templateDatabase')}"`,
  );
  const url = withDatabase(adminUrl, name);
  const knex = createDatabase({ url, poolMax: 5, logger: createLogger({ logLevel: 'silent' }) });
  return {
    url,
    name,
    knex,
    drop: async () => {
      await knex.destroy();
      await adminQuery(adminUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    },
  };
}
