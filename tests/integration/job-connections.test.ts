/**
 * The job worker's database connections may be ended by the server at any time (a restart, or a
 * shutdown racing the worker's own): the worker logs it and goes on, it never dies of an
 * unhandled 'error' event, and it still stops cleanly.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reminderJob } from '../../server/src/interactions';
import { createLogger } from '../../server/src/platform/core/logger';
import { JobRuntime } from '../../server/src/platform/runtime/jobs';
import { serviceDeps } from '../../server/src/platform/runtime/service-deps';
import { createTestDatabase, type TestDatabase } from '../helpers/database';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.drop());

describe('job worker connections', () => {
  it('survives the server terminating every connection it holds, then stops cleanly', async () => {
    const runtime = new JobRuntime({
      connectionString: db.url,
      logger: createLogger({ logLevel: 'silent' }),
      processEvery: '1 second',
      lockLifetimeMs: 5_000,
      definitions: [reminderJob(serviceDeps(db.knex), { every: '1 second', batchSize: 10, pauseMs: 0 })],
    });
    await runtime.start();
    const errors: unknown[] = [];
    const onError = (error: unknown) => errors.push(error);
    process.on('uncaughtException', onError);
    try {
      const database = new URL(db.url).pathname.slice(1);
      // 57P01, as when PostgreSQL shuts down under the worker: idle pooled clients and LISTEN alike.
      const terminated = await db.knex.raw(
        `SELECT count(pg_terminate_backend(pid)) AS n FROM pg_stat_activity
         WHERE datname = ? AND pid <> pg_backend_pid() AND application_name = ''`,
        [database],
      );
      expect(Number(terminated.rows[0].n)).toBeGreaterThan(0);
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      expect(errors).toEqual([]);
      await runtime.stop(2_000);
    } finally {
      process.off('uncaughtException', onError);
    }
  });
});
