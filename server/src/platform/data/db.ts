/**
 * The database: one Knex pool per process (Objection models are bound per query through it),
 * migrations from `migrations/`, and a readiness check.
 */
import knexFactory, { type Knex } from 'knex';
import pg from 'pg';
import { migrationSource } from '../../../../migrations';
import { type DependencyCheck, probe } from '../core/dependency-check';
import type { Logger } from '../core/logger';

export type { Knex };

// Keep BIGINT counts and NUMERIC values exact: parse them as strings unless a repository converts.
// `timestamptz` stays a Date; JSON serialises it as ISO 8601 UTC.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => value);
// A DATE is a calendar day, not an instant: keep it as 'YYYY-MM-DD' rather than a local-midnight Date.
pg.types.setTypeParser(pg.types.builtins.DATE, (value) => value);

export interface DatabaseOptions {
  url: string;
  poolMax: number;
  logger: Logger;
  /** Application name shown in pg_stat_activity. */
  applicationName?: string;
}

export function createDatabase(options: DatabaseOptions): Knex {
  const log = options.logger.child({ component: 'db' });
  return knexFactory({
    client: 'pg',
    connection: {
      connectionString: options.url,
      application_name: options.applicationName ?? 'relais',
      // A statement that runs away must not hold a request forever.
      statement_timeout: 30_000,
    },
    pool: { min: 0, max: options.poolMax },
    acquireConnectionTimeout: 10_000,
    migrations: { migrationSource, tableName: 'knex_migrations' },
    log: {
      warn: (message: unknown) => log.warn({ message }, 'knex warning'),
      error: (message: unknown) => log.error({ message }, 'knex error'),
      deprecate: (message: unknown) => log.warn({ message }, 'knex deprecation'),
      debug: (message: unknown) => log.debug({ message }, 'knex debug'),
    },
  });
}

/** Applies every pending migration; returns the names applied. */
export async function migrateLatest(knex: Knex): Promise<string[]> {
  const [, applied] = (await knex.migrate.latest()) as [number, string[]];
  return applied;
}

/** Runs `SELECT 1` with a short timeout. Never throws. */
export function checkDatabase(knex: Knex, timeoutMs = 2_000): Promise<DependencyCheck> {
  return probe(() => knex.raw('SELECT 1'), timeoutMs);
}

/** The PostgreSQL error code of an error from pg, Knex or Objection (which wraps it in `nativeError`). */
export function pgErrorCode(error: unknown): string | undefined {
  const candidate = error as { code?: unknown; nativeError?: { code?: unknown } } | null;
  const code = candidate?.nativeError?.code ?? candidate?.code;
  return typeof code === 'string' ? code : undefined;
}

export const isUniqueViolation = (error: unknown) => pgErrorCode(error) === '23505';

/**
 * A condition under which PostgreSQL refuses the statement it is part of (migration 0036's
 * `relais_refuse`): nothing the statement wrote stays, and the error is `isRefused`.
 */
export function refusedWhen(db: Knex, condition: Knex.Raw, reason: string): Knex.Raw {
  return db.raw('CASE WHEN ? THEN relais_refuse(?) ELSE true END', [condition, reason]);
}

export const isRefused = (error: unknown) => pgErrorCode(error) === 'RL001';
