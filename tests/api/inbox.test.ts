/**
 * The inbox in the user's time zone. The clock stands at 23:30 in Paris (22:30 UTC, winter), so
 * "today" ends in 30 minutes: an item at 23:45 Paris is due today, one at 00:15 Paris is upcoming —
 * although both fall on the same UTC day.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app';
import { createInteraction, createUser, type TestUser } from '../helpers/factories';

const NOW = new Date('2026-01-15T22:30:00Z');
let app: TestApp;
let paris: TestUser;
let manager: TestUser;
beforeAll(async () => {
  app = await startTestApp({ clock: () => NOW });
  [paris, manager] = [
    await createUser(app.db.knex, { time_zone: 'Europe/Paris' }),
    await createUser(app.db.knex, { role: 'manager' }),
  ];
  const item = (title: string, next_action_at: string | null, status = 'todo') =>
    createInteraction(app.db.knex, {
      title,
      assignee_id: paris.id,
      status,
      next_action_at: next_action_at ? new Date(next_action_at) : null,
    });
  await item('overdue since yesterday', '2026-01-14T09:00:00Z');
  await item('overdue ten minutes ago', '2026-01-15T22:20:00Z');
  await item('today 23:45 Paris', '2026-01-15T22:45:00Z');
  await item('tomorrow 00:15 Paris', '2026-01-15T23:15:00Z');
  await item('next week', '2026-01-22T08:00:00Z');
  await item('no date', null);
  await item('done, not in the inbox', '2026-01-15T22:45:00Z', 'done');
  await createInteraction(app.db.knex, {
    title: 'someone else’s',
    assignee_id: manager.id,
    next_action_at: NOW,
  });
});
afterAll(() => app.close());

const titles = (body: { data: { title: string }[] }) => body.data.map((item) => item.title);

describe('GET /v1/inbox', () => {
  it('buckets open work in the user’s time zone around midnight', async () => {
    const inbox = await app.request('GET', '/v1/inbox', { headers: paris.auth });
    expect(inbox.body).toMatchObject({
      user_id: paris.id,
      time_zone: 'Europe/Paris',
      counts: { overdue: 2, today: 1, upcoming: 2, no_date: 1, total: 6 },
    });
    expect(titles(inbox.body)).toEqual([
      'overdue since yesterday',
      'overdue ten minutes ago',
      'today 23:45 Paris',
      'tomorrow 00:15 Paris',
      'next week',
      'no date',
    ]);
    expect(inbox.body.data.slice(0, 2).every((item: { overdue: boolean }) => item.overdue)).toBe(true);
  });

  it('lists one bucket at a time', async () => {
    const today = await app.request('GET', '/v1/inbox?bucket=today', { headers: paris.auth });
    expect(titles(today.body)).toEqual(['today 23:45 Paris']);
    const upcoming = await app.request('GET', '/v1/inbox?bucket=upcoming', { headers: paris.auth });
    expect(titles(upcoming.body)).toEqual(['tomorrow 00:15 Paris', 'next week']);
  });

  it('moves the day boundary with the tz parameter', async () => {
    // In London it is 22:30: the 23:15 UTC item is still today there.
    const london = await app.request('GET', '/v1/inbox?tz=Europe/London', { headers: paris.auth });
    expect(london.body.counts).toMatchObject({ today: 2, upcoming: 1 });
    const bad = await app.request('GET', '/v1/inbox?tz=Mars/Base', { headers: paris.auth });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].field).toBe('tz');
  });

  it('pages in order of next action', async () => {
    const first = await app.request('GET', '/v1/inbox?limit=4', { headers: paris.auth });
    const second = await app.request('GET', `/v1/inbox?limit=4&cursor=${first.body.next_cursor}`, {
      headers: paris.auth,
    });
    expect([...titles(first.body), ...titles(second.body)]).toHaveLength(6);
    expect(second.body.next_cursor).toBeNull();
  });

  it('shows a manager another user’s inbox, but not a user', async () => {
    const asManager = await app.request('GET', `/v1/inbox?user_id=${paris.id}`, { headers: manager.auth });
    expect(asManager.body.counts.total).toBe(6);
    const asUser = await app.request('GET', `/v1/inbox?user_id=${manager.id}`, { headers: paris.auth });
    expect(asUser.status).toBe(403);
  });
});

describe('notifications, recent interactions and the dashboard', () => {
  it('lists, marks one read, and marks all read', async () => {
    for (const type of ['interaction.assigned', 'interaction.assigned']) {
      await app.db.knex('notifications').insert({ user_id: paris.id, type, payload: JSON.stringify({}) });
    }
    const unread = await app.request('GET', '/v1/notifications?unread=true', { headers: paris.auth });
    expect(unread.body.data).toHaveLength(2);
    const read = await app.request('POST', `/v1/notifications/${unread.body.data[0].id}/read`, {
      headers: paris.auth,
    });
    expect(read.body.read_at).not.toBeNull();
    const others = await app.request('POST', `/v1/notifications/${unread.body.data[1].id}/read`, {
      headers: manager.auth,
    });
    expect(others.status).toBe(404);
    const all = await app.request('POST', '/v1/notifications/read-all', { headers: paris.auth });
    expect(all.body).toEqual({ updated: 1 });
    expect(
      (await app.request('GET', '/v1/notifications?unread=true', { headers: paris.auth })).body.data,
    ).toEqual([]);
  });

  it('recent interactions exclude planned ones, and the dashboard carries the inbox counts', async () => {
    await createInteraction(app.db.knex, {
      title: 'planned next month',
      occurred_at: new Date('2026-02-15T10:00:00Z'),
    });
    const recent = await app.request('GET', '/v1/interactions/recent', { headers: paris.auth });
    expect(titles(recent.body)).not.toContain('planned next month');
    const dashboard = await app.request('GET', '/v1/dashboard', { headers: paris.auth });
    expect(dashboard.body).toMatchObject({ hot_leads: [], inbox_counts: { total: 6, overdue: 2 } });
    expect(dashboard.body.recent_interactions.length).toBeLessThanOrEqual(5);
  });
});
