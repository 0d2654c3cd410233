import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatchDueReminders } from '../../server/src/interactions';
import { cleanUp } from '../../server/src/maintenance';
import { createLogger } from '../../server/src/platform/core/logger';
import { createDatabase } from '../../server/src/platform/data/db';
import { serviceDeps } from '../../server/src/platform/runtime/service-deps';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { createInteraction, createUser } from '../helpers/factories';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.drop());

const reminders = (interactionId: string) =>
  db
    .knex('notifications')
    .where({ type: 'interaction.reminder' })
    .whereRaw("payload->>'interaction_id' = ?", [interactionId]);

describe('dispatchDueReminders', () => {
  it('reminds the assignee of a due open item once, and nothing else', async () => {
    const user = await createUser(db.knex);
    const past = new Date(Date.now() - 60_000);
    const due = await createInteraction(db.knex, {
      assignee_id: user.id,
      next_action_at: past,
      title: 'Call back',
    });
    const future = await createInteraction(db.knex, {
      assignee_id: user.id,
      next_action_at: new Date(Date.now() + 3_600_000),
    });
    const done = await createInteraction(db.knex, {
      assignee_id: user.id,
      next_action_at: past,
      status: 'done',
    });
    const unassigned = await createInteraction(db.knex, { next_action_at: past });

    expect(await dispatchDueReminders(serviceDeps(db.knex), { batchSize: 10 })).toBe(1);
    expect(await dispatchDueReminders(serviceDeps(db.knex), { batchSize: 10 })).toBe(0);
    const [notification] = await reminders(due.id);
    expect(notification).toMatchObject({
      user_id: user.id,
      payload: { interaction_id: due.id, title: 'Call back' },
    });
    for (const other of [future, done, unassigned]) expect(await reminders(other.id)).toHaveLength(0);
  });

  it('reminds again once the next action is moved (re-armed)', async () => {
    const user = await createUser(db.knex);
    const item = await createInteraction(db.knex, {
      assignee_id: user.id,
      next_action_at: new Date(Date.now() - 1_000),
    });
    await dispatchDueReminders(serviceDeps(db.knex), { batchSize: 10 });
    await db
      .knex('interactions')
      .where({ id: item.id })
      .update({ next_action_at: new Date(Date.now() - 500), reminder_sent_at: null });
    await dispatchDueReminders(serviceDeps(db.knex), { batchSize: 10 });
    expect(await reminders(item.id)).toHaveLength(2);
  });

  it('sends each of 2,000 due reminders exactly once with two dispatchers racing on separate pools', async () => {
    const user = await createUser(db.knex);
    const past = new Date(Date.now() - 60_000);
    await db.knex.batchInsert(
      'interactions',
      Array.from({ length: 2_000 }, (_, index) => ({
        type: 'call',
        title: `Due ${index}`,
        occurred_at: past,
        assignee_id: user.id,
        next_action_at: past,
      })),
      500,
    );
    const logger = createLogger({ logLevel: 'silent' });
    const [a, b] = [
      createDatabase({ url: db.url, poolMax: 2, logger }),
      createDatabase({ url: db.url, poolMax: 2, logger }),
    ];
    try {
      const [sentA, sentB] = await Promise.all([
        dispatchDueReminders(serviceDeps(a), { batchSize: 50 }),
        dispatchDueReminders(serviceDeps(b), { batchSize: 50 }),
      ]);
      expect(sentA + sentB).toBe(2_000);
      expect(sentA).toBeGreaterThan(0);
      expect(sentB).toBeGreaterThan(0);
    } finally {
      await Promise.all([a.destroy(), b.destroy()]);
    }
    const { rows } = await db.knex.raw(
      `SELECT count(*) FILTER (WHERE n <> 1) AS wrong, count(*) AS total FROM (
         SELECT i.id, count(n.id) AS n FROM interactions i
         LEFT JOIN notifications n ON n.type = 'interaction.reminder' AND n.payload->>'interaction_id' = i.id::text
         WHERE i.title LIKE 'Due %' GROUP BY i.id) per_interaction`,
    );
    expect(rows[0]).toEqual({ wrong: '0', total: '2000' });
  });
});

describe('cleanUp', () => {
  it('removes expired idempotency keys, old read notifications and gone workers, keeping the rest', async () => {
    const user = await createUser(db.knex);
    await db.knex('idempotency_keys').insert([
      {
        principal: 'user:x',
        key: 'old',
        fingerprint: 'f',
        created_at: db.knex.raw("now() - interval '25 hours'"),
      },
      { principal: 'user:x', key: 'fresh', fingerprint: 'f' },
    ]);
    await db.knex('notifications').insert([
      { user_id: user.id, type: 't', read_at: db.knex.raw("now() - interval '100 days'") },
      { user_id: user.id, type: 't', read_at: db.knex.raw("now() - interval '1 day'") },
      { user_id: user.id, type: 't', created_at: db.knex.raw("now() - interval '200 days'") },
    ]);
    const heartbeat = { hostname: 'h', pid: 1, started_at: new Date(Date.now() - 3 * 86_400_000) };
    await db.knex('worker_heartbeats').insert([
      { ...heartbeat, name: 'gone', beat_at: new Date(Date.now() - 2 * 86_400_000) },
      { ...heartbeat, name: 'recent', beat_at: new Date(Date.now() - 3_600_000) },
    ]);
    const removed = await cleanUp(db.knex, { notificationDays: 90 });
    expect(removed).toMatchObject({ idempotency_keys: 1, notifications: 1, worker_heartbeats: 1 });
    expect(await db.knex('worker_heartbeats').pluck('name')).toEqual(['recent']);
    expect(await db.knex('idempotency_keys').pluck('key')).toEqual(['fresh']);
    expect(await db.knex('notifications').where({ user_id: user.id })).toHaveLength(2);
  });
});
