/**
 * Operations by name against a real in-process server (and, for the restart, a real server
 * process): results typed from the spec, list pages awaitable and iterable, the raw response on
 * demand, sign-in, embed tokens, and events followed across a server restart.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startTestApp, TEST_JWT_SECRET, type TestApp } from '../../tests/helpers/app';
import { createTestDatabase } from '../../tests/helpers/database';
import { createPerson, createUser, FACTORY_PASSWORD, type TestUser } from '../../tests/helpers/factories';
import { startServerProcess } from '../../tests/helpers/processes';
import { freePort } from '../../tests/helpers/redis-server';
import { createRelaisClient, type RealtimeEvent, RelaisAuthenticationError } from '../src';
import { operationTable } from '../src/generated/operations';

let app: TestApp;
let manager: TestUser;
beforeAll(async () => {
  app = await startTestApp({ env: { CORS_ORIGINS: 'https://intranet.example.com' } });
  manager = await createUser(app.db.knex, { role: 'manager' });
});
afterAll(() => app.close());

describe('operations by name', () => {
  it('covers the spec: every named operation exists on the client as group.method', () => {
    const relais = createRelaisClient({ baseUrl: app.url });
    const names = Object.keys(operationTable);
    expect(names.length).toBeGreaterThanOrEqual(55);
    for (const name of names) {
      const [group, member] = name.split('.') as [string, string];
      expect(typeof (relais as unknown as Record<string, Record<string, unknown>>)[group]?.[member]).toBe(
        'function',
      );
    }
  });

  it('creates, reads, updates with If-Match and deletes a person, with the raw response on demand', async () => {
    const relais = createRelaisClient({ baseUrl: app.url, token: manager.token });
    const created = await relais.people.create({
      first_name: 'Anne',
      last_name: 'Dupré',
      email: 'a@dupre.fr',
    });
    expect(created.last_name).toBe('Dupré');
    const { data, response, requestId } = await relais.people.get(created.id).withResponse();
    expect(data.id).toBe(created.id);
    expect(requestId).toBe(response.headers.get('x-request-id'));
    const etag = response.headers.get('etag') ?? '';
    const updated = await relais.people.update(created.id, { job_title: 'CFO' }, { ifMatch: etag });
    expect(updated.job_title).toBe('CFO');
    await relais.people.delete(created.id, { archive: true });
    const archived = await relais.people.get(created.id);
    expect(archived.archived_at).not.toBeNull();
  });

  it('awaits a list for its first page and iterates it without fetching that page twice', async () => {
    const tag = `byname${Date.now()}`;
    await app.db
      .knex('people')
      .insert(Array.from({ length: 12 }, (_, index) => ({ first_name: 'N', last_name: `${tag} ${index}` })));
    const requests: string[] = [];
    const counting: typeof fetch = (input, init) => {
      requests.push(new Request(input, init).url);
      return fetch(input, init);
    };
    const relais = createRelaisClient({ baseUrl: app.url, token: manager.token, fetch: counting });
    const list = relais.people.list({ q: tag, limit: 5 });
    const first = await list;
    expect(first.data).toHaveLength(5);
    expect(first.next_cursor).toEqual(expect.any(String));
    const all: string[] = [];
    for await (const person of list) all.push(person.last_name);
    expect(all).toHaveLength(12);
    expect(requests).toHaveLength(3);
    expect(requests.filter((url) => !url.includes('cursor='))).toHaveLength(1);
  });

  it('sends a CSV file to imports.create with its query, and reads the progress and errors', async () => {
    const relais = createRelaisClient({ baseUrl: app.url, token: manager.token });
    const file = new Blob(['Prénom;Nom;E-mail\nZoé;Sdk;zoe@sdk.fr\nLéa;Sdk;pas-un-email\n'], {
      type: 'text/csv',
    });
    const queued = await relais.imports.create(file, { resource: 'people', dry_run: true });
    expect(queued).toMatchObject({ resource: 'people', status: 'queued', dry_run: true });
    const { runPendingImports } = await import('../../server/src/imports/import-runs');
    const { OpenApiValidator } = await import('../../server/src/platform/web/openapi');
    await runPendingImports(app.services, { validator: new OpenApiValidator(), staleAfterMs: 60_000 });
    const done = await relais.imports.get(queued.id);
    expect(done).toMatchObject({ status: 'succeeded', rows: 2, created: 1, errors: 1 });
    expect(await relais.imports.errors(queued.id)).toBe(
      'row,column,reason\n3,E-mail,must be an email address\n',
    );
    const pages = await relais.imports.list({ status: 'succeeded' }).toArray({ limit: 100 });
    expect(pages.map((item) => item.id)).toContain(queued.id);
  });

  it('signs in with auth.login and then sends the token it received', async () => {
    const relais = createRelaisClient({ baseUrl: app.url });
    await expect(relais.me.get()).rejects.toBeInstanceOf(RelaisAuthenticationError);
    const session = await relais.auth.login(manager.email, FACTORY_PASSWORD);
    expect(session.user.id).toBe(manager.id);
    expect((await relais.me.get()).id).toBe(manager.id);
  });

  it('mints an embed token for a widget and reads with it', async () => {
    const person = await createPerson(app.db.knex, { owner_id: manager.id });
    const server = createRelaisClient({ baseUrl: app.url, token: manager.token });
    const embed = await server.embedTokens.create({
      widgets: ['timeline'],
      subject: { type: 'person', id: person.id },
      origins: ['https://intranet.example.com'],
    });
    const widget = createRelaisClient({
      baseUrl: app.url,
      token: embed.token,
      headers: { Origin: 'https://intranet.example.com' },
    });
    const timeline = await widget.people.timeline(person.id);
    expect(timeline.data).toEqual([]);
    expect((await widget.embedTokens.current()).subject).toEqual({ type: 'person', id: person.id });
  });

  it('follows events as an async iterable, filtered by type; break closes the stream', async () => {
    const relais = createRelaisClient({ baseUrl: app.url, token: manager.token });
    const stream = relais.events.subscribe({ types: ['interaction.created'] });
    const titles: string[] = [];
    const reading = (async () => {
      for await (const event of stream) {
        titles.push(String(event.data.title));
        if (titles.length === 2) break;
      }
    })();
    await expect
      .poll(async () => {
        await relais.interactions.create({ type: 'note', title: `note ${titles.length}` });
        return titles.length;
      })
      .toBe(2);
    await reading;
    expect(stream.lastEventId).toMatch(/^\d+-\d+$/);
  });
});

const redisUrl = inject('redisUrl');

describe.skipIf(!redisUrl)('events across a server restart', () => {
  it('resumes from the last event: nothing lost, nothing repeated', async () => {
    const db = await createTestDatabase();
    const port = await freePort();
    const env = {
      DATABASE_URL: db.url,
      REDIS_URL: redisUrl!,
      REDIS_PREFIX: `relais-sdk-restart-${process.pid}`,
      JWT_SECRET: TEST_JWT_SECRET,
      HOST: '127.0.0.1',
      PORT: String(port),
      LOG_LEVEL: 'warn',
    };
    const user = await createUser(db.knex, { role: 'manager' });
    let server = startServerProcess(['api'], env);
    const relais = createRelaisClient({
      baseUrl: `http://127.0.0.1:${port}`,
      token: user.token,
      maxRetries: 5,
    });
    const received: RealtimeEvent[] = [];
    const stream = relais.events.subscribe({ onEvent: (event) => received.push(event) });
    try {
      await server.waitForOutput(/Relais is running/);
      const titles = ['before 1', 'before 2', 'after 1', 'after 2'];
      await expect
        .poll(
          async () => {
            if (!received.length) await relais.interactions.create({ type: 'note', title: 'warm-up' });
            return received.length > 0;
          },
          { timeout: 30_000, interval: 500 },
        )
        .toBe(true);
      for (const title of titles.slice(0, 2)) await relais.interactions.create({ type: 'note', title });
      await expect
        .poll(() => received.filter((e) => String(e.data.title).startsWith('before')).length)
        .toBe(2);
      server.child.kill('SIGTERM');
      await server.exited;
      server = startServerProcess(['api'], env);
      await server.waitForOutput(/Relais is running/);
      for (const title of titles.slice(2)) await relais.interactions.create({ type: 'note', title });
      await expect
        .poll(
          () => received.filter((e) => e.type === 'interaction.created').map((e) => String(e.data.title)),
          {
            timeout: 20_000,
          },
        )
        .toEqual(expect.arrayContaining(titles));
      const ids = received.map((event) => event.id);
      expect(new Set(ids).size).toBe(ids.length);
      const created = received
        .filter((e) => e.type === 'interaction.created')
        .map((e) => String(e.data.title));
      expect(created.filter((title) => titles.includes(title))).toEqual(titles);
    } finally {
      stream.close();
      server.child.kill('SIGTERM');
      await server.exited;
      await db.drop();
    }
  });
});
