/**
 * Scoring rules, rescoring and the read side: a rules change followed by a recompute equals a
 * replay of every event under the new rules; email events are listed and appear in timelines.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refreshScores, runPendingRecomputes } from '../../server/src/scoring/recompute-service';
import { currentRules } from '../../server/src/scoring/scoring-rules';
import { startTestApp, type TestApp, type TestResponse } from '../helpers/app';
import { createOrganisation, createPerson, createUser, type TestUser } from '../helpers/factories';
import { type ReplayEvent, replayScores } from '../helpers/scoring-replay';
import { postSignedEvents } from '../helpers/webhooks';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const NOW = new Date('2026-03-02T12:00:00Z');
let app: TestApp;
let admin: TestUser;
let reader: TestUser;
const people: { id: string; email: string | null }[] = [];

function post(body: unknown) {
  return postSignedEvents(app, body, { secret: SECRET, now: NOW });
}

/** A few weeks of varied, shuffled events for eight people, some duplicated. */
function history() {
  const types = [
    'opened',
    'opened',
    'clicked',
    'delivered',
    'unsubscribed',
    'bounced',
    'spam_complaint',
    'opened',
  ];
  const events = [];
  let n = 0;
  for (const person of people) {
    for (let day = 0; day < 20; day += 1) {
      for (let k = 0; k < 3; k += 1) {
        n += 1;
        const type = types[(n * 7 + k) % types.length]!;
        events.push({
          id: `hist-${n}`,
          type,
          email: person.email!,
          message_id: `m-${day % 6}-${k % 2}`,
          occurred_at: new Date(Date.UTC(2026, 1, 1 + day, 8 + k, n % 60)).toISOString(),
          ...(type === 'bounced' ? { bounce_type: n % 2 ? 'hard' : 'soft' } : {}),
          ...(type === 'opened' && n % 5 === 0 ? { machine_open: true } : {}),
        });
      }
    }
  }
  return events.sort(
    (a, b) =>
      ((a.id.length * 31 + Number(a.id.slice(5)) * 17) % 13) -
      ((b.id.length * 31 + Number(b.id.slice(5)) * 17) % 13),
  );
}

async function expectScoresEqualReplay() {
  const rules = await currentRules(app.db.knex);
  const events: ReplayEvent[] = await app.db
    .knex('email_events')
    .whereNotNull('person_id')
    .select(
      'id',
      'person_id',
      'provider',
      'dedupe_key',
      'type',
      'bounce_type',
      'machine_open',
      'message_id',
      'occurred_at',
    );
  const replay = replayScores(events, rules);
  const rows = await app.db
    .knex('lead_scores')
    .select('person_id', 'weighted', 'points', 'entries', 'rules_version');
  expect(rows.length).toBeGreaterThanOrEqual(people.length);
  for (const row of rows) {
    const expected = replay.get(row.person_id) ?? { points: 0, entries: 0, weighted: 0 };
    expect(row.rules_version).toBe(rules.version);
    expect({ points: row.points, entries: row.entries }).toEqual({
      points: expected.points,
      entries: expected.entries,
    });
    expect(Number(row.weighted)).toBeCloseTo(expected.weighted, 6);
  }
  return replay;
}

beforeAll(async () => {
  app = await startTestApp({ env: { RELAIS_WEBHOOK_SECRET: SECRET }, clock: () => NOW });
  admin = await createUser(app.db.knex, { role: 'admin' });
  reader = await createUser(app.db.knex, { role: 'readonly' });
  for (let i = 0; i < 8; i += 1) people.push(await createPerson(app.db.knex));
  const events = history();
  for (let start = 0; start < events.length; start += 50) {
    const response = await post(events.slice(start, start + 50));
    expect(response.status).toBe(200);
  }
  // Redeliver a slice, out of order.
  expect((await post(events.slice(20, 60).reverse())).body.duplicates).toBe(40);
});
afterAll(() => app.close());

