/**
 * The generic ingest endpoint end to end: Standard Webhooks signatures, persist-then-acknowledge,
 * dedupe, message status order, auto-interactions, the scoring ledger, hot-lead notifications,
 * and what a database failure leaves behind (nothing).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runPendingImports } from '../../server/src/imports/import-runs';
import { secretKey, signWebhook } from '../../server/src/marketing/standard-webhooks';
import { OpenApiValidator } from '../../server/src/platform/web/openapi';
import { startTestApp, type TestApp, type TestResponse } from '../helpers/app';
import { createOrganisation, createPerson, createUser, type TestUser } from '../helpers/factories';
import { openEventStream } from '../helpers/realtime';
import { postSignedEvents } from '../helpers/webhooks';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const OLD_SECRET = 'whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD';
let now = new Date('2026-03-02T12:00:00Z');
let app: TestApp;
let owner: TestUser;

beforeAll(async () => {
  app = await startTestApp({ env: { RELAIS_WEBHOOK_SECRET: `${SECRET},${OLD_SECRET}` }, clock: () => now });
  owner = await createUser(app.db.knex, { role: 'user' });
});
afterAll(() => app.close());
beforeEach(() => {
  now = new Date('2026-03-02T12:00:00Z');
});

interface EventInput {
  id?: string;
  type: string;
  email: string;
  occurred_at?: string;
  message_id?: string;
  campaign?: string;
  url?: string;
  bounce_type?: 'hard' | 'soft';
  machine_open?: boolean;
}

function event(input: EventInput) {
  return {
    id: input.id ?? randomUUID(),
    occurred_at: input.occurred_at ?? '2026-03-02T11:00:00.000Z',
    message_id: input.message_id ?? 'msg-1',
    ...input,
  };
}

function post(
  body: unknown,
  options: { secret?: string; timestamp?: number; headers?: Record<string, string> } = {},
) {
  return postSignedEvents(app, body, { ...options, secret: options.secret ?? SECRET, now });
}

async function snapshot() {
  const count = async (table: string) => Number((await app.db.knex(table).count({ n: '*' }))[0]!.n);
  return {
    events: await count('email_events'),
    messages: await app.db.knex('email_messages').orderBy(['provider', 'message_id', 'recipient']).select(),
    entries: await count('lead_score_entries'),
    scores: await app.db
      .knex('lead_scores')
      .orderBy('person_id')
      .select('person_id', 'weighted', 'points', 'entries', 'hot'),
    interactions: await count('interactions'),
    notifications: await count('notifications'),
  };
}

async function leadScore(personId: string) {
  const admin = await createUser(app.db.knex, { role: 'readonly' });
  const response = await app.request('GET', `/v1/people/${personId}/lead-score`, { headers: admin.auth });
  expect(response.status).toBe(200);
  return response.body;
}

describe('POST /v1/marketing/email/ingest — signatures', () => {
  it('accepts one event or a batch signed with any active secret', async () => {
    const person = await createPerson(app.db.knex);
    const single = await post(event({ type: 'delivered', email: person.email! }));
    expect(single.status, single.text).toBe(200);
    expect(single.body).toEqual({ received: 1, stored: 1, duplicates: 0 });
    const batch = await post(
      [event({ type: 'sent', email: person.email! }), event({ type: 'delivered', email: person.email! })],
      { secret: OLD_SECRET },
    );
    expect(batch.body).toEqual({ received: 2, stored: 2, duplicates: 0 });
  });

  it('refuses a missing, wrong or stale signature with a 401 problem and stores nothing', async () => {
    const before = await snapshot();
    const body = event({ type: 'opened', email: 'nobody@example.com' });
    const unsigned = await app.request('POST', '/v1/marketing/email/ingest', { body });
    expect(unsigned.status).toBe(401);
    expect(unsigned.headers.get('content-type')).toContain('application/problem+json');
    expect(unsigned.body.detail).toMatch(/webhook-signature/);

    const wrong = await post(body, { secret: 'whsec_aW52YWxpZC1zZWNyZXQtMDEyMzQ1Njc4OQ==' });
    expect(wrong.status).toBe(401);
    expect(wrong.body.detail).toMatch(/No signature matches/);

    const stale = await post(body, { timestamp: Math.floor(now.getTime() / 1000) - 301 });
    expect(stale.status).toBe(401);
    expect(stale.body.detail).toMatch(/too old \(301 s/);

    const future = await post(body, { timestamp: Math.floor(now.getTime() / 1000) + 301 });
    expect(future.status).toBe(401);
    expect(future.body.detail).toMatch(/future/);
    expect(await snapshot()).toEqual(before);
  });

  it('checks the signature over the exact bytes: a re-serialised body fails', async () => {
    const payload = JSON.stringify(event({ type: 'sent', email: 'bytes@example.com' }));
    const id = 'msg_bytes';
    const timestamp = Math.floor(now.getTime() / 1000);
    const response = await app.request('POST', '/v1/marketing/email/ingest', {
      rawBody: `${payload} `,
      headers: {
        'content-type': 'application/json',
        'webhook-id': id,
        'webhook-timestamp': String(timestamp),
        'webhook-signature': signWebhook(secretKey(SECRET), id, timestamp, payload),
      },
    });
    expect(response.status).toBe(401);
  });

  it('answers a signed but invalid body with a 400 naming the field', async () => {
    const response = await post([event({ type: 'opened', email: 'not-an-email' })]);
    expect(response.status).toBe(400);
    expect(response.body.errors.map((error: { field: string }) => error.field).join(' ')).toMatch(/email/);
    const missing = await post({
      id: 'x',
      type: 'opened',
      email: 'a@example.com',
      occurred_at: '2026-03-02T11:00:00Z',
    });
    expect(missing.status).toBe(400);
    expect(JSON.stringify(missing.body.errors)).toMatch(/message_id/);
  });

  it('stores and acknowledges event types it does not know', async () => {
    const response = await post(event({ type: 'list_addition', email: 'list@example.com' }));
    expect(response.status).toBe(200);
    const row = await app.db.knex('email_events').where({ recipient: 'list@example.com' }).first();
    expect(row).toMatchObject({ type: 'unknown', provider_event: 'list_addition', provider: 'generic' });
  });
});

describe('persistence and dedupe', () => {
  it('changes nothing when the same batch is posted again', async () => {
    const person = await createPerson(app.db.knex, { owner_id: owner.id });
    const batch = [
      event({ type: 'delivered', email: person.email!, message_id: 'again-1' }),
      event({ type: 'opened', email: person.email!, message_id: 'again-1' }),
      event({ type: 'clicked', email: person.email!, message_id: 'again-1', url: 'https://example.com/a' }),
    ];
    expect((await post(batch)).body).toEqual({ received: 3, stored: 3, duplicates: 0 });
    const after = await snapshot();
    expect((await post(batch)).body).toEqual({ received: 3, stored: 0, duplicates: 3 });
    expect(await snapshot()).toEqual(after);
  });

  it('counts an event twice in one batch as a duplicate', async () => {
    const twice = event({ type: 'sent', email: 'twice@example.com' });
    expect((await post([twice, twice])).body).toEqual({ received: 2, stored: 1, duplicates: 1 });
  });

  it('keeps the furthest status when an open arrives before its delivery', async () => {
    const person = await createPerson(app.db.knex);
    const message = `order-${randomUUID()}`;
    await post(
      event({
        type: 'opened',
        email: person.email!,
        message_id: message,
        occurred_at: '2026-03-02T11:05:00Z',
      }),
    );
    await post(
      event({
        type: 'delivered',
        email: person.email!,
        message_id: message,
        occurred_at: '2026-03-02T11:00:00Z',
      }),
    );
    await post(
      event({ type: 'sent', email: person.email!, message_id: message, occurred_at: '2026-03-02T10:59:00Z' }),
    );
    await post(event({ type: 'bounced', bounce_type: 'soft', email: person.email!, message_id: message }));
    const row = await app.db.knex('email_messages').where({ message_id: message }).first();
    expect(row).toMatchObject({
      status: 'opened',
      status_rank: 3,
      bounced: true,
      bounce_type: 'soft',
      open_count: 1,
      person_id: person.id,
    });
    expect(row.first_event_at.toISOString()).toBe('2026-03-02T10:59:00.000Z');
    expect(row.first_opened_at.toISOString()).toBe('2026-03-02T11:05:00.000Z');
  });

  it('scores and creates the interaction once under concurrent duplicate deliveries', async () => {
    const person = await createPerson(app.db.knex);
    const open = event({ type: 'opened', email: person.email!, message_id: `race-${randomUUID()}` });
    const otherOpen = event({ ...open, id: randomUUID(), occurred_at: '2026-03-02T11:30:00.000Z' });
    const responses = await Promise.all(
      Array.from({ length: 12 }, (_, index) => post(index % 2 ? [open, otherOpen] : [otherOpen, open])),
    );
    expect(responses.map((response) => response.status)).toEqual(Array(12).fill(200));
    expect(responses.reduce((sum, response) => sum + response.body.stored, 0)).toBe(2);
    const entries = await app.db.knex('lead_score_entries').where({ person_id: person.id });
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ rule_key: 'opened', points: 3 });
    const interactions = await app.db
      .knex('interactions')
      .join('interaction_participants', 'interaction_participants.interaction_id', 'interactions.id')
      .where('interaction_participants.person_id', person.id);
    expect(interactions).toHaveLength(1);
    expect(interactions[0]).toMatchObject({ type: 'email', source: 'email_event', status: 'done' });
    expect((await leadScore(person.id)).score).toBe(3);
  });
});

describe('auto-interactions and scoring rules', () => {
  it('creates one interaction for the first human open of a message, none for machine opens', async () => {
    const person = await createPerson(app.db.knex);
    const message = `auto-${randomUUID()}`;
    await post([
      event({
        type: 'opened',
        email: person.email!,
        message_id: message,
        machine_open: true,
        occurred_at: '2026-03-02T10:00:00Z',
      }),
    ]);
    const interactionsOf = () =>
      app.db.knex('interaction_participants').where({ person_id: person.id }).select('interaction_id');
    expect(await interactionsOf()).toHaveLength(0);
    expect((await leadScore(person.id)).entries).toEqual([]);
    await post([
      event({
        type: 'opened',
        email: person.email!,
        message_id: message,
        campaign: 'spring',
        occurred_at: '2026-03-02T10:30:00Z',
      }),
      event({
        type: 'opened',
        email: person.email!,
        message_id: message,
        occurred_at: '2026-03-02T10:45:00Z',
      }),
    ]);
    const [link] = await interactionsOf();
    const interaction = await app.db.knex('interactions').where({ id: link!.interaction_id }).first();
    expect(interaction).toMatchObject({
      type: 'email',
      source: 'email_event',
      title: 'Opened an email of campaign spring',
    });
    const linked = await app.db.knex('email_events').where({ id: interaction.email_event_id }).first();
    expect(linked.occurred_at.toISOString()).toBe('2026-03-02T10:30:00.000Z');
    expect(await interactionsOf()).toHaveLength(1);
  });

  it('announces the interaction of a first open as the API serves it, its recipient as participant', async () => {
    const person = await createPerson(app.db.knex);
    const reader = await createUser(app.db.knex, { role: 'readonly' });
    const stream = await openEventStream(app.url, { headers: reader.auth });
    try {
      await post([event({ type: 'opened', email: person.email!, message_id: `announced-${randomUUID()}` })]);
      const announced = await stream.waitFor(
        (received) => received.type === 'interaction.created' && received.data.source === 'email_event',
      );
      const served = await app.request('GET', `/v1/interactions/${announced.data.id}`, {
        headers: reader.auth,
      });
      expect(served.status).toBe(200);
      expect(announced.data).toEqual(served.body);
      expect(served.body.participants).toEqual([
        expect.objectContaining({
          person_id: person.id,
          user_id: null,
          role: 'recipient',
          name: `${person.first_name} ${person.last_name}`,
        }),
      ]);
    } finally {
      stream.close();
    }
  });

  it("refreshes the cached timelines of the person and of the person's organisations", async () => {
    const person = await createPerson(app.db.knex);
    const organisation = await createOrganisation(app.db.knex);
    await app.db
      .knex('person_organisations')
      .insert({ person_id: person.id, organisation_id: organisation.id });
    const reader = await createUser(app.db.knex, { role: 'readonly' });
    const paths = [`/v1/people/${person.id}/timeline`, `/v1/organisations/${organisation.id}/timeline`];
    const eventsIn = async (path: string) => {
      const page = await app.request('GET', path, { headers: reader.auth });
      expect(page.status, page.text).toBe(200);
      return page.body.data.filter((item: { kind: string }) => item.kind === 'email_event').length;
    };
    for (const path of paths) expect(await eventsIn(path)).toBe(0);
    await post([event({ type: 'clicked', email: person.email!, message_id: `cached-${randomUUID()}` })]);
    for (const path of paths) expect(await eventsIn(path), path).toBe(1);
  });

  it('scores each rule as documented: first open and click per message, negatives, caps', async () => {
    const person = await createPerson(app.db.knex);
    const email = person.email!;
    await post([
      event({ type: 'opened', email, message_id: 'r-1' }),
      event({ type: 'opened', email, message_id: 'r-1', occurred_at: '2026-03-02T11:10:00Z' }),
      event({ type: 'clicked', email, message_id: 'r-1', url: 'https://example.com/1' }),
      event({ type: 'clicked', email, message_id: 'r-1', url: 'https://example.com/2' }),
      event({ type: 'opened', email, message_id: 'r-2' }),
      event({ type: 'bounced', bounce_type: 'soft', email, message_id: 'r-3' }),
      event({ type: 'delivered', email, message_id: 'r-2' }),
    ]);
    let score = await leadScore(person.id);
    expect(score.entries.map((entry: { rule_key: string }) => entry.rule_key).sort()).toEqual([
      'clicked',
      'opened',
      'opened',
    ]);
    expect(score.points).toBe(11);
    await post([
      event({ type: 'bounced', bounce_type: 'hard', email, message_id: 'r-4' }),
      event({ type: 'unsubscribed', email, message_id: 'r-2' }),
      event({ type: 'unsubscribed', email, message_id: 'r-1' }),
      event({ type: 'spam_complaint', email, message_id: 'r-2' }),
    ]);
    score = await leadScore(person.id);
    // unsubscribed counts once a day (cap 1): 11 − 5 − 10 − 20
    expect(score.points).toBe(-24);
    expect(score.entries.map((entry: { reason: string }) => entry.reason).join('\n')).toMatch(
      /^Unsubscribed: -10$/m,
    );
  });

  it('caps opens per person per day at the earliest ten', async () => {
    const person = await createPerson(app.db.knex);
    const opens = Array.from({ length: 12 }, (_, index) =>
      event({
        type: 'opened',
        email: person.email!,
        message_id: `cap-${index}`,
        occurred_at: new Date(Date.UTC(2026, 2, 2, 0, index)).toISOString(),
      }),
    );
    await post(opens.slice(6));
    await post(opens.slice(0, 6));
    const entries = await app.db
      .knex('lead_score_entries')
      .where({ person_id: person.id })
      .orderBy('occurred_at');
    expect(entries).toHaveLength(10);
    expect(entries.at(-1).occurred_at.toISOString()).toBe('2026-03-02T00:09:00.000Z');
  });

  it('links events that arrived before the person existed when the person is created', async () => {
    const email = `later-${randomUUID().slice(0, 8)}@example.com`;
    await post([
      event({ type: 'opened', email, message_id: 'later-1' }),
      event({ type: 'clicked', email, message_id: 'later-1' }),
    ]);
    const manager = await createUser(app.db.knex, { role: 'manager' });
    const created = await app.request('POST', '/v1/people', {
      headers: manager.auth,
      body: { first_name: 'Late', last_name: 'Comer', email: email.toUpperCase() },
    });
    expect(created.status, created.text).toBe(201);
    const score = await leadScore(created.body.id);
    expect(score.points).toBe(8);
    const events = await app.db.knex('email_events').where({ recipient: email });
    expect(events.every((row) => row.person_id === created.body.id)).toBe(true);
    const message = await app.db.knex('email_messages').where({ recipient: email }).first();
    expect(message.person_id).toBe(created.body.id);
    expect(await app.db.knex('interaction_participants').where({ person_id: created.body.id })).toHaveLength(
      1,
    );
    // The one-statement create was refused whole (the events were waiting): one person, one entry.
    expect(await app.db.knex('people').where({ email })).toHaveLength(1);
    expect(
      await app.db
        .knex('audit_log')
        .where({ resource: 'people', resource_id: created.body.id, action: 'create' }),
    ).toHaveLength(1);
  });

  it('links waiting events when a person is given their address', async () => {
    const email = `moved-${randomUUID().slice(0, 8)}@example.com`;
    await post([
      event({ type: 'opened', email, message_id: 'moved-1' }),
      event({ type: 'clicked', email, message_id: 'moved-1' }),
    ]);
    const person = await createPerson(app.db.knex);
    const manager = await createUser(app.db.knex, { role: 'manager' });
    const changed = await app.request('PATCH', `/v1/people/${person.id}`, {
      headers: manager.auth,
      body: { email: email.toUpperCase() },
    });
    expect(changed.status, changed.text).toBe(200);
    expect((await leadScore(person.id)).points).toBe(8);
    const events = await app.db.knex('email_events').where({ recipient: email });
    expect(events.map((row) => row.person_id)).toEqual([person.id, person.id]);
    expect((await app.db.knex('email_messages').where({ recipient: email }).first()).person_id).toBe(
      person.id,
    );
  });

  it('links waiting events to the people an import creates, whatever the case of the address', async () => {
    const email = `imported-${randomUUID().slice(0, 8)}@example.com`;
    const other = `imported-${randomUUID().slice(0, 8)}@example.com`;
    await post([
      event({ type: 'opened', email, message_id: 'imported-1' }),
      event({ type: 'clicked', email, message_id: 'imported-1' }),
    ]);
    const manager = await createUser(app.db.knex, { role: 'manager' });
    const queued = await app.request('POST', '/v1/imports?resource=people', {
      headers: { ...manager.auth, 'content-type': 'text/csv' },
      rawBody: Buffer.from(
        `first_name,last_name,email\nIna,Porte,${email.toUpperCase()}\nOla,Autre,${other}\n`,
      ),
    });
    expect(queued.status, queued.text).toBe(202);
    expect(
      await runPendingImports(app.services, { validator: new OpenApiValidator(), staleAfterMs: 60_000 }),
    ).toBe(1);
    const [imported] = await app.db.knex('people').where({ email });
    expect(imported).toBeDefined();
    expect((await leadScore(imported.id)).points).toBe(8);
    const events = await app.db.knex('email_events').where({ recipient: email });
    expect(events.map((row) => row.person_id)).toEqual([imported.id, imported.id]);
    const [second] = await app.db.knex('people').where({ email: other });
    expect((await leadScore(second.id)).points).toBe(0);
  });
});

describe('decay and hot leads', () => {
  it('halves a score every half-life, with the clock at +90 and +180 days', async () => {
    const person = await createPerson(app.db.knex);
    await post([
      event({
        type: 'opened',
        email: person.email!,
        message_id: 'decay-1',
        occurred_at: '2026-03-02T12:00:00Z',
      }),
      event({
        type: 'clicked',
        email: person.email!,
        message_id: 'decay-1',
        occurred_at: '2026-03-02T12:00:00Z',
      }),
    ]);
    expect((await leadScore(person.id)).score).toBe(8);
    now = new Date(Date.parse('2026-03-02T12:00:00Z') + 90 * 86_400_000);
    const at90 = await leadScore(person.id);
    expect(at90.score).toBe(4);
    expect(at90.points).toBe(8);
    expect(at90.trend).toHaveLength(90);
    expect(at90.trend.at(-1)).toEqual({ date: '2026-05-31', score: 4 });
    expect(at90.entries[0].score_now).toBeCloseTo(at90.entries[0].points / 2, 6);
    now = new Date(Date.parse('2026-03-02T12:00:00Z') + 180 * 86_400_000);
    expect((await leadScore(person.id)).score).toBe(2);
  });

  it('notifies the owner once per crossing of the hot threshold, and lists hot leads first', async () => {
    const person = await createPerson(app.db.knex, { owner_id: owner.id });
    const opens = (from: number, count: number) =>
      Array.from({ length: count }, (_, index) =>
        event({
          type: 'opened',
          email: person.email!,
          message_id: `hot-${from + index}`,
          occurred_at: now.toISOString(),
        }),
      );
    const hotNotifications = () =>
      app.db
        .knex('notifications')
        .where({ user_id: owner.id, type: 'lead.hot' })
        .whereRaw("payload->>'person_id' = ?", [person.id]);
    await post(opens(0, 4));
    expect(await hotNotifications()).toHaveLength(0);
    await post(
      event({ type: 'clicked', email: person.email!, message_id: 'hot-0', occurred_at: now.toISOString() }),
    );
    const [notification] = await hotNotifications();
    expect(notification.payload).toMatchObject({ person_id: person.id, score: 17 });
    await post(opens(5, 2));
    expect(await hotNotifications()).toHaveLength(1);

    const reader = await createUser(app.db.knex, { role: 'readonly' });
    const hot = await app.request('GET', '/v1/lead-scores?min_score=15', { headers: reader.auth });
    expect(hot.status).toBe(200);
    expect(hot.body.data.find((lead: { person_id: string }) => lead.person_id === person.id)).toMatchObject({
      score: 23,
      hot: true,
      person: { id: person.id, owner_id: owner.id },
    });
    expect(hot.body.data.every((lead: { score: number }) => lead.score >= 15)).toBe(true);
    const dashboard = await app.request('GET', '/v1/dashboard', { headers: reader.auth });
    expect(dashboard.body.hot_leads.map((lead: { person_id: string }) => lead.person_id)).toContain(
      person.id,
    );
  });

  it('pages hot leads by current score with a cursor', async () => {
    const reader = await createUser(app.db.knex, { role: 'readonly' });
    const scores: number[] = [];
    let cursor: string | null = null;
    do {
      const page: TestResponse = await app.request(
        'GET',
        `/v1/lead-scores?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
        {
          headers: reader.auth,
        },
      );
      expect(page.status).toBe(200);
      scores.push(...page.body.data.map((lead: { score: number }) => lead.score));
      cursor = page.body.next_cursor;
    } while (cursor);
    expect(scores.length).toBeGreaterThan(4);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
  });
});

describe('failures', () => {
  it('answers 503 and keeps nothing when the database fails mid-transaction', async () => {
    const person = await createPerson(app.db.knex);
    // The last write of an ingest fails as a database shutdown would.
    await app.db.knex.raw(`CREATE FUNCTION fail_scores() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'terminating connection' USING ERRCODE = 'admin_shutdown'; END $$`);
    await app.db.knex.raw(
      'CREATE TRIGGER fail_scores BEFORE UPDATE ON lead_scores FOR EACH ROW EXECUTE FUNCTION fail_scores()',
    );
    try {
      const before = await snapshot();
      const response = await post([
        event({ type: 'delivered', email: person.email!, message_id: 'down-1' }),
        event({ type: 'opened', email: person.email!, message_id: 'down-1' }),
      ]);
      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toBe('5');
      expect(response.body.detail).toMatch(/none were kept/);
      expect(await snapshot()).toEqual(before);
    } finally {
      await app.db.knex.raw('DROP TRIGGER fail_scores ON lead_scores; DROP FUNCTION fail_scores()');
    }
  });
});
