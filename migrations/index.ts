/**
 * The ordered list of migrations. Knex reads them from here rather than from the file system so
 * that the server bundle carries them and TypeScript needs no loader at run time.
 *
 * Rules: one concern per file; schema changes apart from data backfills; never edit a migration
 * that has shipped — add a new one. File name = migration name, `NNNN-concern`.
 */
import type { Knex } from 'knex';
import * as extensions from './0001-extensions';
import * as users from './0002-users';
import * as apiKeys from './0003-api-keys';
import * as auditLog from './0004-audit-log';

interface Migration {
  up(knex: Knex): Promise<void>;
  down(knex: Knex): Promise<void>;
}

const migrations: ReadonlyArray<readonly [name: string, migration: Migration]> = [
  ['0001-extensions', extensions],
  ['0002-users', users],
  ['0003-api-keys', apiKeys],
  ['0004-audit-log', auditLog],
];

export const migrationSource: Knex.MigrationSource<readonly [string, Migration]> = {
  getMigrations: async () => [...migrations],
  getMigrationName: ([name]) => name,
  getMigration: async ([, migration]) => migration,
};
