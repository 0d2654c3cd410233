/**
 * Findings of an outside probe, one `describe` each, every one shown by the request that broke it:
 * time zones PostgreSQL does not know, tokens outliving a password change, one-time secrets kept
 * for idempotent replay, a scoring setting that lost webhook events, rate-limit keys outside the
 * deployment's prefix, HSTS over plain HTTP, email-open interactions never announced, widget
 * tokens refused by their own operations, and OPTIONS answered in plain text.
 */
import { createHash, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OpenApiValidator } from '../../server/src/platform/web/openapi';
import { startTestApp, type TestApp } from '../helpers/app';
import { createPerson, createUser, embedTokenFor, type TestUser } from '../helpers/factories';
import { openEventStream } from '../helpers/realtime';
import { postSignedEvents } from '../helpers/webhooks';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const ORIGIN = 'http://localhost:5173';
let now = new Date('2026-11-30T12:00:00Z');
let app: TestApp;
let admin: TestUser;

beforeAll(async () => {
  app = await startTestApp({
    env: {
      RELAIS_WEBHOOK_SECRET: SECRET,
      CORS_ORIGINS: ORIGIN,
      ...(process.env.TEST_REDIS_URL ? { REDIS_URL: process.env.TEST_REDIS_URL } : {}),
    },
    clock: () => now,
  });
  admin = await createUser(app.db.knex, { role: 'admin' });
});
afterAll(() => app.close());

const login = async (email: string, password: string) => {
  const response = await app.request('POST', '/v1/auth/login', { body: { email, password } });
  expect(response.status).toBe(200);
  return { Authorization: `Bearer ${response.body.access_token}` };
};
const me = async (auth: Record<string, string>) =>
  (await app.request('GET', '/v1/me', { headers: auth })).status;

describe('time zones are the ones PostgreSQL computes with', () => {
  it('refuses a zone PostgreSQL does not know, in a query and in a profile', async () => {
    const user = await createUser(app.db.knex, { role: 'user' });
    const inbox = await app.request('GET', '/v1/inbox?tz=US%2FPacific-New', { headers: user.auth });
    expect(inbox.status).toBe(400);
    expect(inbox.body.errors[0]).toMatchObject({ in: 'query', field: 'tz' });
    const profile = await app.request('PATCH', '/v1/me', {
      headers: user.auth,
      body: { time_zone: 'US/Pacific-New' },
    });
    expect(profile.status).toBe(400);
    expect(profile.body.errors[0]).toMatchObject({ in: 'body', field: '/time_zone' });
  });

  it('answers the inbox and the dashboard of a user whose stored zone became unknown', async () => {
    const user = await createUser(app.db.knex, { role: 'user' });
    await app.db.knex('users').where({ id: user.id }).update({ time_zone: 'US/Pacific-New' });
    const inbox = await app.request('GET', '/v1/inbox', { headers: user.auth });
    expect(inbox.status).toBe(200);
    expect(inbox.body.time_zone).toBe('Europe/Paris');
    expect((await app.request('GET', '/v1/dashboard', { headers: user.auth })).status).toBe(200);
  });
});

describe('tokens do not outlive a password change', () => {
  it('a password change revokes earlier tokens, embed tokens included', async () => {
    const user = await createUser(app.db.knex, { role: 'user' });
    const old = await login(user.email, user.password);
    const widget = embedTokenFor(user, {
      widgets: ['inbox'],
      subject: { type: 'inbox', id: user.id },
      origins: [ORIGIN],
    });
    const changed = await app.request('PATCH', '/v1/me', {
      headers: old,
      body: { password: 'a-brand-new-password-1', current_password: user.password },
    });
    expect(changed.status).toBe(200);
    expect(await me(old)).toBe(401);
    const inbox = await app.request('GET', '/v1/inbox', {
      headers: { Authorization: `Bearer ${widget}`, Origin: ORIGIN },
    });
    expect(inbox.status).toBe(401);
    expect(await me(await login(user.email, 'a-brand-new-password-1'))).toBe(200);
  });

  it('an admin’s reset and a deactivation revoke the user’s tokens', async () => {
    const user = await createUser(app.db.knex, { role: 'user' });
    const old = await login(user.email, user.password);
    const reset = await app.request('PATCH', `/v1/users/${user.id}`, {
      headers: admin.auth,
      body: { password: 'reset-by-admin-password-1' },
    });
    expect(reset.status).toBe(200);
    expect(await me(old)).toBe(401);
    const fresh = await login(user.email, 'reset-by-admin-password-1');
    await app.request('PATCH', `/v1/users/${user.id}`, { headers: admin.auth, body: { active: false } });
    await app.request('PATCH', `/v1/users/${user.id}`, { headers: admin.auth, body: { active: true } });
    expect(await me(fresh)).toBe(401);
  });

  it('POST /v1/auth/logout-everywhere revokes every earlier token, and only those', async () => {
    const user = await createUser(app.db.knex, { role: 'user' });
    const laptop = await login(user.email, user.password);
    const phone = await login(user.email, user.password);
    expect((await app.request('POST', '/v1/auth/logout-everywhere', { headers: laptop })).status).toBe(204);
    expect(await me(laptop)).toBe(401);
    expect(await me(phone)).toBe(401);
    expect(await me(await login(user.email, user.password))).toBe(200);
  });
});

