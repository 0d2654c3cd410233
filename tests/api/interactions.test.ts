import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INTERACTION_TRANSITIONS } from '../../server/src/interactions/interaction-workflow';
import type { Role } from '../../server/src/platform/core/permissions';
import { startTestApp, type TestApp } from '../helpers/app';
import {
  createInteraction,
  createOrganisation,
  createPerson,
  createUser,
  createUsersPerRole,
  type TestUser,
} from '../helpers/factories';

let app: TestApp;
let users: Record<Role, TestUser>;
beforeAll(async () => {
  app = await startTestApp();
  users = await createUsersPerRole(app.db.knex);
});
afterAll(() => app.close());

const create = (user: TestUser, body: object) =>
  app.request('POST', '/v1/interactions', { headers: user.auth, body });
const patch = (user: TestUser, id: string, body: object) =>
  app.request('PATCH', `/v1/interactions/${id}`, { headers: user.auth, body });

describe('creating interactions with participants', () => {
  it('creates the interaction and its participants together, with names', async () => {
    const [client, organisation] = [
      await createPerson(app.db.knex, { first_name: 'Anne', last_name: 'Client' }),
      await createOrganisation(app.db.knex),
    ];
    const response = await create(users.user, {
      type: 'meeting',
      title: 'Annual review',
      organisation_id: organisation.id,
      occurred_at: '2026-11-20T09:00:00Z',
      duration_minutes: 60,
      participants: [{ user_id: users.user.id, role: 'organiser' }, { person_id: client.id }],
    });
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({
      status: 'todo',
      source: 'manual',
      created_by: users.user.id,
      overdue: false,
    });
    expect(
      response.body.participants.map((p: { name: string; role: string }) => [p.name, p.role]).sort(),
    ).toEqual([
      ['Anne Client', 'attendee'],
      [users.user.name, 'organiser'],
    ]);
  });

  it('refuses a participant that is both or neither a user and a person, or appears twice — and writes nothing', async () => {
    const client = await createPerson(app.db.knex);
    const before = Number((await app.db.knex('interactions').count({ n: '*' }))[0]?.n);
    const response = await create(users.user, {
      type: 'call',
      title: 'Bad participants',
      participants: [
        { user_id: users.user.id, person_id: client.id },
        {},
        { person_id: client.id },
        { person_id: client.id },
      ],
    });
    expect(response.status).toBe(400);
    expect(response.body.errors.map((error: { field: string }) => error.field)).toEqual([
      '/participants/0',
      '/participants/1',
      '/participants/3',
    ]);
    expect(Number((await app.db.knex('interactions').count({ n: '*' }))[0]?.n)).toBe(before);
  });

  it('names every missing person, organisation or inactive user — and writes nothing, audit included', async () => {
    const client = await createPerson(app.db.knex);
    const inactive = await createUser(app.db.knex, { role: 'user' });
    await app.db.knex('users').where({ id: inactive.id }).update({ active: false });
    const missing = '00000000-0000-4000-8000-000000000001';
    const count = async () =>
      Promise.all(
        ['interactions', 'interaction_participants', 'audit_log'].map(async (table) =>
          Number((await app.db.knex(table).count({ n: '*' }))[0]?.n),
        ),
      );
    const before = await count();
    const people = await create(users.user, {
      type: 'call',
      title: 'Missing people',
      organisation_id: missing,
      participants: [{ person_id: client.id }, { person_id: missing }],
    });
    expect(people.status).toBe(400);
    expect(people.body.errors.map((error: { field: string }) => error.field)).toEqual([
      '/organisation_id',
      '/participants/1/person_id',
    ]);
    const user = await create(users.user, {
      type: 'call',
      title: 'Inactive user',
      participants: [{ person_id: client.id }, { user_id: inactive.id }],
    });
    expect(user.status).toBe(400);
    expect(user.body.errors).toEqual([
      { in: 'body', field: '/participants/1/user_id', message: 'is not an active user' },
    ]);
    expect(await count()).toEqual(before);
  });

  it('is held to one party per participant by the database itself', async () => {
    const interaction = await createInteraction(app.db.knex);
    const person = await createPerson(app.db.knex);
    await expect(
      app.db
        .knex('interaction_participants')
        .insert({ interaction_id: interaction.id, occurred_at: new Date() }),
    ).rejects.toThrow(/interaction_participants_one_party/);
    await app.db
      .knex('interaction_participants')
      .insert({ interaction_id: interaction.id, person_id: person.id, occurred_at: new Date() });
    await expect(
      app.db
        .knex('interaction_participants')
        .insert({ interaction_id: interaction.id, person_id: person.id, occurred_at: new Date() }),
    ).rejects.toThrow(/interaction_participants_person_key/);
  });

  it('replaces the participants as a set on update', async () => {
    const [first, second] = [await createPerson(app.db.knex), await createPerson(app.db.knex)];
    const created = await create(users.user, {
      type: 'call',
      title: 'Set',
      participants: [{ person_id: first.id }],
    });
    const updated = await patch(users.user, created.body.id, {
      participants: [{ person_id: second.id, role: 'recipient' }],
    });
    expect(updated.body.participants.map((p: { person_id: string }) => p.person_id)).toEqual([second.id]);
  });

  it('refuses a readonly user', async () => {
    expect((await create(users.readonly, { type: 'note', title: 'No' })).status).toBe(403);
  });
});