describe('rules and rescoring', () => {
  // Before the tests below change the rules.
  it('gives each hot lead its score a week ago and its owner’s name, for the widget’s trend arrow', async () => {
    const response = await app.request('GET', '/v1/lead-scores?limit=100', { headers: reader.auth });
    expect(response.status).toBe(200);
    const weekAgo = NOW.getTime() - 7 * 86_400_000;
    const rules = await app.request('GET', '/v1/scoring-rules', { headers: admin.auth });
    const halfLife = rules.body.half_life_days * 86_400_000;
    for (const lead of response.body.data as {
      person_id: string;
      score_7d_ago: number;
      person: { owner_id: string | null; owner_name: string | null };
    }[]) {
      const owner = lead.person.owner_id
        ? await app.db.knex('users').where({ id: lead.person.owner_id }).first('name')
        : null;
      expect(lead.person.owner_name).toBe(owner?.name ?? null);
      const entries: { points: number; occurred_at: Date }[] = await app.db
        .knex('lead_score_entries')
        .where({ person_id: lead.person_id })
        .where('occurred_at', '<', new Date(weekAgo));
      // A replay of the ledger as it stood then, each entry halving every half-life.
      const expected = entries.reduce(
        (sum, entry) => sum + entry.points * 0.5 ** ((weekAgo - entry.occurred_at.getTime()) / halfLife),
        0,
      );
      expect(lead.score_7d_ago).toBeCloseTo(expected, 1);
    }
    expect(
      response.body.data.some(
        (lead: { score: number; score_7d_ago: number }) => lead.score !== lead.score_7d_ago,
      ),
    ).toBe(true);
  });

  it('scores live exactly as a replay of the unique events', async () => {
    const replay = await expectScoresEqualReplay();
    expect([...replay.values()].some((score) => score.points !== 0)).toBe(true);
  });

  it('serves the rules in force with the documented defaults', async () => {
    const response = await app.request('GET', '/v1/scoring-rules', { headers: reader.auth });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ version: 1, half_life_days: 90, hot_threshold: 15 });
    expect(
      Object.fromEntries(
        response.body.rules.map((rule: { key: string; points: number }) => [rule.key, rule.points]),
      ),
    ).toEqual({ opened: 3, clicked: 5, unsubscribed: -10, spam_complaint: -20, hard_bounce: -5 });
  });

  it('lets only admins change them, and refuses inconsistent rules naming the field', async () => {
    const body = { rules: [], half_life_days: 30, hot_threshold: 10 };
    expect((await app.request('PUT', '/v1/scoring-rules', { headers: reader.auth, body })).status).toBe(403);
    const duplicate = await app.request('PUT', '/v1/scoring-rules', {
      headers: admin.auth,
      body: {
        ...body,
        rules: [
          { key: 'opened', event_type: 'opened', points: 1 },
          { key: 'opened', event_type: 'clicked', points: 2, bounce_type: 'hard' },
        ],
      },
    });
    expect(duplicate.status).toBe(400);
    expect(duplicate.body.errors.map((error: { field: string }) => error.field)).toEqual([
      'rules[1].key',
      'rules[1].bounce_type',
    ]);
    const invalid = await app.request('PUT', '/v1/scoring-rules', {
      headers: admin.auth,
      body: { ...body, half_life_days: 0 },
    });
    expect(invalid.status).toBe(400);
  });

  it('rescoring after a rules change equals a replay under the new rules', async () => {
    const change = await app.request('PUT', '/v1/scoring-rules', {
      headers: admin.auth,
      body: {
        half_life_days: 30,
        hot_threshold: 8,
        rules: [
          {
            key: 'opened',
            event_type: 'opened',
            points: 1,
            first_per_message: false,
            exclude_machine_opens: false,
            daily_cap: 2,
          },
          { key: 'clicked', event_type: 'clicked', points: 7, first_per_message: true },
          { key: 'any_bounce', event_type: 'bounced', points: -3 },
        ],
      },
    });
    expect(change.status, change.text).toBe(200);
    expect(change.body.rules.version).toBe(2);
    expect(change.body.recompute).toMatchObject({ status: 'queued', rules_version: 2 });
    const before = await app.db.knex('lead_scores').where({ rules_version: 1 }).count({ n: '*' });
    expect(Number(before[0]!.n)).toBeGreaterThan(0);

    const rescored = await runPendingRecomputes(app.services, {
      batchSize: 3,
      staleAfterMs: 60_000,
      now: () => NOW,
    });
    expect(rescored).toBe(people.length);
    const progress = await app.request('GET', `/v1/lead-scores/recompute/${change.body.recompute.id}`, {
      headers: admin.auth,
    });
    expect(progress.body).toMatchObject({
      status: 'succeeded',
      people_total: people.length,
      people_done: people.length,
    });
    await expectScoresEqualReplay();
  });

  it('queues a recompute on request, which finds nothing left to do', async () => {
    const queued = await app.request('POST', '/v1/lead-scores/recompute', { headers: admin.auth });
    expect(queued.status).toBe(202);
    expect(queued.headers.get('location')).toBe(`/v1/lead-scores/recompute/${queued.body.id}`);
    expect(await runPendingRecomputes(app.services, { batchSize: 10, staleAfterMs: 60_000 })).toBe(0);
    const done = await app.request('GET', `/v1/lead-scores/recompute/${queued.body.id}`, {
      headers: admin.auth,
    });
    expect(done.body).toMatchObject({ status: 'succeeded', people_done: 0 });
    expect(
      (await app.request('GET', `/v1/lead-scores/recompute/${randomUUID()}`, { headers: admin.auth })).status,
    ).toBe(404);
  });

  it('the nightly refresh clears hot flags that decay took under the threshold', async () => {
    await app.db.knex('lead_scores').update({ hot: true });
    const result = await refreshScores(app.services, {
      batchSize: 10,
      staleAfterMs: 60_000,
      now: () => new Date('2030-01-01T00:00:00Z'),
    });
    expect(result.cooled).toBeGreaterThan(0);
    expect(await app.db.knex('lead_scores').where({ hot: true })).toHaveLength(0);
  });
});