describe('one-time secrets are shown once', () => {
  it.each([
    ['/v1/api-keys', { name: 'replayed', scopes: ['users:read'] }, 'key'],
    ['/v1/embed-tokens', { widgets: ['inbox'], subject: { type: 'inbox' }, origins: [ORIGIN] }, 'token'],
  ] as const)(
    'POST %s with an Idempotency-Key stores no secret and replays none',
    async (path, body, field) => {
      const headers = { ...admin.auth, 'Idempotency-Key': randomUUID() };
      const created = await app.request('POST', path, { headers, body });
      expect(created.status).toBe(201);
      const secret = created.body[field] as string;
      const stored = await app.db.knex('idempotency_keys').where({ key: headers['Idempotency-Key'] }).first();
      expect(JSON.stringify(stored)).not.toContain(secret);
      expect(stored.secret_withheld).toBe(true);
      const replay = await app.request('POST', path, { headers, body });
      expect(replay.status).toBe(409);
      expect(replay.body.type).toMatch(/secret-not-replayed$/);
      expect(replay.text).not.toContain(secret);
      if (created.headers.get('location'))
        expect(replay.headers.get('location')).toBe(created.headers.get('location'));
    },
  );
});

describe('scoring settings cannot lose webhook events', () => {
  const click = (email: string) => ({
    id: randomUUID(),
    type: 'clicked',
    email,
    occurred_at: now.toISOString(),
    message_id: `msg-${randomUUID()}`,
    url: 'https://example.com/offre',
  });

  it('refuses a half-life the arithmetic cannot carry, naming the field', async () => {
    const refused = await app.request('PUT', '/v1/scoring-rules', {
      headers: admin.auth,
      body: { rules: [], half_life_days: 0.01, hot_threshold: 20 },
    });
    expect(refused.status).toBe(400);
    expect(refused.body.errors[0].field).toBe('/half_life_days');
  });

  it('scores a click a century from now under the shortest half-life', async () => {
    const current = (await app.request('GET', '/v1/scoring-rules', { headers: admin.auth })).body;
    const saved = await app.request('PUT', '/v1/scoring-rules', {
      headers: admin.auth,
      body: { rules: current.rules, half_life_days: 7, hot_threshold: current.hot_threshold },
    });
    expect(saved.status).toBe(200);
    const clickRule = current.rules.find((rule: { event_type: string }) => rule.event_type === 'clicked');
    const person = await createPerson(app.db.knex, { email: `century-${randomUUID()}@example.com` });
    try {
      now = new Date('2126-11-30T12:00:00Z');
      const delivered = await postSignedEvents(app, click(person.email!), { secret: SECRET, now });
      expect(delivered.status).toBe(200);
      const score = await app.request('GET', `/v1/people/${person.id}/lead-score`, { headers: admin.auth });
      expect(score.status).toBe(200);
      expect(score.body.score).toBeCloseTo(clickRule.points, 4);
      const hot = await app.request('GET', '/v1/lead-scores?min_score=0', { headers: admin.auth });
      expect(hot.status).toBe(200);
    } finally {
      now = new Date('2026-11-30T12:00:00Z');
      // Its weight is a century's worth under the week's half-life: gone before the rules change back.
      await app.db.knex('people').where({ id: person.id }).delete();
      await app.request('PUT', '/v1/scoring-rules', {
        headers: admin.auth,
        body: {
          rules: current.rules,
          half_life_days: current.half_life_days,
          hot_threshold: current.hot_threshold,
        },
      });
    }
  });

  it('answers a correctly signed delivery 503, never 4xx, when the server cannot score it', async () => {
    // A rules version stored before the bound: its arithmetic overflows today.
    const current = await app.db.knex('scoring_rules').orderBy('version', 'desc').first();
    await app.db.knex('scoring_rules').insert({
      version: current.version + 1,
      rules: JSON.stringify(current.rules),
      half_life_days: 0.01,
      hot_threshold: current.hot_threshold,
    });
    try {
      const person = await createPerson(app.db.knex, { email: `overflow-${randomUUID()}@example.com` });
      const delivered = await postSignedEvents(app, click(person.email!), { secret: SECRET, now });
      expect(delivered.status).toBe(503);
      expect(delivered.headers.get('retry-after')).not.toBeNull();
    } finally {
      await app.db
        .knex('scoring_rules')
        .where({ version: current.version + 1 })
        .delete();
    }
  });
});

