import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app';
import { createApiKey, createUser, embedTokenFor, type TestUser } from '../helpers/factories';

const INTRANET = 'https://intranet.example.com';
const PERSON = '6f1d2a3b-4c5d-4e6f-8a9b-0c1d2e3f4a5b';

let app: TestApp;
let user: TestUser;
let admin: TestUser;
beforeAll(async () => {
  app = await startTestApp({ env: { CORS_ORIGINS: INTRANET } });
  [user, admin] = await Promise.all([createUser(app.db.knex), createUser(app.db.knex, { role: 'admin' })]);
});
afterAll(() => app.close());

const create = (headers: Record<string, string>, body: object) =>
  app.request('POST', '/v1/embed-tokens', { headers, body });

describe('POST /v1/embed-tokens', () => {
  it('mints a 15-minute token for the caller, for one subject and origin', async () => {
    const response = await create(user.auth, {
      widgets: ['timeline', 'lead-score'],
      subject: { type: 'person', id: PERSON },
      origins: [INTRANET],
    });
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({
      user_id: user.id,
      expires_in: 900,
      subject: { type: 'person', id: PERSON },
    });
    const current = await app.request('GET', '/v1/embed-tokens/current', {
      headers: { Authorization: `Bearer ${response.body.token}`, Origin: INTRANET },
    });
    expect(current.status).toBe(200);
    expect(current.body.widgets).toEqual(['timeline', 'lead-score']);
  });

  it('refuses an origin the server does not allow, and a widget that cannot show the subject', async () => {
    const response = await create(user.auth, {
      widgets: ['lead-score'],
      subject: { type: 'organisation', id: PERSON },
      origins: ['https://elsewhere.example.com'],
    });
    expect(response.status).toBe(400);
    expect(response.body.errors.map((error: { field: string }) => error.field).sort()).toEqual([
      '/origins/0',
      '/widgets/0',
    ]);
  });

  it('caps the lifetime at one hour', async () => {
    const response = await create(user.auth, {
      widgets: ['inbox'],
      subject: { type: 'inbox' },
      origins: [INTRANET],
      ttl_seconds: 7200,
    });
    expect(response.status).toBe(400);
    expect(response.body.errors[0]).toMatchObject({ field: '/ttl_seconds' });
  });

  it('lets a user act only for themselves, an admin for anyone', async () => {
    const body = { widgets: ['inbox'], subject: { type: 'inbox' }, origins: [INTRANET], user_id: admin.id };
    expect((await create(user.auth, body)).status).toBe(403);
    const byAdmin = await create(admin.auth, { ...body, user_id: user.id });
    expect(byAdmin.status).toBe(201);
    expect(byAdmin.body.subject).toEqual({ type: 'inbox', id: user.id });
  });

  it('makes an API key name the acting user', async () => {
    // The key holds what the widget reads: nobody grants what they do not hold.
    const key = await createApiKey(app.db.knex, admin, ['embed_tokens:create', 'lead_scores:read']);
    const body = { widgets: ['hot-leads'], subject: { type: 'inbox' }, origins: [INTRANET] };
    const missing = await create(key.headers, body);
    expect(missing.status).toBe(400);
    expect(missing.body.errors[0].field).toBe('/user_id');
    expect((await create(key.headers, { ...body, user_id: user.id })).status).toBe(201);
  });
});

describe('requests with an embed token', () => {
  const token = () =>
    embedTokenFor(user, {
      widgets: ['timeline'],
      subject: { type: 'person', id: PERSON },
      origins: [INTRANET],
    });

  it('are refused from another origin, or with no origin', async () => {
    const other = await app.request('GET', '/v1/embed-tokens/current', {
      headers: { Authorization: `Bearer ${token()}`, Origin: 'https://evil.example.com' },
    });
    expect(other.status).toBe(403);
    const none = await app.request('GET', '/v1/embed-tokens/current', {
      headers: { Authorization: `Bearer ${token()}` },
    });
    expect(none.status).toBe(403);
  });

  it('are refused on operations no widget needs', async () => {
    for (const path of ['/v1/me', '/v1/users', '/v1/api-keys', '/v1/audit-log']) {
      const response = await app.request('GET', path, {
        headers: { Authorization: `Bearer ${token()}`, Origin: INTRANET },
      });
      expect(response.status, path).toBe(403);
    }
  });

  it('stop working when expired or when the acting user is deactivated', async () => {
    const expired = embedTokenFor(
      user,
      { widgets: ['timeline'], subject: { type: 'person', id: PERSON }, origins: [INTRANET] },
      -60,
    );
    const response = await app.request('GET', '/v1/embed-tokens/current', {
      headers: { Authorization: `Bearer ${expired}`, Origin: INTRANET },
    });
    expect(response.status).toBe(401);
    expect(response.body.detail).toMatch(/expired/);

    const leaver = await createUser(app.db.knex);
    const leaverToken = embedTokenFor(leaver, {
      widgets: ['inbox'],
      subject: { type: 'inbox', id: leaver.id },
      origins: [INTRANET],
    });
    await app.db.knex('users').where({ id: leaver.id }).update({ active: false });
    const afterLeaving = await app.request('GET', '/v1/embed-tokens/current', {
      headers: { Authorization: `Bearer ${leaverToken}`, Origin: INTRANET },
    });
    expect(afterLeaving.status).toBe(401);
  });
});