describe('the inbox workflow', () => {
  const statuses = ['todo', 'in_progress', 'done', 'cancelled'] as const;
  const moves = statuses.flatMap((from) =>
    statuses.filter((to) => to !== from).map((to) => [from, to] as const),
  );

  it.each(moves)('%s → %s by the assignee (a user) follows the workflow', async (from, to) => {
    const interaction = await createInteraction(app.db.knex, { status: from, assignee_id: users.user.id });
    const response = await patch(users.user, interaction.id, { status: to });
    const allowed = INTERACTION_TRANSITIONS[from].includes(to);
    expect(response.status).toBe(allowed ? 200 : 409);
    if (!allowed) {
      expect(response.body.allowed_transitions).toEqual(INTERACTION_TRANSITIONS[from]);
      expect((await app.db.knex('interactions').where({ id: interaction.id }).first()).status).toBe(from);
    }
  });

  it('lets a manager reopen a cancelled interaction, and only to todo', async () => {
    const interaction = await createInteraction(app.db.knex, { status: 'cancelled' });
    expect((await patch(users.manager, interaction.id, { status: 'done' })).body.allowed_transitions).toEqual(
      ['todo'],
    );
    expect((await patch(users.manager, interaction.id, { status: 'todo' })).status).toBe(200);
  });

  it('flags a next action in the past as overdue, and re-arms the reminder when it moves', async () => {
    const interaction = await createInteraction(app.db.knex, { assignee_id: users.user.id });
    await app.db.knex('interactions').where({ id: interaction.id }).update({ reminder_sent_at: new Date() });
    const response = await patch(users.user, interaction.id, { next_action_at: '2020-01-01T08:00:00Z' });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ overdue: true, reminder_sent_at: null });
  });
});

describe('who may change an interaction', () => {
  it('a user edits what they created or are assigned, not another user’s', async () => {
    const mine = await createInteraction(app.db.knex, { created_by: users.user.id });
    const assigned = await createInteraction(app.db.knex, {
      created_by: users.manager.id,
      assignee_id: users.user.id,
    });
    const theirs = await createInteraction(app.db.knex, {
      created_by: users.manager.id,
      assignee_id: users.manager.id,
    });
    expect((await patch(users.user, mine.id, { title: 'ok' })).status).toBe(200);
    expect((await patch(users.user, assigned.id, { title: 'ok' })).status).toBe(200);
    expect((await patch(users.user, theirs.id, { title: 'no' })).status).toBe(403);
    expect((await patch(users.readonly, mine.id, { title: 'no' })).status).toBe(403);
  });

  it('assigning someone else notifies them, not the one who assigns', async () => {
    const interaction = await createInteraction(app.db.knex, { created_by: users.manager.id });
    const response = await patch(users.manager, interaction.id, {
      assignee_id: users.user.id,
      next_action_at: '2030-01-01T09:00:00Z',
    });
    expect(response.status).toBe(200);
    const notifications = await app.request('GET', '/v1/notifications?unread=true', {
      headers: users.user.auth,
    });
    const assigned = notifications.body.data.find(
      (item: { payload: { interaction_id: string } }) => item.payload.interaction_id === interaction.id,
    );
    expect(assigned).toMatchObject({
      type: 'interaction.assigned',
      payload: { assigned_by: users.manager.id },
    });
    const own = await createInteraction(app.db.knex, { created_by: users.manager.id });
    await patch(users.manager, own.id, { assignee_id: users.manager.id });
    const managerInbox = await app.request('GET', '/v1/notifications', { headers: users.manager.auth });
    expect(
      managerInbox.body.data.some(
        (item: { payload: { interaction_id: string } }) => item.payload.interaction_id === own.id,
      ),
    ).toBe(false);
  });

  it('refuses a stale If-Match', async () => {
    const interaction = await createInteraction(app.db.knex, { created_by: users.user.id });
    const read = await app.request('GET', `/v1/interactions/${interaction.id}`, { headers: users.user.auth });
    await patch(users.user, interaction.id, { title: 'changed' });
    const stale = await app.request('PATCH', `/v1/interactions/${interaction.id}`, {
      headers: { ...users.user.auth, 'If-Match': read.headers.get('etag')! },
      body: { title: 'lost update' },
    });
    expect(stale.status).toBe(412);
  });
});

