/**
 * GDPR access and erasure, end to end: a person with organisation links, interactions (one shared
 * with someone else), email events and a score, mentioned in notes, notifications, the audit log,
 * a replayable response, the read cache and the realtime stream — exported, then erased, then
 * searched for in every table and every Redis key, and found nowhere.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app';
import { createUser, type TestUser } from '../helpers/factories';
import { postSignedEvents } from '../helpers/webhooks';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const FIRST = 'Zéphyrine';
const LAST = 'Quasimodo-Tartempion';
const EMAIL = 'zephyrine.qt@example.com';
const PHONE = '+33 6 98 76 54 32';
/** Every way the test looks for her afterwards. */
const NAMES = [`${FIRST} ${LAST}`, `${LAST} ${FIRST}`, EMAIL, PHONE];

let app: TestApp;
let admin: TestUser;
let owner: TestUser;
let colleague: TestUser;
let readonly: TestUser;
let personId: string;
let otherId: string;
let sharedInteraction: string;
const now = new Date();

function postEvents(body: unknown) {
  return postSignedEvents(app, body, { secret: SECRET, now: new Date() });
}

function emailEvent(type: string, extra: Record<string, unknown> = {}) {
  return {
    id: randomUUID(),
    type,
    email: EMAIL,
    occurred_at: new Date(now.getTime() - 60_000).toISOString(),
    message_id: 'msg-gdpr-1',
    campaign: 'rentree-2026',
    ...extra,
  };
}

/** Rows of every table of the database whose text, column by column, contains `text`. */
async function tablesNaming(text: string): Promise<Record<string, number>> {
  const { rows: tables } = await app.db.knex.raw<{ rows: Array<{ table_name: string }> }>(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`,
  );
  const found: Record<string, number> = {};
  for (const { table_name: table } of tables) {
    const { rows } = await app.db.knex.raw(`SELECT count(*)::int AS n FROM ?? AS t WHERE t::text ILIKE ?`, [
      table,
      `%${text.replace(/[\\%_]/g, '\\$&')}%`,
    ]);
    if (rows[0].n > 0) found[table] = rows[0].n;
  }
  return found;
}

/** Redis keys of this app (cache entries, the event stream) whose content contains `text`. */
async function redisNaming(text: string): Promise<string[]> {
  const redis = app.redis;
  if (!redis) return [];
  const needle = text.toLowerCase();
  const hits: string[] = [];
  const prefix = `relais-test-${new URL(app.db.url).pathname.slice(1)}`;
  for await (const keys of redis.scanIterator({ MATCH: `${prefix}:*`, COUNT: 500 })) {
    for (const key of keys) {
      const type = await redis.type(key);
      const content =
        type === 'string'
          ? String(await redis.get(key))
          : type === 'stream'
            ? JSON.stringify(await redis.xRange(key, '-', '+'))
            : '';
      if (content.toLowerCase().includes(needle)) hits.push(key);
    }
  }
  return hits;
}

beforeAll(async () => {
  app = await startTestApp({ env: { RELAIS_WEBHOOK_SECRET: SECRET } });
  admin = await createUser(app.db.knex, { role: 'admin' });
  owner = await createUser(app.db.knex, { role: 'user', name: 'Olivia Owner' });
  colleague = await createUser(app.db.knex, { role: 'user', name: 'Colin Colleague' });
  readonly = await createUser(app.db.knex, { role: 'readonly' });

  const organisation = await app.request('POST', '/v1/organisations', {
    headers: admin.auth,
    body: { name: 'Banque Rivière', type: 'client', country: 'FR', notes: `Introduced by ${FIRST} ${LAST}.` },
  });
  expect(organisation.status, organisation.text).toBe(201);
  // Created by her owner, with an idempotency key: the replayable response names her.
  const person = await app.request('POST', '/v1/people', {
    headers: { ...owner.auth, 'Idempotency-Key': randomUUID() },
    body: {
      first_name: FIRST,
      last_name: LAST,
      email: EMAIL,
      phone: PHONE,
      job_title: 'Directrice financière',
    },
  });
  expect(person.status, person.text).toBe(201);
  personId = person.body.id;
  const other = await app.request('POST', '/v1/people', {
    headers: owner.auth,
    body: { first_name: 'Paul', last_name: 'Durand', email: 'paul.durand@example.com' },
  });
  otherId = other.body.id;
  await app.request('POST', `/v1/people/${personId}/organisations`, {
    headers: owner.auth,
    body: { organisation_id: organisation.body.id, role: 'CFO', is_primary: true },
  });
  await app.request('POST', '/v1/mandates', {
    headers: admin.auth,
    body: { organisation_id: organisation.body.id, title: 'Refinancing', type: 'advisory' },
  });
  // A meeting with her and Paul, assigned to a colleague (a notification naming her).
  const shared = await app.request('POST', '/v1/interactions', {
    headers: owner.auth,
    body: {
      type: 'meeting',
      title: `Lunch with ${FIRST} ${LAST} and Paul Durand`,
      body: `Reach her at ${EMAIL} or ${PHONE}. Paul will bring the term sheet.`,
      assignee_id: colleague.id,
      participants: [{ person_id: personId }, { person_id: otherId }],
    },
  });
  expect(shared.status, shared.text).toBe(201);
  sharedInteraction = shared.body.id;
  await app.request('POST', '/v1/interactions', {
    headers: owner.auth,
    body: {
      type: 'call',
      title: `Call ${LAST.toUpperCase()} ${FIRST}`,
      participants: [{ person_id: personId }],
    },
  });
  // Email events: an open and a click make an interaction and a score.
  const ingest = await postEvents([
    emailEvent('sent'),
    emailEvent('delivered'),
    emailEvent('opened'),
    emailEvent('clicked', { url: `https://example.com/offre?email=${EMAIL}` }),
  ]);
  expect(ingest.body).toMatchObject({ stored: 4 });
  // Her timeline read once, so that a cached copy exists.
  expect((await app.request('GET', `/v1/people/${personId}/timeline`, { headers: owner.auth })).status).toBe(
    200,
  );
  expect((await app.request('GET', `/v1/people/${personId}`, { headers: owner.auth })).status).toBe(200);
});
afterAll(() => app.close());

