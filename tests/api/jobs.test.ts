import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reminderJob } from '../../server/src/interactions';
import { createLogger } from '../../server/src/platform/core/logger';
import { checkJobs, JobRuntime } from '../../server/src/platform/runtime/jobs';
import { startTestApp, type TestApp } from '../helpers/app';
import { createUser, type TestUser } from '../helpers/factories';

let app: TestApp;
let admin: TestUser;
let runtime: JobRuntime;
const health = { maxLagSeconds: 60, heartbeatSeconds: 1 };
beforeAll(async () => {
  app = await startTestApp();
  admin = await createUser(app.db.knex, { role: 'admin' });
  runtime = new JobRuntime({
    connectionString: app.db.url,
    logger: createLogger({ logLevel: 'silent' }),
    processEvery: '1 second',
    lockLifetimeMs: 5_000,
    definitions: [reminderJob(app.services, { every: '1 second', batchSize: 100, pauseMs: 0 })],
    heartbeatSeconds: 1,
  });
});
afterAll(async () => {
  await runtime.stop(2_000);
  await app.close();
});

describe('jobs', () => {
  it('reports no worker before one has started', async () => {
    expect(await checkJobs(app.db.knex, health)).toMatchObject({
      status: 'down',
      detail: 'no job worker has started',
    });
  });

  it('lists the recurring jobs with their last runs once a worker runs them', async () => {
    const due = await createUser(app.db.knex);
    await app.db.knex('interactions').insert({
      type: 'call',
      title: 'Due',
      occurred_at: new Date(),
      assignee_id: due.id,
      next_action_at: new Date(Date.now() - 1_000),
    });
    await runtime.start();
    await expect
      .poll(
        async () =>
          (await app.request('GET', '/v1/jobs', { headers: admin.auth })).body.data[0]?.last_finished_at ??
          null,
        { timeout: 10_000, interval: 200 },
      )
      .not.toBeNull();
    const jobs = await app.request('GET', '/v1/jobs', { headers: admin.auth });
    expect(jobs.body.data).toEqual([expect.objectContaining({ name: 'reminders.dispatch', fail_count: 0 })]);
    expect(jobs.body.workers).toEqual([
      expect.objectContaining({ name: runtime.name, pid: process.pid, alive: true }),
    ]);
    expect(await checkJobs(app.db.knex, health)).toEqual({ status: 'ok' });
    await expect
      .poll(
        async () => (await app.request('GET', '/v1/notifications', { headers: due.auth })).body.data.length,
        { timeout: 5_000 },
      )
      .toBe(1);
  });

  it('reports a worker whose heartbeats stopped, and forgets one that stopped cleanly', async () => {
    // Another worker that died a minute ago (more than three of the app's 10 s beats): listed, not alive.
    await app.db.knex('worker_heartbeats').insert({
      name: 'gone-1',
      hostname: 'gone',
      pid: 1,
      started_at: new Date(Date.now() - 120_000),
      beat_at: new Date(Date.now() - 60_000),
    });
    const listed = await app.request('GET', '/v1/jobs', { headers: admin.auth });
    expect(
      listed.body.workers.map((worker: { name: string; alive: boolean }) => [worker.name, worker.alive]),
    ).toEqual([
      [runtime.name, true],
      ['gone-1', false],
    ]);
    await runtime.stop(2_000);
    expect(await checkJobs(app.db.knex, health)).toEqual({
      status: 'down',
      detail: 'no worker heartbeat in the last 3 s',
    });
    const after = await app.request('GET', '/v1/jobs', { headers: admin.auth });
    expect(after.body.workers.map((worker: { name: string }) => worker.name)).toEqual(['gone-1']);
  });

  it('is for admins', async () => {
    const manager = await createUser(app.db.knex, { role: 'manager' });
    expect((await app.request('GET', '/v1/jobs', { headers: manager.auth })).status).toBe(403);
  });
});
