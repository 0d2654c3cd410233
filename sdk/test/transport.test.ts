/**
 * The SDK's errors, retries and pagination against a real in-process server: every typed error
 * comes from a real response, retries are provoked by faults injected between the client and the
 * real server (a response lost after the server acted, a 503), and the database counts the writes.
 */
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../tests/helpers/app';
import { createMandate, createPerson, createUser, type TestUser } from '../../tests/helpers/factories';
import {
  createRelaisClient,
  isRelaisError,
  paginate,
  RelaisAuthenticationError,
  RelaisConflictError,
  RelaisConnectionError,
  type RelaisError,
  RelaisNotFoundError,
  RelaisPermissionError,
  RelaisPreconditionFailedError,
  RelaisRateLimitError,
  RelaisTimeoutError,
  RelaisValidationError,
  unwrap,
} from '../src';

let app: TestApp;
let manager: TestUser;
let readonly: TestUser;
beforeAll(async () => {
  app = await startTestApp({ env: { LOGIN_LIMIT_PER_ACCOUNT: '1' } });
  [manager, readonly] = await Promise.all([
    createUser(app.db.knex, { role: 'manager' }),
    createUser(app.db.knex, { role: 'readonly' }),
  ]);
});
afterAll(() => app.close());

const client = (token: string, options: Parameters<typeof createRelaisClient>[0] | object = {}) =>
  createRelaisClient({ baseUrl: app.url, token, maxRetries: 0, ...options });

async function caught(call: Promise<unknown>): Promise<RelaisError> {
  try {
    await call;
  } catch (error) {
    expect(isRelaisError(error)).toBe(true);
    return error as RelaisError;
  }
  throw new Error('the call did not fail');
}

describe('errors throw, typed from the problem document', () => {
  it('validation (400) names the fields', async () => {
    const error = await caught(
      client(manager.token).people.create({ first_name: 'A', last_name: 'B', email: 'nope' }),
    );
    expect(error).toBeInstanceOf(RelaisValidationError);
    expect(error.status).toBe(400);
    expect(error.fieldErrors).toContainEqual(expect.objectContaining({ in: 'body', field: '/email' }));
    expect(error.requestId).toMatch(/.+/);
  });

  it('authentication (401), permission (403) with the permission, not found (404)', async () => {
    expect(await caught(client('not-a-token').me.get())).toBeInstanceOf(RelaisAuthenticationError);
    const forbidden = await caught(client(readonly.token).people.create({ first_name: 'A', last_name: 'B' }));
    expect(forbidden).toBeInstanceOf(RelaisPermissionError);
    expect((forbidden as RelaisPermissionError).requiredPermission).toBe('people:create');
    const missing = await caught(client(manager.token).people.get('00000000-0000-4000-8000-000000000000'));
    expect(missing).toBeInstanceOf(RelaisNotFoundError);
    // The path-based client throws the same errors through unwrap.
    const rawMissing = await caught(
      unwrap(
        client(manager.token).raw.GET('/v1/people/{id}', {
          params: { path: { id: '00000000-0000-4000-8000-000000000000' } },
        }),
      ),
    );
    expect(rawMissing).toBeInstanceOf(RelaisNotFoundError);
  });

  it('conflict (409) with the allowed transitions, precondition failed (412) with the current ETag', async () => {
    const mandate = await createMandate(app.db.knex, { owner_id: manager.id });
    const relais = client(manager.token);
    const conflict = await caught(relais.mandates.update(mandate.id, { status: 'active' }));
    expect(conflict).toBeInstanceOf(RelaisConflictError);
    expect((conflict as RelaisConflictError).allowedTransitions).toContain('proposed');
    const stale = await caught(
      relais.mandates.update(mandate.id, { title: 'Renamed' }, { ifMatch: '"stale"' }),
    );
    expect(stale).toBeInstanceOf(RelaisPreconditionFailedError);
    expect((stale as RelaisPreconditionFailedError).currentEtag).toMatch(/^"/);
  });

  it('rate limited (429) with Retry-After', async () => {
    const user = await createUser(app.db.knex, { role: 'user' });
    const relais = createRelaisClient({ baseUrl: app.url, maxRetries: 0 });
    const body = { email: user.email, password: 'wrong-password-123' };
    await caught(relais.auth.login(body.email, body.password));
    const limited = await caught(relais.auth.login(body.email, body.password));
    expect(limited).toBeInstanceOf(RelaisRateLimitError);
    expect((limited as RelaisRateLimitError).retryAfter).toBeGreaterThan(0);
  });

  it('connection and timeout failures, with no response', async () => {
    const closed = await new Promise<number>((resolve) => {
      const server = net.createServer();
      server.listen(0, '127.0.0.1', () => {
        const { port } = server.address() as net.AddressInfo;
        server.close(() => resolve(port));
      });
    });
    const refused = await caught(
      createRelaisClient({ baseUrl: `http://127.0.0.1:${closed}`, maxRetries: 0 }).system.health(),
    );
    expect(refused).toBeInstanceOf(RelaisConnectionError);
    expect(refused.status).toBe(0);
    const silent = net.createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = silent.address() as net.AddressInfo;
      const timedOut = await caught(
        createRelaisClient({
          baseUrl: `http://127.0.0.1:${port}`,
          maxRetries: 0,
          timeout: 200,
        }).system.health(),
      );
      expect(timedOut).toBeInstanceOf(RelaisTimeoutError);
      // A call's own timeout wins over the client's.
      const started = performance.now();
      const perCall = await caught(
        createRelaisClient({ baseUrl: `http://127.0.0.1:${port}`, maxRetries: 0 }).system.health({
          timeout: 100,
        }),
      );
      expect(perCall).toBeInstanceOf(RelaisTimeoutError);
      expect(performance.now() - started).toBeLessThan(5_000);
    } finally {
      silent.close();
    }
  });
});