describe('personal data export (access)', () => {
  it('gives her owner one document with everything held on her', async () => {
    const response = await app.request('GET', `/v1/people/${personId}/export`, { headers: owner.auth });
    expect(response.status, response.text).toBe(200);
    expect(response.headers.get('content-disposition')).toBe(
      `attachment; filename="relais-person-${personId}.json"`,
    );
    const document = response.body;
    expect(document.person).toMatchObject({ id: personId, email: EMAIL, phone: PHONE });
    expect(document.organisations).toEqual([
      expect.objectContaining({ name: 'Banque Rivière', role: 'CFO' }),
    ]);
    expect(document.mandates).toEqual([expect.objectContaining({ title: 'Refinancing' })]);
    // The meeting, the call and the email-open interaction.
    expect(document.interactions).toHaveLength(3);
    expect(document.participations).toHaveLength(3);
    expect(document.email_events.map((event: { type: string }) => event.type).sort()).toEqual([
      'clicked',
      'delivered',
      'opened',
      'sent',
    ]);
    expect(document.email_events[0].raw).toBeTruthy();
    expect(document.email_messages).toEqual([expect.objectContaining({ message_id: 'msg-gdpr-1' })]);
    expect(document.lead_score).toMatchObject({ person_id: personId });
    expect(document.lead_score_entries.length).toBeGreaterThan(0);
    expect(document.audit_entries.map((entry: { action: string }) => entry.action)).toContain('create');
  });

  it('is refused to someone who neither owns her nor is an admin, and is audited', async () => {
    expect(
      (await app.request('GET', `/v1/people/${personId}/export`, { headers: colleague.auth })).status,
    ).toBe(403);
    expect(
      (await app.request('GET', `/v1/people/${personId}/export`, { headers: readonly.auth })).status,
    ).toBe(403);
    expect((await app.request('GET', `/v1/people/${personId}/export`, { headers: admin.auth })).status).toBe(
      200,
    );
    const exports = await app.db.knex('audit_log').where({ action: 'export', resource_id: personId });
    expect(exports.length).toBe(2);
  });

  it('answers 404 for someone unknown', async () => {
    expect(
      (await app.request('GET', `/v1/people/${randomUUID()}/export`, { headers: admin.auth })).status,
    ).toBe(404);
  });
});

