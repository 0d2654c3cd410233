/**
 * Realtime events in one process (no Redis): SSE and WebSocket, who receives what, resuming with
 * Last-Event-ID, keep-alives, and closing on shutdown. The two-process path through Redis is in
 * tests/integration/realtime-redis.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app';
import { createApiKey, createPerson, createUser, embedTokenFor, type TestUser } from '../helpers/factories';
import { openEventSocket, openEventStream, type ReceivedEvent } from '../helpers/realtime';

const INTRANET = 'https://intranet.example.com';
let app: TestApp;
let alice: TestUser;
let bob: TestUser;
let carol: TestUser;

beforeAll(async () => {
  app = await startTestApp({ env: { CORS_ORIGINS: INTRANET, REALTIME_HEARTBEAT_SECONDS: '1' } });
  [alice, bob, carol] = await Promise.all([
    createUser(app.db.knex, { role: 'user', name: 'Alice' }),
    createUser(app.db.knex, { role: 'manager', name: 'Bob' }),
    createUser(app.db.knex, { role: 'user', name: 'Carol' }),
  ]);
});
afterAll(() => app.close());

const createInteraction = async (by: TestUser, body: Record<string, unknown>) => {
  const response = await app.request('POST', '/v1/interactions', {
    headers: by.auth,
    body: { type: 'call', title: 'Call', ...body },
  });
  expect(response.status, response.text).toBe(201);
  return response.body as { id: string };
};
const about = (id: string) => (event: ReceivedEvent) =>
  event.data.id === id || event.data.interaction_id === id;
const settle = () => new Promise((resolve) => setTimeout(resolve, 300));

describe('GET /v1/events', () => {
  it('sends a notification to its recipient only, and an interaction to every reader', async () => {
    const [aliceStream, carolStream] = await Promise.all([
      openEventStream(app.url, { headers: alice.auth }),
      openEventStream(app.url, { headers: carol.auth }),
    ]);
    try {
      expect(aliceStream.status).toBe(200);
      expect(aliceStream.headers.get('content-type')).toMatch(/^text\/event-stream/);
      const created = await createInteraction(bob, { assignee_id: alice.id });

      const notification = await aliceStream.waitFor((event) => event.type === 'notification.created');
      expect(notification.data).toMatchObject({ user_id: alice.id, type: 'interaction.assigned' });
      expect(notification.id).toMatch(/^\d+-\d+$/);
      const interaction = await carolStream.waitFor((event) => event.type === 'interaction.created');
      expect(interaction.data).toMatchObject({ id: created.id, assignee_id: alice.id, title: 'Call' });
      await settle();
      expect(carolStream.events.filter((event) => event.type === 'notification.created')).toEqual([]);
    } finally {
      aliceStream.close();
      carolStream.close();
    }
  });

  it('publishes nothing for a refused change', async () => {
    const stream = await openEventStream(app.url, { headers: carol.auth });
    try {
      const refused = await app.request('POST', '/v1/interactions', {
        headers: bob.auth,
        body: {
          type: 'call',
          title: 'Rolled back',
          assignee_id: alice.id,
          participants: [{ person_id: '00000000-0000-4000-8000-000000000000' }],
        },
      });
      expect(refused.status).toBe(400);
      await createInteraction(bob, { title: 'Marker' });
      await stream.waitFor((event) => event.data.title === 'Marker');
      expect(stream.events.some((event) => event.data.title === 'Rolled back')).toBe(false);
    } finally {
      stream.close();
    }
  });

  it('gives API keys the events of their scopes, and no user’s notifications', async () => {
    const reader = await createApiKey(app.db.knex, bob, ['interactions:read', 'notifications:read']);
    const other = await createApiKey(app.db.knex, bob, ['people:read']);
    const [readerStream, otherStream] = await Promise.all([
      openEventStream(app.url, { headers: reader.headers }),
      openEventStream(app.url, { headers: other.headers }),
    ]);
    try {
      const created = await createInteraction(bob, { assignee_id: alice.id });
      await readerStream.waitFor(about(created.id));
      await settle();
      expect(readerStream.events.map((event) => event.type)).toEqual(['interaction.created']);
      expect(otherStream.events).toEqual([]);
    } finally {
      readerStream.close();
      otherStream.close();
    }
  });

  it('gives an embed token (token in the query) only its subject’s events', async () => {
    const [mine, theirs] = await Promise.all([createPerson(app.db.knex), createPerson(app.db.knex)]);
    const token = embedTokenFor(alice, {
      widgets: ['timeline'],
      subject: { type: 'person', id: mine.id },
      origins: [INTRANET],
    });
    const stream = await openEventStream(app.url, {
      headers: { Origin: INTRANET },
      query: `?access_token=${token}`,
    });
    try {
      expect(stream.status).toBe(200);
      const other = await createInteraction(bob, { participants: [{ person_id: theirs.id }] });
      const ours = await createInteraction(bob, { participants: [{ person_id: mine.id }] });
      await stream.waitFor(about(ours.id));
      await settle();
      expect(stream.events.map((event) => event.data.id)).toEqual([ours.id]);
      expect(stream.events.some(about(other.id))).toBe(false);
    } finally {
      stream.close();
    }
  });

  it('refuses a query token on any other operation, and an embed token from another origin', async () => {
    const refused = await app.request('GET', `/v1/people?access_token=${alice.token}`);
    expect(refused.status).toBe(401);
    const token = embedTokenFor(alice, {
      widgets: ['timeline'],
      subject: { type: 'person', id: (await createPerson(app.db.knex)).id },
      origins: [INTRANET],
    });
    const stream = await openEventStream(app.url, {
      headers: { Origin: 'https://elsewhere.example.com' },
      query: `?access_token=${token}`,
    });
    expect(stream.status).toBe(403);
    const anonymous = await openEventStream(app.url);
    expect(anonymous.status).toBe(401);
  });

  it('resumes after Last-Event-ID with the missed events in order, then live ones', async () => {
    const first = await openEventStream(app.url, { headers: carol.auth });
    const one = await createInteraction(bob, { title: 'one' });
    const seen = await first.waitFor(about(one.id));
    first.close();
    const two = await createInteraction(bob, { title: 'two' });
    const three = await createInteraction(bob, { title: 'three' });

    const resumed = await openEventStream(app.url, { headers: { ...carol.auth, 'Last-Event-ID': seen.id } });
    try {
      await resumed.waitFor(about(three.id));
      const four = await createInteraction(bob, { title: 'four' });
      await resumed.waitFor(about(four.id));
      expect(resumed.events.map((event) => event.data.title)).toEqual(['two', 'three', 'four']);
      expect(resumed.events.some(about(two.id))).toBe(true);
    } finally {
      resumed.close();
    }
  });

  it('tells a client resuming from before what is kept to resynchronise', async () => {
    const stream = await openEventStream(app.url, { headers: { ...carol.auth, 'Last-Event-ID': '1-0' } });
    try {
      const first = await stream.waitFor(() => true);
      expect(first.type).toBe('sync.required');
    } finally {
      stream.close();
    }
  });

  it('answers a malformed Last-Event-ID with a problem naming it', async () => {
    const response = await app.request('GET', '/v1/events', {
      headers: { ...carol.auth, 'Last-Event-ID': 'yesterday' },
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/problem\+json/);
    expect(response.body.errors[0]).toMatchObject({ in: 'header', field: 'last-event-id' });
  });

  it('sends keep-alive comments', async () => {
    const stream = await openEventStream(app.url, { headers: carol.auth });
    try {
      await new Promise((resolve) => setTimeout(resolve, 2_300));
      // The opening comment, then one a second.
      expect(stream.comments).toBeGreaterThanOrEqual(3);
    } finally {
      stream.close();
    }
  });
});

describe('GET /v1/ws', () => {
  it('carries the same events, filtered the same way', async () => {
    const [aliceSocket, carolSocket] = await Promise.all([
      openEventSocket(app.url, { headers: alice.auth }),
      openEventSocket(app.url, { query: `?access_token=${carol.token}` }),
    ]);
    try {
      const created = await createInteraction(bob, { assignee_id: alice.id });
      const notification = await aliceSocket.waitFor((event) => event.type === 'notification.created');
      expect(notification.data).toMatchObject({ user_id: alice.id });
      await carolSocket.waitFor(about(created.id));
      await settle();
      expect(carolSocket.events.some((event) => event.type === 'notification.created')).toBe(false);
    } finally {
      aliceSocket.close();
      carolSocket.close();
    }
  });

  it('resumes from last_event_id', async () => {
    const one = await createInteraction(bob, { title: 'ws one' });
    const socket = await openEventSocket(app.url, { headers: carol.auth });
    const two = await createInteraction(bob, { title: 'ws two' });
    const seen = await socket.waitFor(about(two.id));
    socket.close();
    const three = await createInteraction(bob, { title: 'ws three' });
    const resumed = await openEventSocket(app.url, {
      headers: carol.auth,
      query: `?last_event_id=${seen.id}`,
    });
    try {
      await resumed.waitFor(about(three.id));
      expect(resumed.events.map((event) => event.data.title)).toEqual(['ws three']);
      expect(resumed.events.some(about(one.id))).toBe(false);
    } finally {
      resumed.close();
    }
  });

  it('refuses an unauthenticated upgrade with a 401 problem, and a plain GET with 426', async () => {
    const refused = await openEventSocket(app.url).catch((error: { status: number; body: string }) => error);
    expect(refused).toMatchObject({ status: 401 });
    expect(JSON.parse((refused as { body: string }).body)).toMatchObject({ status: 401 });
    const plain = await app.request('GET', '/v1/ws', { headers: carol.auth });
    expect(plain.status).toBe(426);
    expect(plain.headers.get('upgrade')).toBe('websocket');
  });

  it('answers pings and closes with 1001 when the server shuts down', async () => {
    const own = await startTestApp({ db: app.db, env: { REALTIME_HEARTBEAT_SECONDS: '1' } });
    const socket = await openEventSocket(own.url, { headers: carol.auth });
    const stream = await openEventStream(own.url, { headers: carol.auth });
    let pings = 0;
    socket.socket.on('ping', () => {
      pings += 1;
    });
    await new Promise((resolve) => setTimeout(resolve, 1_300));
    const closed = new Promise<number>((resolve) => socket.socket.once('close', (code) => resolve(code)));
    await own.close();
    expect(await closed).toBe(1001);
    await stream.ended;
    expect(pings).toBeGreaterThanOrEqual(1);
  });
});
