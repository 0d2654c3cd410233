import jwt from 'jsonwebtoken';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, TEST_JWT_SECRET, type TestApp } from '../helpers/app';
import { createUser, FACTORY_PASSWORD, type TestUser } from '../helpers/factories';

let app: TestApp;
let alice: TestUser;
beforeAll(async () => {
  app = await startTestApp({ env: { LOGIN_LIMIT_PER_ACCOUNT: '3', LOGIN_LIMIT_PER_IP: '1000' } });
  alice = await createUser(app.db.knex, { email: 'alice@example.com', role: 'manager' });
});
afterAll(() => app.close());

const login = (email: string, password: string) =>
  app.request('POST', '/v1/auth/login', { body: { email, password } });

describe('POST /v1/auth/login', () => {
  it('returns a 24-hour HS256 token for the user, with sub, role, issuer and audience', async () => {
    const response = await login('ALICE@example.com', FACTORY_PASSWORD);
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      token_type: 'Bearer',
      expires_in: 86_400,
      user: { id: alice.id, role: 'manager' },
    });
    expect(response.body.user.password_hash).toBeUndefined();
    const claims = jwt.verify(response.body.access_token, TEST_JWT_SECRET, {
      algorithms: ['HS256'],
    }) as jwt.JwtPayload;
    expect(claims).toMatchObject({ sub: alice.id, role: 'manager', iss: 'relais', aud: 'relais-api' });
    expect(claims.exp! - claims.iat!).toBe(86_400);
    expect(response.headers.get('cache-control')).toBe('no-store');
  });

  it('gives an unknown email and a wrong password the same answer', async () => {
    const wrongPassword = await login('alice@example.com', 'not-the-password');
    const unknownEmail = await login('nobody@example.com', 'not-the-password');
    expect(wrongPassword.status).toBe(401);
    expect(unknownEmail.status).toBe(401);
    expect(unknownEmail.body.detail).toBe(wrongPassword.body.detail);
  });

  it('refuses a deactivated account', async () => {
    const gone = await createUser(app.db.knex, { active: false });
    const response = await login(gone.email, FACTORY_PASSWORD);
    expect(response.status).toBe(401);
    expect(response.body.detail).toMatch(/deactivated/);
  });

  it('names the missing field', async () => {
    const response = await app.request('POST', '/v1/auth/login', { body: { email: 'alice@example.com' } });
    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([{ in: 'body', field: '/password', message: 'is required' }]);
  });

  it('locks an account out after too many failures, with Retry-After, and counts no success', async () => {
    const victim = await createUser(app.db.knex);
    expect((await login(victim.email, FACTORY_PASSWORD)).status).toBe(200);
    for (let attempt = 0; attempt < 3; attempt += 1)
      expect((await login(victim.email, 'wrong-password')).status).toBe(401);
    const locked = await login(victim.email, FACTORY_PASSWORD);
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(locked.body.type).toMatch(/rate-limited$/);
    expect((await login(alice.email, FACTORY_PASSWORD)).status).toBe(200);
  });
});

describe('per-address login limit', () => {
  it('answers 429 once an address has made too many attempts', async () => {
    const limited = await startTestApp({ env: { LOGIN_LIMIT_PER_IP: '2' } });
    try {
      const send = () =>
        limited.request('POST', '/v1/auth/login', { body: { email: 'x@example.com', password: 'y' } });
      expect((await send()).status).toBe(401);
      expect((await send()).status).toBe(401);
      expect((await send()).status).toBe(429);
    } finally {
      await limited.close();
    }
  });
});

describe('GET and PATCH /v1/me', () => {
  it('returns the caller', async () => {
    const response = await app.request('GET', '/v1/me', { headers: alice.auth });
    expect(response.body).toMatchObject({
      id: alice.id,
      email: alice.email,
      name: alice.name,
      role: 'manager',
    });
  });

  it('asks for credentials with a 401 and WWW-Authenticate', async () => {
    const response = await app.request('GET', '/v1/me');
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
  });

  it('changes the name and time zone, and refuses an unknown zone', async () => {
    const user = await createUser(app.db.knex);
    const changed = await app.request('PATCH', '/v1/me', {
      headers: user.auth,
      body: { name: 'Renamed', time_zone: 'America/New_York' },
    });
    expect(changed.body).toMatchObject({ name: 'Renamed', time_zone: 'America/New_York' });
    const wrong = await app.request('PATCH', '/v1/me', {
      headers: user.auth,
      body: { time_zone: 'Mars/Olympus' },
    });
    expect(wrong.status).toBe(400);
    expect(wrong.body.errors[0].field).toBe('/time_zone');
  });

  it('changes the password only with the current one', async () => {
    const user = await createUser(app.db.knex);
    const without = await app.request('PATCH', '/v1/me', {
      headers: user.auth,
      body: { password: 'a-brand-new-password' },
    });
    expect(without.status).toBe(400);
    const withCurrent = await app.request('PATCH', '/v1/me', {
      headers: user.auth,
      body: { password: 'a-brand-new-password', current_password: FACTORY_PASSWORD },
    });
    expect(withCurrent.status).toBe(200);
    expect((await login(user.email, 'a-brand-new-password')).status).toBe(200);
  });

  it('refuses a change of one’s own role as read-only, and changes nothing', async () => {
    const user = await createUser(app.db.knex, { role: 'readonly' });
    const response = await app.request('PATCH', '/v1/me', {
      headers: user.auth,
      body: { name: 'Sneaky', role: 'admin' },
    });
    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([
      { in: 'body', field: '/role', message: 'is read-only: the server sets it; remove it from the request' },
    ]);
    const row = await app.db.knex('users').where({ id: user.id }).first();
    expect(row).toMatchObject({ role: 'readonly', name: user.name });
  });
});