describe('read side', () => {
  it('explains a score with its ledger, newest first', async () => {
    const response = await app.request('GET', `/v1/people/${people[0]!.id}/lead-score?entries_limit=5`, {
      headers: reader.auth,
    });
    expect(response.status).toBe(200);
    expect(response.body.entries.length).toBeLessThanOrEqual(5);
    const times = response.body.entries.map((entry: { occurred_at: string }) => entry.occurred_at);
    expect([...times].sort().reverse()).toEqual(times);
    expect(response.body.trend).toHaveLength(90);
    expect(
      (await app.request('GET', `/v1/people/${randomUUID()}/lead-score`, { headers: reader.auth })).status,
    ).toBe(404);
  });

  it('lists email events with filters and a cursor', async () => {
    const person = people[1]!;
    const all: { id: string; type: string; person_id: string }[] = [];
    let cursor: string | null = null;
    do {
      const page: TestResponse = await app.request(
        'GET',
        `/v1/email-events?person_id=${person.id}&type=opened,clicked&limit=7${cursor ? `&cursor=${cursor}` : ''}`,
        { headers: reader.auth },
      );
      expect(page.status).toBe(200);
      all.push(...page.body.data);
      cursor = page.body.next_cursor;
    } while (cursor);
    const expected = await app.db
      .knex('email_events')
      .where({ person_id: person.id })
      .whereIn('type', ['opened', 'clicked']);
    expect(all.map((event) => event.id).sort()).toEqual(expected.map((event) => event.id).sort());
    expect(new Set(all.map((event) => event.id)).size).toBe(all.length);
    const period = await app.request(
      'GET',
      '/v1/email-events?occurred_after=2026-02-05T00:00:00Z&occurred_before=2026-02-06T00:00:00Z&limit=100',
      { headers: reader.auth },
    );
    expect(period.body.data.length).toBeGreaterThan(0);
    expect(
      period.body.data.every((event: { occurred_at: string }) => event.occurred_at.startsWith('2026-02-05')),
    ).toBe(true);
    const bad = await app.request('GET', '/v1/email-events?type=opened,teleported', { headers: reader.auth });
    expect(bad.status).toBe(400);
  });

  it('merges email events into person and organisation timelines, newest first', async () => {
    const person = people[2]!;
    const organisation = await createOrganisation(app.db.knex);
    await app.db
      .knex('person_organisations')
      .insert({ person_id: person.id, organisation_id: organisation.id });
    for (const path of [
      `/v1/people/${person.id}/timeline`,
      `/v1/organisations/${organisation.id}/timeline`,
    ]) {
      const items: { kind: string; occurred_at: string }[] = [];
      let cursor: string | null = null;
      do {
        const page: TestResponse = await app.request(
          'GET',
          `${path}?limit=10${cursor ? `&cursor=${cursor}` : ''}`,
          {
            headers: reader.auth,
          },
        );
        expect(page.status, page.text).toBe(200);
        items.push(...page.body.data);
        cursor = page.body.next_cursor;
      } while (cursor);
      const kinds = new Set(items.map((item) => item.kind));
      // The person's opens made interactions; the organisation sees its members' email events.
      expect(kinds, path).toEqual(
        new Set(path.startsWith('/v1/people') ? ['interaction', 'email_event'] : ['email_event']),
      );
      const times = items.map((item) => item.occurred_at);
      expect([...times].sort().reverse(), path).toEqual(times);
    }
  });
});
