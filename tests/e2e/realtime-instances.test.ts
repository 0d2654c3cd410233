/**
 * Realtime across processes: two API instances and a worker share one PostgreSQL and one Redis.
 * An event caused through one instance (or by the worker) reaches an SSE client of the other, and
 * a client resuming on the other instance gets what it missed from the Redis stream.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { TEST_JWT_SECRET } from '../helpers/app';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { createUser, type TestUser } from '../helpers/factories';
import { type ServerProcess, startServerProcess } from '../helpers/processes';
import { openEventSocket, openEventStream } from '../helpers/realtime';
import { freePort } from '../helpers/redis-server';

const redisUrl = inject('redisUrl');

describe.skipIf(!redisUrl)('two API instances and a worker over Redis', () => {
  let db: TestDatabase;
  const processes: ServerProcess[] = [];
  const urls: string[] = [];
  let alice: TestUser;
  let bob: TestUser;

  const env = () => ({
    DATABASE_URL: db.url,
    REDIS_URL: redisUrl!,
    REDIS_PREFIX: `relais-e2e-${process.pid}`,
    JWT_SECRET: TEST_JWT_SECRET,
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    RELAIS_REMINDER_EVERY: '1 second',
    RELAIS_JOB_PROCESS_EVERY: '1 second',
  });

  beforeAll(async () => {
    db = await createTestDatabase();
    for (let index = 0; index < 2; index += 1) {
      const port = await freePort();
      const api = startServerProcess(['api'], { ...env(), PORT: String(port) });
      processes.push(api);
      await api.waitForOutput(/Relais is running/);
      urls.push(`http://127.0.0.1:${port}`);
    }
    const worker = startServerProcess(['worker'], { ...env(), LOG_LEVEL: 'info', WORKER_HEALTH_PORT: '0' });
    processes.push(worker);
    await worker.waitForOutput(/job worker started/);
    [alice, bob] = await Promise.all([
      createUser(db.knex, { role: 'user', name: 'Alice' }),
      createUser(db.knex, { role: 'manager', name: 'Bob' }),
    ]);
  });
  afterAll(async () => {
    for (const child of processes) child.child.kill('SIGTERM');
    await Promise.all(processes.map((child) => child.exited));
    await db?.drop();
  });

  const assign = async (via: string, title: string) => {
    const response = await fetch(`${via}/v1/interactions`, {
      method: 'POST',
      headers: { ...bob.auth, 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'call', title, assignee_id: alice.id }),
    });
    expect(response.status).toBe(201);
    return (await response.json()) as { id: string };
  };

  it('delivers a notification created through instance A to SSE and WebSocket clients of instance B', async () => {
    const [a, b] = urls as [string, string];
    const stream = await openEventStream(b, { headers: alice.auth });
    const socket = await openEventSocket(b, { headers: alice.auth });
    try {
      const created = await assign(a, 'Across instances');
      const match = (event: { type: string; data: Record<string, unknown> }) =>
        event.type === 'notification.created' &&
        (event.data.payload as { interaction_id?: string }).interaction_id === created.id;
      const viaSse = await stream.waitFor(match);
      const viaSocket = await socket.waitFor(match);
      expect(viaSocket.id).toBe(viaSse.id);
    } finally {
      stream.close();
      socket.close();
    }
  });

  it('delivers the worker’s reminders to the API instances', async () => {
    const stream = await openEventStream(urls[1]!, { headers: alice.auth });
    try {
      const past = new Date(Date.now() - 60_000);
      const [row] = await db
        .knex('interactions')
        .insert({
          type: 'call',
          title: 'Due',
          occurred_at: past,
          assignee_id: alice.id,
          next_action_at: past,
        })
        .returning('id');
      const reminder = await stream.waitFor(
        (event) =>
          event.type === 'notification.created' &&
          (event.data.payload as { interaction_id?: string }).interaction_id === row.id,
        15_000,
      );
      expect(reminder.data).toMatchObject({ type: 'interaction.reminder', user_id: alice.id });
    } finally {
      stream.close();
    }
  });

  it('resumes on instance B what was published through instance A while disconnected', async () => {
    const [a, b] = urls as [string, string];
    const first = await openEventStream(a, { headers: alice.auth });
    const seen = await first
      .waitFor(() => true, 100)
      .catch(async () => {
        await assign(a, 'Marker');
        return first.waitFor(() => true);
      });
    first.close();
    const missed = await assign(a, 'Missed');
    const resumed = await openEventStream(b, { headers: { ...alice.auth, 'Last-Event-ID': seen.id } });
    try {
      await resumed.waitFor((event) => event.data.id === missed.id);
      expect(resumed.events.some((event) => event.type === 'sync.required')).toBe(false);
    } finally {
      resumed.close();
    }
  });
});
