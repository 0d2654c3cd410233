/**
 * Invariant 4 with real processes: a due reminder notifies its assignee exactly once, whatever the
 * number of worker processes, and is not lost when a worker is killed in the middle of a batch.
 * And supervision: a worker whose job loop stalls, while the process lives on, says so on its
 * health port, then exits for its supervisor to restart it.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { createUser } from '../helpers/factories';
import { type ServerProcess, startServerProcess } from '../helpers/processes';
import { freePort } from '../helpers/redis-server';

let db: TestDatabase;
const workers = new Set<ServerProcess>();
beforeAll(async () => {
  db = await createTestDatabase();
});
afterEach(async () => {
  for (const worker of workers) worker.child.kill('SIGKILL');
  await Promise.all([...workers].map((worker) => worker.exited));
  workers.clear();
});
afterAll(() => db.drop());

function startWorker(env: Record<string, string> = {}): ServerProcess {
  const worker = startServerProcess(['worker'], {
    DATABASE_URL: db.url,
    JWT_SECRET: 'worker-test-secret-that-is-long-enough-0123',
    LOG_LEVEL: 'info',
    RELAIS_REMINDER_EVERY: '1 second',
    RELAIS_JOB_PROCESS_EVERY: '1 second',
    RELAIS_JOB_LOCK_LIFETIME_MS: '3000',
    RELAIS_REMINDER_BATCH_SIZE: '100',
    WORKER_HEALTH_PORT: '0',
    ...env,
  });
  workers.add(worker);
  return worker;
}

async function seedDueReminders(count: number, prefix: string): Promise<void> {
  const user = await createUser(db.knex);
  const past = new Date(Date.now() - 60_000);
  await db.knex.batchInsert(
    'interactions',
    Array.from({ length: count }, (_, index) => ({
      type: 'call',
      title: `${prefix} ${index}`,
      occurred_at: past,
      assignee_id: user.id,
      next_action_at: past,
    })),
    500,
  );
}

/** Per interaction of the batch: how many reminders it got. */
async function reminderCounts(
  prefix: string,
): Promise<{ missing: number; duplicated: number; total: number }> {
  const { rows } = await db.knex.raw(
    `SELECT count(*) FILTER (WHERE n = 0) AS missing, count(*) FILTER (WHERE n > 1) AS duplicated, count(*) AS total FROM (
       SELECT i.id, count(n.id) AS n FROM interactions i
       LEFT JOIN notifications n ON n.type = 'interaction.reminder' AND n.payload->>'interaction_id' = i.id::text
       WHERE i.title LIKE ? GROUP BY i.id) per_interaction`,
    [`${prefix} %`],
  );
  return {
    missing: Number(rows[0].missing),
    duplicated: Number(rows[0].duplicated),
    total: Number(rows[0].total),
  };
}

describe('reminder workers', () => {
  it('two worker processes send 2,000 due reminders exactly once', async () => {
    await seedDueReminders(2_000, 'Pair');
    const first = startWorker();
    await first.waitForOutput(/job worker started/);
    const second = startWorker();
    await second.waitForOutput(/job worker started/);
    await expect
      .poll(async () => (await reminderCounts('Pair')).missing, { timeout: 30_000, interval: 250 })
      .toBe(0);
    expect(await reminderCounts('Pair')).toEqual({ missing: 0, duplicated: 0, total: 2_000 });
  });

  it('a worker killed mid-batch loses nothing and duplicates nothing', async () => {
    await seedDueReminders(1_000, 'Chaos');
    // The first worker pauses 3 s inside each batch's transaction: it will die holding one.
    const doomed = startWorker({ RELAIS_REMINDER_BATCH_PAUSE_MS: '3000' });
    await doomed.waitForOutput(/job worker started/);
    await expect
      .poll(
        async () =>
          (
            await db.knex.raw(
              "SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'relais-worker' AND state = 'idle in transaction'",
            )
          ).rows[0].n,
        { timeout: 20_000, interval: 100 },
      )
      .not.toBe('0');
    doomed.child.kill('SIGKILL');
    await doomed.exited;
    expect((await reminderCounts('Chaos')).missing).toBeGreaterThan(0);

    const rescuer = startWorker();
    await rescuer.waitForOutput(/job worker started/);
    await expect
      .poll(async () => (await reminderCounts('Chaos')).missing, { timeout: 30_000, interval: 250 })
      .toBe(0);
    expect(await reminderCounts('Chaos')).toEqual({ missing: 0, duplicated: 0, total: 1_000 });
  });

  it('SIGTERM stops a worker cleanly with exit code 0', async () => {
    const worker = startWorker();
    await worker.waitForOutput(/job worker started/);
    worker.child.kill('SIGTERM');
    expect(await worker.exited).toBe(0);
  });
});

