import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../tests/helpers/app';
import { createRelaisClient, subscribeToEvents } from '../src';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

describe('createRelaisClient', () => {
  it('calls /health on a real server with types from the spec', async () => {
    const relais = createRelaisClient({ baseUrl: app.url });
    const { data, error, response } = await relais.raw.GET('/health');
    expect(error).toBeUndefined();
    expect(response.headers.get('x-request-id')).toBeTruthy();
    const status: 'ok' | undefined = data?.status;
    expect(status).toBe('ok');
  });

  it('returns the problem document as a typed error', async () => {
    const relais = createRelaisClient({ baseUrl: app.url });
    const { data, error } = await relais.raw.GET('/ready', { params: { query: { verbose: 1 } as never } });
    expect(data).toBeUndefined();
    expect(error).toMatchObject({ status: 400, errors: [{ in: 'query', field: 'verbose' }] });
  });
});

describe('subscribeToEvents', () => {
  it('receives events with the token in a header, resumes from lastEventId, stops on a refused token', async () => {
    const own = await startTestApp();
    const { createUser } = await import('../../tests/helpers/factories');
    const [reader, writer] = await Promise.all([
      createUser(own.db.knex, { role: 'user' }),
      createUser(own.db.knex, { role: 'manager' }),
    ]);
    const received: string[] = [];
    const errors: Error[] = [];
    const create = (title: string) =>
      own.request('POST', '/v1/interactions', { headers: writer.auth, body: { type: 'note', title } });
    const subscription = subscribeToEvents({
      baseUrl: own.url,
      token: reader.token,
      onEvent: (event) => received.push(String(event.data.title)),
      onError: (error) => errors.push(error),
    });
    try {
      await expect
        .poll(async () => (await create('first')).status === 201 && received.includes('first'))
        .toBe(true);
      expect(subscription.lastEventId).toMatch(/^\d+-\d+$/);
      // Let every 'first' the poll created arrive before leaving.
      await new Promise((resolve) => setTimeout(resolve, 300));
      subscription.close();
      expect((await create('missed')).status).toBe(201);
      const resumed: string[] = [];
      const again = subscribeToEvents({
        baseUrl: own.url,
        token: reader.token,
        lastEventId: subscription.lastEventId,
        onEvent: (event) => resumed.push(String(event.data.title)),
      });
      await expect.poll(() => resumed).toEqual(['missed']);
      again.close();
      expect(errors).toEqual([]);
    } finally {
      subscription.close();
      await own.close();
    }
    const refused = await new Promise<Error>((resolve) => {
      subscribeToEvents({
        baseUrl: app.url,
        token: 'not-a-token',
        onEvent: () => undefined,
        onError: resolve,
      });
    });
    expect(refused.message).toMatch(/401/);
  });

  it('asks a token provider again when the stream is refused with a 401, then follows it', async () => {
    const { createUser } = await import('../../tests/helpers/factories');
    const reader = await createUser(app.db.knex, { role: 'manager' });
    let asked = 0;
    const received: string[] = [];
    const subscription = subscribeToEvents({
      baseUrl: app.url,
      token: async () => (asked++ === 0 ? 'expired-token' : reader.token),
      onEvent: (event) => received.push(String(event.data.title)),
    });
    try {
      await expect
        .poll(
          async () =>
            (
              await app.request('POST', '/v1/interactions', {
                headers: reader.auth,
                body: { type: 'note', title: 'after refresh' },
              })
            ).status === 201 && received.includes('after refresh'),
        )
        .toBe(true);
      expect(asked).toBe(2);
    } finally {
      subscription.close();
    }
  });
});
