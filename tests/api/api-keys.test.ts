import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app';
import { createApiKey, createUser, type TestUser } from '../helpers/factories';

let app: TestApp;
let admin: TestUser;
beforeAll(async () => {
  app = await startTestApp();
  admin = await createUser(app.db.knex, { role: 'admin' });
});
afterAll(() => app.close());

describe('API keys', () => {
  it('shows the key once, stores only its hash, and lists it without the secret', async () => {
    const created = await app.request('POST', '/v1/api-keys', {
      headers: admin.auth,
      body: { name: 'intranet', scopes: ['users:read', 'embed_tokens:create'] },
    });
    expect(created.status).toBe(201);
    expect(created.body.key).toMatch(/^rk_[A-Za-z0-9_-]{43}$/);
    expect(created.body.prefix).toBe(created.body.key.slice(0, 11));
    const row = await app.db.knex('api_keys').where({ id: created.body.id }).first();
    expect(JSON.stringify(row)).not.toContain(created.body.key);
    const list = await app.request('GET', '/v1/api-keys', { headers: admin.auth });
    expect(list.text).not.toContain(created.body.key);
    expect(list.body.data.map((key: { id: string }) => key.id)).toContain(created.body.id);
  });

  it('authenticates within its scopes and records its use', async () => {
    const key = await createApiKey(app.db.knex, admin, ['users:read']);
    expect((await app.request('GET', '/v1/users', { headers: key.headers })).status).toBe(200);
    const refused = await app.request('POST', '/v1/users', {
      headers: key.headers,
      body: { email: 'k@example.com', name: 'K', role: 'user', password: 'a-long-enough-password' },
    });
    expect(refused.status).toBe(403);
    expect(refused.body.required_permission).toBe('users:create');
    await expect
      .poll(async () => (await app.db.knex('api_keys').where({ id: key.id }).first()).last_used_at)
      .not.toBeNull();
  });

  it('stops working the moment it is revoked', async () => {
    const key = await createApiKey(app.db.knex, admin, ['users:read']);
    const revoke = await app.request('DELETE', `/v1/api-keys/${key.id}`, { headers: admin.auth });
    expect(revoke.status).toBe(204);
    expect((await app.request('GET', '/v1/users', { headers: key.headers })).status).toBe(401);
    expect((await app.request('DELETE', `/v1/api-keys/${key.id}`, { headers: admin.auth })).status).toBe(204);
    const listed = await app.request('GET', '/v1/api-keys?revoked=true', { headers: admin.auth });
    expect(listed.body.data.find((item: { id: string }) => item.id === key.id).revoked_at).not.toBeNull();
  });

  it('refuses unknown scopes by name', async () => {
    const response = await app.request('POST', '/v1/api-keys', {
      headers: admin.auth,
      body: { name: 'x', scopes: ['users:read', 'root:*'] },
    });
    expect(response.status).toBe(400);
    expect(response.body.errors[0].field).toBe('/scopes/1');
  });

  it('refuses a key that was never issued, and a key sent with a token', async () => {
    const forged = `rk_${'A'.repeat(43)}`;
    expect((await app.request('GET', '/v1/users', { headers: { 'X-Api-Key': forged } })).status).toBe(401);
    const key = await createApiKey(app.db.knex, admin, ['users:read']);
    const both = await app.request('GET', '/v1/users', { headers: { ...key.headers, ...admin.auth } });
    expect(both.status).toBe(400);
  });

  it('is not accepted where the spec names only user tokens', async () => {
    const key = await createApiKey(app.db.knex, admin, ['users:read']);
    expect((await app.request('GET', '/v1/me', { headers: key.headers })).status).toBe(403);
  });
});