describe('login rate limits live under the deployment’s Redis prefix', () => {
  it.runIf(process.env.TEST_REDIS_URL)('keys are prefixed and hashed, never the email in clear', async () => {
    const email = `limited-${randomUUID()}@example.com`;
    const failed = await app.request('POST', '/v1/auth/login', {
      body: { email, password: 'wrong-password-123' },
    });
    expect(failed.status).toBe(401);
    const prefix = `relais-test-${new URL(app.db.url).pathname.slice(1)}`;
    const hashed = createHash('sha256').update(`account:${email}`).digest('base64url');
    expect(await app.redis!.exists(`${prefix}:rl:login-account:${hashed}`)).toBe(1);
    expect(await app.redis!.keys(`*${email}*`)).toEqual([]);
  });
});

describe('HSTS only over HTTPS', () => {
  it('sends neither HSTS nor upgrade-insecure-requests over plain HTTP', async () => {
    const response = await app.request('GET', '/health');
    expect(response.headers.get('strict-transport-security')).toBeNull();
    expect(response.headers.get('content-security-policy')).not.toContain('upgrade-insecure-requests');
  });

  it('sends both when a trusted proxy says the request came over HTTPS', async () => {
    const proxied = await startTestApp({ env: { TRUST_PROXY: 'true' } });
    try {
      const response = await proxied.request('GET', '/health', { headers: { 'X-Forwarded-Proto': 'https' } });
      expect(response.headers.get('strict-transport-security')).toMatch(/max-age=/);
      expect(response.headers.get('content-security-policy')).toContain('upgrade-insecure-requests');
      const plain = await proxied.request('GET', '/health');
      expect(plain.headers.get('strict-transport-security')).toBeNull();
    } finally {
      await proxied.close();
    }
  });
});

describe('email-open interactions are announced', () => {
  it('publishes interaction.created for the interaction a first human open makes', async () => {
    const manager = await createUser(app.db.knex, { role: 'manager' });
    const person = await createPerson(app.db.knex, { email: `opener-${randomUUID()}@example.com` });
    const stream = await openEventStream(app.url, { headers: manager.auth });
    try {
      const delivered = await postSignedEvents(
        app,
        {
          id: randomUUID(),
          type: 'opened',
          email: person.email,
          occurred_at: now.toISOString(),
          message_id: `m-${randomUUID()}`,
        },
        { secret: SECRET, now },
      );
      expect(delivered.status).toBe(200);
      const created = await stream.waitFor(
        (event) =>
          event.type === 'interaction.created' &&
          (event.data as { participants?: { person_id: string | null }[] }).participants?.[0]?.person_id ===
            person.id,
      );
      expect(created.data).toMatchObject({ source: 'email_event', type: 'email' });
    } finally {
      stream.close();
    }
  });
});

describe('widget tokens reach their own operations', () => {
  it('a lead-score token reads its person’s lead score, and no one else’s', async () => {
    const user = await createUser(app.db.knex, { role: 'user' });
    const person = await createPerson(app.db.knex);
    const other = await createPerson(app.db.knex);
    const token = embedTokenFor(user, {
      widgets: ['lead-score'],
      subject: { type: 'person', id: person.id },
      origins: [ORIGIN],
    });
    const headers = { Authorization: `Bearer ${token}`, Origin: ORIGIN };
    expect((await app.request('GET', `/v1/people/${person.id}/lead-score`, { headers })).status).toBe(200);
    expect((await app.request('GET', `/v1/people/${other.id}/lead-score`, { headers })).status).toBe(403);
    expect((await app.request('GET', '/v1/lead-scores', { headers })).status).toBe(403);
  });

  it('a hot-leads token reads the hot leads', async () => {
    const user = await createUser(app.db.knex, { role: 'user' });
    const token = embedTokenFor(user, {
      widgets: ['hot-leads'],
      subject: { type: 'inbox', id: user.id },
      origins: [ORIGIN],
    });
    const headers = { Authorization: `Bearer ${token}`, Origin: ORIGIN };
    expect((await app.request('GET', '/v1/lead-scores', { headers })).status).toBe(200);
    expect((await app.request('GET', `/v1/people/${user.id}/timeline`, { headers })).status).toBe(403);
  });
});

describe('OPTIONS without Origin', () => {
  const validator = new OpenApiValidator();
  const paths = [...new Set(validator.operations.map((operation) => operation.pathTemplate))];

  it.each(paths)('OPTIONS %s answers 204 with Allow', async (template) => {
    const path = template.replace(/\{[^}]+\}/g, randomUUID());
    const response = await fetch(`${app.url}${path}`, { method: 'OPTIONS' });
    expect(response.status).toBe(204);
    expect(response.headers.get('allow')).toMatch(/OPTIONS/);
  });
});
