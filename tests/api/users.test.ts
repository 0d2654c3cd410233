import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../server/src/platform/core/permissions';
import { startTestApp, type TestApp } from '../helpers/app';
import { createUser, createUsersPerRole, type TestUser } from '../helpers/factories';

let app: TestApp;
let users: Record<Role, TestUser>;
beforeAll(async () => {
  app = await startTestApp();
  users = await createUsersPerRole(app.db.knex);
});
afterAll(() => app.close());

describe('POST /v1/users', () => {
  it('lets an admin create a user, hashing the password with argon2id', async () => {
    const response = await app.request('POST', '/v1/users', {
      headers: users.admin.auth,
      body: {
        email: 'New.Person@Example.com',
        name: 'New Person',
        role: 'user',
        password: 'a-long-enough-password',
      },
    });
    expect(response.status).toBe(201);
    expect(response.headers.get('location')).toBe(`/v1/users/${response.body.id}`);
    expect(response.body).toMatchObject({
      email: 'new.person@example.com',
      role: 'user',
      active: true,
      time_zone: 'Europe/Paris',
    });
    const row = await app.db.knex('users').where({ id: response.body.id }).first();
    expect(row.password_hash).toMatch(/^\$argon2id\$/);
  });

  it('refuses a second account with the same email in another case', async () => {
    const response = await app.request('POST', '/v1/users', {
      headers: users.admin.auth,
      body: {
        email: users.user.email.toUpperCase(),
        name: 'Twin',
        role: 'user',
        password: 'a-long-enough-password',
      },
    });
    expect(response.status).toBe(409);
  });

  it('lists each invalid field at once', async () => {
    const response = await app.request('POST', '/v1/users', {
      headers: users.admin.auth,
      body: { email: 'not-an-email', name: '', role: 'superuser', password: 'short' },
    });
    expect(response.status).toBe(400);
    expect(response.body.errors.map((error: { field: string }) => error.field).sort()).toEqual([
      '/email',
      '/name',
      '/password',
      '/role',
    ]);
  });

  it.each(['manager', 'user', 'readonly'] as const)('refuses a %s', async (role) => {
    const response = await app.request('POST', '/v1/users', {
      headers: users[role].auth,
      body: { email: `by-${role}@example.com`, name: 'X', role: 'admin', password: 'a-long-enough-password' },
    });
    expect(response.status).toBe(403);
    expect(response.body.required_permission).toBe('users:create');
  });
});

describe('GET /v1/users', () => {
  it('pages through every user exactly once with the cursor', async () => {
    for (let index = 0; index < 7; index += 1) await createUser(app.db.knex, { role: 'readonly' });
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `&cursor=${cursor}` : '';
      const page = await app.request('GET', `/v1/users?limit=3${query}`, { headers: users.manager.auth });
      expect(page.body.data.length).toBeLessThanOrEqual(3);
      seen.push(...page.body.data.map((user: { id: string }) => user.id));
      cursor = page.body.next_cursor;
    } while (cursor);
    const total = Number((await app.db.knex('users').count({ n: '*' }))[0]?.n);
    expect(seen).toHaveLength(total);
    expect(new Set(seen).size).toBe(total);
  });

  it('filters by role and refuses a cursor from elsewhere', async () => {
    const admins = await app.request('GET', '/v1/users?role=admin', { headers: users.admin.auth });
    expect(admins.body.data.every((user: { role: string }) => user.role === 'admin')).toBe(true);
    const bad = await app.request('GET', '/v1/users?cursor=bm90LWEtY3Vyc29y', { headers: users.admin.auth });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].field).toBe('cursor');
  });

  it('caps limit at 100 with a clear message', async () => {
    const response = await app.request('GET', '/v1/users?limit=1000', { headers: users.admin.auth });
    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([{ in: 'query', field: 'limit', message: 'must be <= 100' }]);
  });
});

describe('PATCH /v1/users/{id}', () => {
  it('changes a role, effective at the user’s next request', async () => {
    const target = await createUser(app.db.knex, { role: 'admin' });
    expect((await app.request('GET', '/v1/users', { headers: target.auth })).status).toBe(200);
    const changed = await app.request('PATCH', `/v1/users/${target.id}`, {
      headers: users.admin.auth,
      body: { role: 'user' },
    });
    expect(changed.body.role).toBe('user');
    expect((await app.request('GET', '/v1/users', { headers: target.auth })).status).toBe(403);
  });

  it('deactivates a user, whose token stops working at once', async () => {
    const target = await createUser(app.db.knex);
    await app.request('PATCH', `/v1/users/${target.id}`, {
      headers: users.admin.auth,
      body: { active: false },
    });
    const response = await app.request('GET', '/v1/me', { headers: target.auth });
    expect(response.status).toBe(401);
  });

  it('keeps at least one active admin', async () => {
    const solo = await startTestApp();
    try {
      const only = await createUser(solo.db.knex, { role: 'admin' });
      const response = await solo.request('PATCH', `/v1/users/${only.id}`, {
        headers: only.auth,
        body: { role: 'manager' },
      });
      expect(response.status).toBe(409);
      expect(response.body.detail).toMatch(/last active admin/);
    } finally {
      await solo.close();
    }
  });

  it('answers 404 for an unknown id and 400 for a malformed one', async () => {
    const unknown = await app.request('GET', '/v1/users/00000000-0000-4000-8000-000000000000', {
      headers: users.admin.auth,
    });
    expect(unknown.status).toBe(404);
    const malformed = await app.request('GET', '/v1/users/42', { headers: users.admin.auth });
    expect(malformed.status).toBe(400);
    expect(malformed.body.errors[0]).toMatchObject({ in: 'path', field: 'id' });
  });
});