describe('lists and timelines', () => {
  it('a person’s timeline is newest first, typed, and pages without repeats', async () => {
    const person = await createPerson(app.db.knex);
    const base = Date.UTC(2026, 0, 1);
    for (let day = 0; day < 7; day += 1) {
      await createInteraction(app.db.knex, {
        occurred_at: new Date(base + day * 86_400_000),
        title: `Day ${day}`,
        person_ids: [person.id],
      });
    }
    await createInteraction(app.db.knex, { title: 'Someone else' });
    const titles: string[] = [];
    let cursor: string | null = null;
    do {
      const page: {
        body: { data: { kind: string; interaction: { title: string } }[]; next_cursor: string | null };
      } = await app.request(
        'GET',
        `/v1/people/${person.id}/timeline?limit=3${cursor ? `&cursor=${cursor}` : ''}`,
        { headers: users.readonly.auth },
      );
      expect(page.body.data.every((item) => item.kind === 'interaction')).toBe(true);
      titles.push(...page.body.data.map((item) => item.interaction.title));
      cursor = page.body.next_cursor;
    } while (cursor);
    expect(titles).toEqual(['Day 6', 'Day 5', 'Day 4', 'Day 3', 'Day 2', 'Day 1', 'Day 0']);
  });

  it('moving an interaction in time moves it in the timeline', async () => {
    const person = await createPerson(app.db.knex);
    const older = await createInteraction(app.db.knex, {
      occurred_at: new Date('2025-01-01T00:00:00Z'),
      person_ids: [person.id],
      created_by: users.user.id,
    });
    await createInteraction(app.db.knex, {
      occurred_at: new Date('2025-06-01T00:00:00Z'),
      person_ids: [person.id],
    });
    await patch(users.user, older.id, { occurred_at: '2026-01-01T00:00:00Z' });
    const timeline = await app.request('GET', `/v1/people/${person.id}/timeline`, {
      headers: users.readonly.auth,
    });
    expect(timeline.body.data[0].id).toBe(older.id);
  });

  it('an organisation’s timeline, and 404 for an unknown one', async () => {
    const organisation = await createOrganisation(app.db.knex);
    await createInteraction(app.db.knex, { organisation_id: organisation.id });
    const timeline = await app.request('GET', `/v1/organisations/${organisation.id}/timeline`, {
      headers: users.readonly.auth,
    });
    expect(timeline.body.data).toHaveLength(1);
    const unknown = await app.request(
      'GET',
      '/v1/organisations/00000000-0000-4000-8000-000000000000/timeline',
      { headers: users.readonly.auth },
    );
    expect(unknown.status).toBe(404);
  });

  it('filters the list by status, type, person and text', async () => {
    const person = await createPerson(app.db.knex);
    await createInteraction(app.db.knex, {
      title: 'Déjeuner avec la trésorière',
      type: 'meeting',
      status: 'done',
      person_ids: [person.id],
    });
    await createInteraction(app.db.knex, {
      title: 'Unrelated',
      type: 'call',
      status: 'done',
      person_ids: [person.id],
    });
    const response = await app.request(
      'GET',
      `/v1/interactions?person_id=${person.id}&status=done&type=meeting,event&q=tresoriere`,
      {
        headers: users.readonly.auth,
      },
    );
    expect(response.body.data.map((item: { title: string }) => item.title)).toEqual([
      'Déjeuner avec la trésorière',
    ]);
  });

  it('finds an interaction by a word of its body with a typo in it', async () => {
    const person = await createPerson(app.db.knex);
    await createInteraction(app.db.knex, {
      title: 'Point annuel',
      body: 'Revue de la convention de mandat discrétionnaire',
      person_ids: [person.id],
    });
    const response = await app.request('GET', `/v1/interactions?person_id=${person.id}&q=discretionaire`, {
      headers: users.readonly.auth,
    });
    expect(response.status).toBe(200);
    expect(response.body.data.map((item: { title: string }) => item.title)).toEqual(['Point annuel']);
  });

  it('blocks deleting a person who takes part in interactions', async () => {
    const person = await createPerson(app.db.knex);
    await createInteraction(app.db.knex, { person_ids: [person.id] });
    const response = await app.request('DELETE', `/v1/people/${person.id}`, { headers: users.manager.auth });
    expect(response.status).toBe(409);
    expect(response.body.blocked_by).toEqual([{ resource: 'interactions', count: 1 }]);
  });
});