describe('erasure', () => {
  it('wants an admin and the id repeated', async () => {
    const byOwner = await app.request('POST', `/v1/people/${personId}/erase`, {
      headers: owner.auth,
      body: { confirm: personId },
    });
    expect(byOwner.status).toBe(403);
    const mistyped = await app.request('POST', `/v1/people/${personId}/erase`, {
      headers: admin.auth,
      body: { confirm: otherId },
    });
    expect(mistyped.status).toBe(400);
    expect(mistyped.body.errors).toEqual([
      expect.objectContaining({
        in: 'body',
        field: '/confirm',
        message: `must be ${personId}, the id in the path`,
      }),
    ]);
    expect(await app.db.knex('people').where({ id: personId }).first()).toBeTruthy();
  });

  it('leaves nothing that names her in any table, cache entry or event', async () => {
    const before = {
      emailEvents: Number((await app.db.knex('email_events').count({ n: '*' }))[0]!.n),
      interactions: Number((await app.db.knex('interactions').count({ n: '*' }))[0]!.n),
    };
    for (const name of NAMES) expect(Object.keys(await tablesNaming(name)).length).toBeGreaterThan(0);
    if (app.redis) expect(await redisNaming(EMAIL)).not.toEqual([]);

    const erased = await app.request('POST', `/v1/people/${personId}/erase`, {
      headers: admin.auth,
      body: { confirm: personId },
    });
    expect(erased.status, erased.text).toBe(200);
    expect(erased.body.removed).toMatchObject({
      people: 1,
      interaction_participants: 3,
      person_organisations: 1,
      lead_scores: 1,
      idempotency_keys: 1,
    });
    expect(erased.body.redacted).toMatchObject({
      email_events: 4,
      email_messages: 1,
      interactions: 2,
      organisations: 1,
    });

    for (const name of NAMES) {
      expect(await tablesNaming(name), name).toEqual({});
      expect(await redisNaming(name), name).toEqual([]);
    }
    // Counts stay: the campaign's events and every interaction.
    expect(Number((await app.db.knex('email_events').count({ n: '*' }))[0]!.n)).toBe(before.emailEvents);
    expect(Number((await app.db.knex('interactions').count({ n: '*' }))[0]!.n)).toBe(before.interactions);
    // The meeting stays for Paul, without her.
    const meeting = await app.request('GET', `/v1/interactions/${sharedInteraction}`, {
      headers: admin.auth,
    });
    expect(meeting.body.title).toBe('Lunch with [erased] and Paul Durand');
    expect(meeting.body.participants).toEqual([expect.objectContaining({ person_id: otherId })]);
    expect((await app.request('GET', `/v1/people/${personId}`, { headers: admin.auth })).status).toBe(404);
  });

  it('is audited as an erasure by whom and when, naming no one', async () => {
    const entries = await app.db.knex('audit_log').where({ action: 'erase' });
    expect(entries).toEqual([
      expect.objectContaining({
        principal_type: 'user',
        principal_id: admin.id,
        resource: 'people',
        resource_id: null,
      }),
    ]);
    const listed = await app.request('GET', '/v1/audit-log?action=erase', { headers: admin.auth });
    expect(listed.status).toBe(200);
    expect(listed.body.data).toHaveLength(1);
  });

  it('drops late webhook events for her address instead of storing them', async () => {
    const late = await postEvents([emailEvent('opened', { message_id: 'msg-gdpr-2' })]);
    expect(late.status).toBe(200);
    expect(late.body).toEqual({ received: 1, stored: 0, duplicates: 0, discarded: 1 });
    expect(await tablesNaming(EMAIL)).toEqual({});
    // Someone else's events still come in.
    const other = await postEvents([{ ...emailEvent('opened'), email: 'paul.durand@example.com' }]);
    expect(other.body).toEqual({ received: 1, stored: 1, duplicates: 0 });
  });

  it('answers 404 once she is gone', async () => {
    const again = await app.request('POST', `/v1/people/${personId}/erase`, {
      headers: admin.auth,
      body: { confirm: personId },
    });
    expect(again.status).toBe(404);
  });
});
