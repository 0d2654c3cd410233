/**
 * Nobody grants what they do not hold. Walks every scope of the permission table (as the BOLA
 * matrix walks every `{id}` operation): for each one, a principal holding everything *but* that
 * scope may not hand it out — as an API key's scope, as a role, by taking over an account that
 * holds it, or through an embed token acting for such a user — while holding it too makes the
 * same request succeed. A new scope is covered without anyone remembering to.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scopesOfRole, WIDGET_READS } from '../../server/src/platform/core/grants';
import { ROLES, SCOPES } from '../../server/src/platform/core/permissions';
import { WIDGETS } from '../../server/src/platform/core/principal';
import { startTestApp, type TestApp } from '../helpers/app';
import { createApiKey, createUser, type TestUser } from '../helpers/factories';

const ORIGIN = 'http://localhost:5173';
const PASSWORD = 'a-long-enough-password-1';
let app: TestApp;
let admin: TestUser;
let sequence = 0;

beforeAll(async () => {
  app = await startTestApp({ env: { CORS_ORIGINS: ORIGIN } });
  admin = await createUser(app.db.knex, { role: 'admin' });
});
afterAll(() => app.close());

const without = (scope: string, scopes: readonly string[] = SCOPES) => scopes.filter((s) => s !== scope);
const keyWith = async (scopes: Iterable<string>) =>
  (await createApiKey(app.db.knex, admin, [...scopes])).headers;
const newEmail = () => {
  sequence += 1;
  return `escalation-${sequence}-${Date.now()}@example.com`;
};

describe('API keys: a key’s scopes are a subset of its creator’s', () => {
  it.each(without('api_keys:create'))('a key without %s cannot create a key holding it', async (scope) => {
    const held = without(scope);
    const headers = await keyWith(held);
    const refused = await app.request('POST', '/v1/api-keys', {
      headers,
      body: { name: 'escalated', scopes: [...SCOPES] },
    });
    expect(refused.status).toBe(403);
    expect(refused.body.missing_permissions).toEqual([scope]);
    const granted = await app.request('POST', '/v1/api-keys', {
      headers,
      body: { name: 'fine', scopes: held },
    });
    expect(granted.status).toBe(201);
    expect(granted.body.scopes).not.toContain(scope);
  });

  it('a key is refused, at use, what its creator no longer holds; a deactivated creator’s keys stop', async () => {
    const creator = await createUser(app.db.knex, { role: 'admin' });
    const key = await createApiKey(app.db.knex, creator, ['audit_log:read', 'organisations:read']);
    expect((await app.request('GET', '/v1/audit-log', { headers: key.headers })).status).toBe(200);
    const demote = await app.request('PATCH', `/v1/users/${creator.id}`, {
      headers: admin.auth,
      body: { role: 'manager' },
    });
    expect(demote.status).toBe(200);
    await expect
      .poll(async () => (await app.request('GET', '/v1/audit-log', { headers: key.headers })).status)
      .toBe(403);
    expect((await app.request('GET', '/v1/organisations', { headers: key.headers })).status).toBe(200);
    await app.request('PATCH', `/v1/users/${creator.id}`, { headers: admin.auth, body: { active: false } });
    await expect
      .poll(async () => (await app.request('GET', '/v1/organisations', { headers: key.headers })).status)
      .toBe(401);
  });
});

describe('Roles: a role is given only by a principal holding all of it', () => {
  it.each(ROLES.flatMap((holder) => ROLES.map((given) => [holder, given] as const)))(
    'a key holding the %s role’s scopes gives the %s role only if it holds all of them',
    async (holder, given) => {
      const headers = await keyWith(new Set(['users:create', ...scopesOfRole(holder)]));
      const created = await app.request('POST', '/v1/users', {
        headers,
        body: { email: newEmail(), name: 'New', role: given, password: PASSWORD },
      });
      const holds = [...scopesOfRole(given)].every(
        (scope) => scope === 'users:create' || scopesOfRole(holder).has(scope),
      );
      expect(created.status).toBe(holds ? 201 : 403);
      if (!holds) expect(created.body.missing_permissions.length).toBeGreaterThan(0);
    },
  );

  it.each([...scopesOfRole('admin')])('without %s, nobody creates an admin', async (scope) => {
    const held = new Set(without(scope, [...scopesOfRole('admin')]));
    const refused = await app.request('POST', '/v1/users', {
      headers: await keyWith(held),
      body: { email: newEmail(), name: 'Admin', role: 'admin', password: PASSWORD },
    });
    expect(refused.status).toBe(403);
    expect(refused.body.missing_permissions ?? [refused.body.required_permission]).toEqual([scope]);
  });

  it('a key holding every scope may create an admin (the refusals above are for the one scope)', async () => {
    const created = await app.request('POST', '/v1/users', {
      headers: await keyWith(SCOPES),
      body: { email: newEmail(), name: 'Admin', role: 'admin', password: PASSWORD },
    });
    expect(created.status).toBe(201);
  });
});

describe('Accounts: another account’s credentials change only with users:manage and all of its role', () => {
  const changes = [
    ['password', { password: 'taken-over-password-1' }],
    ['email', { email: 'taken-over@example.com' }],
    ['role', { role: 'readonly' }],
    ['active', { active: false }],
  ] as const;

  it.each(
    [...new Set(['users:manage', ...scopesOfRole('admin')])]
      .filter((scope) => scope !== 'users:update')
      .flatMap((scope) => changes.map(([field, body]) => [scope, field, body] as const)),
  )('without %s, a key cannot change an admin’s %s', async (scope, _field, body) => {
    const target = await createUser(app.db.knex, { role: 'admin' });
    const headers = await keyWith(new Set(['users:update', ...without(scope)]));
    const before = await app.db.knex('users').where({ id: target.id }).first();
    const refused = await app.request('PATCH', `/v1/users/${target.id}`, { headers, body });
    expect(refused.status).toBe(403);
    expect(await app.db.knex('users').where({ id: target.id }).first()).toEqual(before);
  });

  it('a key holding every scope may reset an admin’s password (the refusals above are for the one scope)', async () => {
    const target = await createUser(app.db.knex, { role: 'admin' });
    const reset = await app.request('PATCH', `/v1/users/${target.id}`, {
      headers: await keyWith(SCOPES),
      body: { password: 'a-new-admin-password-1' },
    });
    expect(reset.status).toBe(200);
  });

  it('users:update alone changes a name, and nothing that takes an account over', async () => {
    const target = await createUser(app.db.knex, { role: 'user' });
    const headers = await keyWith(['users:update']);
    const renamed = await app.request('PATCH', `/v1/users/${target.id}`, {
      headers,
      body: { name: 'Renamed' },
    });
    expect(renamed.status).toBe(200);
    const refused = await app.request('PATCH', `/v1/users/${target.id}`, {
      headers,
      body: { password: 'taken-over-password-1' },
    });
    expect(refused.status).toBe(403);
  });
});

describe('Embed tokens: a token acts for a user only if its maker could read what it shows', () => {
  it.each(WIDGETS.flatMap((widget) => WIDGET_READS[widget].map((scope) => [widget, scope] as const)))(
    'a key without %s’s %s cannot mint it for a user',
    async (widget, scope) => {
      const headers = await keyWith(without(scope));
      const subject = widget === 'inbox' ? { type: 'inbox' } : { type: 'person', id: admin.id };
      const refused = await app.request('POST', '/v1/embed-tokens', {
        headers,
        body: { widgets: [widget], subject, origins: [ORIGIN], user_id: admin.id },
      });
      expect(refused.status).toBe(403);
      expect(refused.body.required_permission).toBe(scope);
    },
  );

  it.each(WIDGETS)('a key holding what %s reads may mint it for a user', async (widget) => {
    const headers = await keyWith(['embed_tokens:create', ...WIDGET_READS[widget]]);
    const subject = widget === 'inbox' ? { type: 'inbox' } : { type: 'person', id: admin.id };
    const created = await app.request('POST', '/v1/embed-tokens', {
      headers,
      body: { widgets: [widget], subject, origins: [ORIGIN], user_id: admin.id },
    });
    expect(created.status).toBe(201);
  });

  it('a user with reach over their own records only cannot mint a token acting for another user', async () => {
    const user = await createUser(app.db.knex, { role: 'user' });
    const manager = await createUser(app.db.knex, { role: 'manager' });
    const refused = await app.request('POST', '/v1/embed-tokens', {
      headers: user.auth,
      body: { widgets: ['inbox'], subject: { type: 'inbox' }, origins: [ORIGIN], user_id: manager.id },
    });
    expect(refused.status).toBe(403);
  });
});