describe('worker supervision', () => {
  async function ready(url: string): Promise<{
    status: number;
    body: { status: string; checks: Record<string, { status: string; detail?: string }> };
  }> {
    const response = await fetch(`${url}/ready`);
    return { status: response.status, body: await response.json() };
  }

  it('a stalled job loop turns /ready to 503 while /health stays up, then the worker exits 70', async () => {
    const port = await freePort();
    const worker = startWorker({
      WORKER_HEALTH_PORT: String(port),
      RELAIS_WORKER_HEARTBEAT_SECONDS: '1',
      RELAIS_WORKER_STALL_EXIT_SECONDS: '8',
      SHUTDOWN_TIMEOUT_MS: '1000',
    });
    await worker.waitForOutput(/worker health served/);
    const url = `http://127.0.0.1:${port}`;
    // No REDIS_URL here: degraded, but ready.
    expect(await ready(url)).toMatchObject({
      status: 200,
      body: { status: 'degraded', checks: { jobs: { status: 'ok' } } },
    });
    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(metrics).toContain('relais_job_runs_total');

    // Stall the loop without touching the process: hold the jobs table locked. Every query of the
    // loop (and of its heartbeat) now waits.
    const holder = await db.knex.client.acquireConnection();
    try {
      await holder.query('BEGIN');
      await holder.query('LOCK TABLE agenda_jobs IN ACCESS EXCLUSIVE MODE');
      await expect.poll(async () => (await ready(url)).status, { timeout: 15_000, interval: 250 }).toBe(503);
      const stalled = await ready(url);
      expect(stalled.body.status).toBe('unavailable');
      expect(stalled.body.checks.jobs).toEqual({
        status: 'down',
        detail: expect.stringMatching(/^job loop silent for \d+ s$/),
      });
      expect(stalled.body.checks.database?.status).toBe('ok');
      expect((await fetch(`${url}/health`)).status).toBe(200);
      expect(worker.child.exitCode).toBeNull();

      const code = await Promise.race([
        worker.exited,
        new Promise((resolve) => setTimeout(() => resolve('still running'), 30_000)),
      ]);
      expect(code).toBe(70);
      expect(worker.output()).toMatch(/job loop stalled/);
    } finally {
      await holder.query('ROLLBACK').catch(() => undefined);
      await db.knex.client.releaseConnection(holder);
    }
  });

  it('a loop that stalls and recovers before the exit deadline is ready again', async () => {
    const port = await freePort();
    const worker = startWorker({
      WORKER_HEALTH_PORT: String(port),
      RELAIS_WORKER_HEARTBEAT_SECONDS: '1',
      RELAIS_WORKER_STALL_EXIT_SECONDS: '0',
    });
    await worker.waitForOutput(/worker health served/);
    const url = `http://127.0.0.1:${port}`;
    const holder = await db.knex.client.acquireConnection();
    try {
      await holder.query('BEGIN');
      await holder.query('LOCK TABLE agenda_jobs IN ACCESS EXCLUSIVE MODE');
      await expect.poll(async () => (await ready(url)).status, { timeout: 15_000, interval: 250 }).toBe(503);
    } finally {
      await holder.query('ROLLBACK');
      await db.knex.client.releaseConnection(holder);
    }
    await expect.poll(async () => (await ready(url)).status, { timeout: 15_000, interval: 250 }).toBe(200);
    expect(worker.child.exitCode).toBeNull();
  });
});