describe('retries that cannot write twice', () => {
  it('a POST whose response is lost, then answered 503, creates exactly one record', async () => {
    const name = `Retried ${Date.now()}`;
    const keys: string[] = [];
    let attempt = 0;
    const faulty: typeof fetch = async (input, init) => {
      attempt += 1;
      const request = new Request(input, init);
      keys.push(request.headers.get('idempotency-key') ?? '');
      if (attempt === 1) {
        await fetch(request); // the server creates the record; its answer is lost on the way back
        throw new TypeError('fetch failed');
      }
      if (attempt === 2) {
        return new Response(JSON.stringify({ type: 'about:blank', title: 'Unavailable', status: 503 }), {
          status: 503,
          headers: { 'content-type': 'application/problem+json', 'retry-after': '0' },
        });
      }
      return fetch(request);
    };
    const relais = createRelaisClient({
      baseUrl: app.url,
      token: manager.token,
      fetch: faulty,
      maxRetries: 3,
    });
    const created = await relais.organisations.create({ name, type: 'client' });
    expect(created.name).toBe(name);
    expect(attempt).toBe(3);
    expect(new Set(keys).size).toBe(1);
    expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(await app.db.knex('organisations').where({ name }).count({ n: '*' })).toEqual([{ n: '1' }]);
  });

  it('waits what Retry-After says before retrying', async () => {
    let attempt = 0;
    const times: number[] = [];
    const busy: typeof fetch = async (input, init) => {
      attempt += 1;
      times.push(performance.now());
      if (attempt === 1) return new Response(null, { status: 503, headers: { 'retry-after': '1' } });
      return fetch(new Request(input, init));
    };
    const relais = createRelaisClient({ baseUrl: app.url, fetch: busy });
    const health = await relais.system.health();
    expect(health.status).toBe('ok');
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(950);
  });

  it('does not retry a PATCH without an Idempotency-Key', async () => {
    let attempts = 0;
    const down: typeof fetch = async () => {
      attempts += 1;
      return new Response(null, { status: 503 });
    };
    const relais = createRelaisClient({ baseUrl: app.url, token: manager.token, fetch: down, maxRetries: 2 });
    const person = await createPerson(app.db.knex);
    await caught(relais.people.update(person.id, { first_name: 'X' }));
    expect(attempts).toBe(1);
  });

  it('asks a token provider again after a 401, once, and goes on', async () => {
    const issued = ['expired-or-revoked', manager.token];
    let asked = 0;
    const relais = createRelaisClient({
      baseUrl: app.url,
      token: async () => issued[Math.min(asked++, 1)]!,
    });
    const me = await relais.me.get();
    expect(me.id).toBe(manager.id);
    expect(asked).toBe(2);
    await relais.me.get();
    expect(asked).toBe(2);
  });
});

describe('auto-pagination', () => {
  it('returns each of 1,000+ people exactly once while people are added during the walk', async () => {
    const tag = `pager${Date.now()}`;
    const rows = Array.from({ length: 1_002 }, (_, index) => ({
      first_name: 'Page',
      last_name: `${tag} ${String(index).padStart(4, '0')}`,
    }));
    const inserted = await app.db.knex('people').insert(rows).returning('id');
    const relais = client(manager.token);
    const seen: string[] = [];
    let pageCount = 0;
    for await (const page of relais.people.list({ q: tag, limit: 100 }).pages()) {
      pageCount += 1;
      seen.push(...page.data.map((person) => person.id));
      await app.db.knex('people').insert({ first_name: 'Late', last_name: `${tag} late ${pageCount}` });
    }
    const original = new Set(inserted.map((row: { id: string }) => row.id));
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.filter((id) => original.has(id)).length).toBe(original.size);
    expect(pageCount).toBeGreaterThanOrEqual(11);
  });

  it('serialises concurrent next() calls: no page skipped or repeated', async () => {
    const tag = `concurrent${Date.now()}`;
    await app.db
      .knex('people')
      .insert(Array.from({ length: 50 }, (_, index) => ({ first_name: 'C', last_name: `${tag} ${index}` })));
    const relais = client(manager.token);
    const iterator = relais.people.list({ q: tag, limit: 10 }).pages()[Symbol.asyncIterator]();
    const results = await Promise.all(Array.from({ length: 6 }, () => iterator.next()));
    const ids = results.flatMap((result) =>
      result.done ? [] : result.value.data.map((person) => person.id),
    );
    expect(ids).toHaveLength(50);
    expect(new Set(ids).size).toBe(50);
    expect(results[5]!.done).toBe(true);
  });

  it('toArray stops at its limit', async () => {
    const relais = client(manager.token);
    const some = await relais.people.list({ limit: 5 }).toArray({ limit: 7 });
    expect(some).toHaveLength(7);
    // The generic walker serves any cursor list, here through the path-based client.
    const raw = await paginate((cursor) =>
      unwrap(relais.raw.GET('/v1/people', { params: { query: { limit: 5, cursor } } })),
    ).toArray({ limit: 7 });
    expect(raw.map((person) => person.id)).toEqual(some.map((person) => person.id));
  });
});
