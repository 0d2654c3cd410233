/**
 * OWASP API2 (broken authentication): every forged or stale token is a 401, never a 200 and
 * never a 500.
 */
import { generateKeyPairSync } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestApp, TEST_JWT_SECRET, type TestApp } from '../helpers/app';
import { createUser, type TestUser } from '../helpers/factories';

let app: TestApp;
let admin: TestUser;
beforeAll(async () => {
  app = await startTestApp();
  admin = await createUser(app.db.knex, { role: 'admin' });
});
afterAll(() => app.close());

const base = () => ({ sub: admin.id, role: 'admin', iss: 'relais', aud: 'relais-api' });
const sign = (payload: object, secret: jwt.Secret = TEST_JWT_SECRET, options: jwt.SignOptions = {}) =>
  jwt.sign(payload, secret, {
    algorithm: 'HS256',
    ...('exp' in payload ? {} : { expiresIn: 600 }),
    ...options,
  });
const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const publicPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();

const forgeries: Record<string, () => string> = {
  'alg none': () =>
    `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ ...base(), exp: Math.floor(Date.now() / 1000) + 600 })}.`,
  'wrong key': () => sign(base(), 'another-secret-that-is-long-enough-0123456789'),
  expired: () => sign({ ...base(), exp: Math.floor(Date.now() / 1000) - 60 }),
  'not yet valid': () => sign(base(), TEST_JWT_SECRET, { notBefore: 3_600 }),
  'tampered payload': () => {
    const [header, , signature] = sign({ ...base(), role: 'readonly' }).split('.');
    return `${header}.${b64({ ...base(), role: 'admin', sub: admin.id, exp: Math.floor(Date.now() / 1000) + 600 })}.${signature}`;
  },
  'missing sub': () => sign({ role: 'admin', iss: 'relais', aud: 'relais-api' }),
  'sub not a uuid': () => sign({ ...base(), sub: "1' OR '1'='1" }),
  'unknown user': () => sign({ ...base(), sub: '00000000-0000-4000-8000-000000000000' }),
  'wrong issuer': () => sign({ ...base(), iss: 'someone-else' }),
  'wrong audience': () => sign({ ...base(), aud: 'another-api' }),
  'RS256 with our issuer': () => jwt.sign(base(), privateKey, { algorithm: 'RS256', expiresIn: 600 }),
  'HS256 keyed with a public key (key confusion)': () => sign(base(), publicPem),
  'embed token used as an access token': () =>
    sign({
      sub: admin.id,
      iss: 'relais',
      aud: 'relais-embed',
      wid: ['inbox'],
      sbj: { type: 'inbox', id: admin.id },
      org: ['https://a.example.com'],
    }),
  garbage: () => 'not.a.jwt',
};

describe('forged and stale access tokens', () => {
  it.each(Object.keys(forgeries))('%s → refused', async (name) => {
    const response = await app.request('GET', '/v1/users', {
      headers: { Authorization: `Bearer ${forgeries[name]!()}` },
    });
    // An embed token is authentic but admitted only where widgets go: 403, not data.
    const expected = name === 'embed token used as an access token' ? 403 : 401;
    expect(response.status).toBe(expected);
    expect(response.body.data).toBeUndefined();
  });

  it('a genuine token for the same user passes (the forgeries fail for their flaw alone)', async () => {
    const response = await app.request('GET', '/v1/users', {
      headers: { Authorization: `Bearer ${sign(base())}` },
    });
    expect(response.status).toBe(200);
  });

  it('a malformed Authorization header is a 401', async () => {
    for (const header of ['Basic YWRtaW46YWRtaW4=', 'Bearer', 'Bearer  ', `Token ${sign(base())}`]) {
      const response = await app.request('GET', '/v1/users', { headers: { Authorization: header } });
      expect(response.status, header).toBe(401);
    }
  });
});

describe('a token verified once', () => {
  afterAll(() => vi.useRealTimers());

  it('is refused once it expires, though its signature was checked before', async () => {
    const token = sign({ ...base(), exp: Math.floor(Date.now() / 1000) + 60 });
    const headers = { Authorization: `Bearer ${token}` };
    expect((await app.request('GET', '/v1/users', { headers })).status).toBe(200);
    expect((await app.request('GET', '/v1/users', { headers })).status).toBe(200);
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 70_000 });
    const late = await app.request('GET', '/v1/users', { headers });
    expect(late.status).toBe(401);
    expect(late.body.detail).toMatch(/expired/);
  });

  it('is refused, cached or not, once its user is deactivated', async () => {
    vi.useRealTimers();
    const user = await createUser(app.db.knex, { role: 'admin' });
    const headers = user.auth;
    expect((await app.request('GET', '/v1/users', { headers })).status).toBe(200);
    // Changed in SQL, as another instance would: the cached copy goes when the NOTIFY arrives,
    // milliseconds later, never after the cache's 60 s bound.
    await app.db.knex('users').where({ id: user.id }).update({ active: false });
    await vi.waitFor(
      async () => expect((await app.request('GET', '/v1/users', { headers })).status).toBe(401),
      { timeout: 5_000, interval: 20 },
    );
  });
});
