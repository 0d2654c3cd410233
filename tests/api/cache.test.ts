/**
 * The read cache, in process (no REDIS_URL) and shared in Redis: every write is visible to the
 * next read, concurrent misses load once, counters per prefix. Redis failing is in
 * tests/integration/redis-outage.test.ts.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app';
import { createPerson, createUser, type TestUser } from '../helpers/factories';

const redisUrl = inject('redisUrl');
const MODES: Array<{ mode: string; env: Record<string, string> }> = [
  { mode: 'memory', env: {} },
  ...(redisUrl ? [{ mode: 'redis', env: { REDIS_URL: redisUrl } }] : []),
];

describe.each(MODES)('the read cache ($mode)', ({ mode, env }) => {
  let app: TestApp;
  let admin: TestUser;
  let user: TestUser;
  beforeAll(async () => {
    // A deadline far above any answer, so that a loaded machine's slow reply is not taken for an
    // outage here: the deadline's fail-open is in redis-outage.test.ts.
    app = await startTestApp({ env: { ...env, CACHE_TIMEOUT_MS: '5000' } });
    [admin, user] = await Promise.all([
      createUser(app.db.knex, { role: 'admin' }),
      createUser(app.db.knex, { role: 'manager', name: 'Manager' }),
    ]);
  });
  afterAll(() => app.close());

  const get = async (path: string) => {
    const response = await app.request('GET', path, { headers: user.auth });
    expect(response.status, response.text).toBe(200);
    return response;
  };
  const write = async (method: string, path: string, body: object, headers: Record<string, string> = {}) => {
    const response = await app.request(method, path, { headers: { ...user.auth, ...headers }, body });
    expect(response.status, response.text).toBeLessThan(300);
    return response.body;
  };

  it('serves the next read of a person from the cache, and every write right after it', async () => {
    const person = await createPerson(app.db.knex);
    const first = await get(`/v1/people/${person.id}`);
    const again = await get(`/v1/people/${person.id}`);
    expect(again.text).toBe(first.text);
    for (let round = 0; round < 25; round += 1) {
      const current = await get(`/v1/people/${person.id}`);
      await write(
        'PATCH',
        `/v1/people/${person.id}`,
        { last_name: `Round ${round}` },
        {
          'If-Match': current.headers.get('etag')!,
        },
      );
      expect((await get(`/v1/people/${person.id}`)).body.last_name).toBe(`Round ${round}`);
    }
    const stats = await app.request('GET', '/v1/cache/stats', { headers: admin.auth });
    expect(stats.body.mode).toBe(mode);
    expect(stats.body.prefixes.person.hits).toBeGreaterThanOrEqual(26);
    expect(stats.body.prefixes.person.misses).toBeGreaterThanOrEqual(26);
  });

  it('shows an organisation’s new name in its people and its own record', async () => {
    const organisation = await write('POST', '/v1/organisations', { name: 'Before SA', type: 'client' });
    const person = await createPerson(app.db.knex);
    await write('POST', `/v1/people/${person.id}/organisations`, { organisation_id: organisation.id });
    expect((await get(`/v1/people/${person.id}`)).body.organisations[0].organisation_name).toBe('Before SA');
    const current = await get(`/v1/organisations/${organisation.id}`);
    await write(
      'PATCH',
      `/v1/organisations/${organisation.id}`,
      { name: 'After SA' },
      {
        'If-Match': current.headers.get('etag')!,
      },
    );
    expect((await get(`/v1/organisations/${organisation.id}`)).body.name).toBe('After SA');
    expect((await get(`/v1/people/${person.id}`)).body.organisations[0].organisation_name).toBe('After SA');
  });

  it('keeps timelines and the dashboard true after interactions change, and after a rename', async () => {
    const [client, colleague] = await Promise.all([createPerson(app.db.knex), createPerson(app.db.knex)]);
    const timeline = `/v1/people/${client.id}/timeline`;
    expect((await get(timeline)).body.data).toEqual([]);
    await get('/v1/dashboard');
    const created = await write('POST', '/v1/interactions', {
      type: 'meeting',
      title: 'Kick-off',
      participants: [{ person_id: client.id }, { person_id: colleague.id }],
    });
    expect((await get(timeline)).body.data.map((item: { id: string }) => item.id)).toEqual([created.id]);
    expect((await get('/v1/dashboard')).body.recent_interactions[0].id).toBe(created.id);

    const current = await get(`/v1/interactions/${created.id}`);
    await write(
      'PATCH',
      `/v1/interactions/${created.id}`,
      { title: 'Kick-off (moved)' },
      {
        'If-Match': current.headers.get('etag')!,
      },
    );
    expect((await get(timeline)).body.data[0].interaction.title).toBe('Kick-off (moved)');
    expect((await get('/v1/dashboard')).body.recent_interactions[0].title).toBe('Kick-off (moved)');

    // The colleague's new name shows in the client's timeline, through the shared interaction.
    const colleagueNow = await get(`/v1/people/${colleague.id}`);
    await write(
      'PATCH',
      `/v1/people/${colleague.id}`,
      { first_name: 'Renamed' },
      {
        'If-Match': colleagueNow.headers.get('etag')!,
      },
    );
    const names = (await get(timeline)).body.data[0].interaction.participants.map(
      (p: { name: string }) => p.name,
    );
    expect(names.some((name: string) => name.startsWith('Renamed'))).toBe(true);
  });

  it('loads once for many concurrent misses on one key', async () => {
    const person = await createPerson(app.db.knex);
    let loads = 0;
    const count = (query: { sql: string; bindings?: unknown[] }) => {
      if (/from "people"/.test(query.sql) && query.bindings?.includes(person.id)) loads += 1;
    };
    app.db.knex.on('query', count);
    try {
      const responses = await Promise.all(
        Array.from({ length: 200 }, () =>
          app.request('GET', `/v1/people/${person.id}`, { headers: user.auth }),
        ),
      );
      expect(responses.every((response) => response.status === 200)).toBe(true);
      expect(new Set(responses.map((response) => response.text)).size).toBe(1);
    } finally {
      app.db.knex.off('query', count);
    }
    expect(loads).toBe(1);
    const stats = await app.request('GET', '/v1/cache/stats', { headers: admin.auth });
    expect(stats.body.prefixes.person.loads).toBeLessThan(stats.body.prefixes.person.misses);
  });

  it('keeps its counters for admins only', async () => {
    expect((await app.request('GET', '/v1/cache/stats', { headers: user.auth })).status).toBe(403);
  });
});

describe('the read cache turned off (CACHE_TTL_SECONDS=0)', () => {
  let app: TestApp;
  let admin: TestUser;
  beforeAll(async () => {
    app = await startTestApp({ env: { CACHE_TTL_SECONDS: '0' } });
    admin = await createUser(app.db.knex, { role: 'admin' });
  });
  afterAll(() => app.close());

  it('reads every time from the database and says so', async () => {
    const person = await createPerson(app.db.knex);
    for (let round = 0; round < 3; round += 1) {
      const response = await app.request('GET', `/v1/people/${person.id}`, { headers: admin.auth });
      expect(response.status).toBe(200);
    }
    await app.db.knex('people').where({ id: person.id }).update({ last_name: 'Behind the API' });
    const read = await app.request('GET', `/v1/people/${person.id}`, { headers: admin.auth });
    expect(read.body.last_name).toBe('Behind the API');
    const stats = await app.request('GET', '/v1/cache/stats', { headers: admin.auth });
    expect(stats.body.mode).toBe('off');
    expect(stats.body.prefixes.person).toMatchObject({ hits: 0, misses: 0, bypassed: 4 });
  });
});
