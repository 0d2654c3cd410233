/**
 * Sentry with the real SDK against a local HTTP endpoint posing as the DSN: a request that fails
 * with a 500 is reported with its request id, the user's id and role, environment and release —
 * and without the email, token, password or body that the request carried.
 */
import { createServer, type Server } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeSentry, flushSentry, initSentry } from '../../server/src/platform/runtime/sentry';
import { startTestApp, type TestApp } from '../helpers/app';
import { createUser, type TestUser } from '../helpers/factories';

const envelopes: string[] = [];
let receiver: Server;
let app: TestApp;
let user: TestUser;

beforeAll(async () => {
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      envelopes.push((req.headers['content-encoding'] === 'gzip' ? gunzipSync(body) : body).toString());
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const { port } = receiver.address() as { port: number };
  initSentry({ dsn: `http://publickey@127.0.0.1:${port}/42`, environment: 'test', release: 'relais@test' });
  app = await startTestApp();
  user = await createUser(app.db.knex, { role: 'manager', email: 'manager.secret@example.com' });
});
afterAll(async () => {
  await closeSentry();
  await app.close();
  receiver.close();
});

/** The events (items of type `event`) in the received envelopes. */
interface ReportedEvent {
  tags: Record<string, string>;
  user: unknown;
  environment: string;
  release: string;
  exception: { values: Array<{ value: string }> };
}

function reportedEvents(): ReportedEvent[] {
  return envelopes.flatMap((envelope) => {
    const lines = envelope.split('\n').filter(Boolean);
    const events: ReportedEvent[] = [];
    for (let index = 1; index + 1 < lines.length; index += 2) {
      if (JSON.parse(lines[index]!).type === 'event') events.push(JSON.parse(lines[index + 1]!));
    }
    return events;
  });
}

describe('error reports', () => {
  it('reports a failed request with who and where, and nothing sensitive', async () => {
    // A genuine server failure: the table the write needs is gone.
    await app.db.knex.raw('ALTER TABLE people RENAME TO people_elsewhere');
    const response = await app.request('POST', '/v1/people', {
      headers: { ...user.auth, 'X-Request-Id': 'sentry-test-request' },
      body: {
        first_name: 'Jeanne',
        last_name: 'Privée',
        email: 'jeanne.privee@example.com',
        phone: '+33 1 23 45 67 89',
      },
      unchecked: true,
    });
    await app.db.knex.raw('ALTER TABLE people_elsewhere RENAME TO people');
    expect(response.status).toBe(500);
    await flushSentry();

    const [event] = reportedEvents();
    expect(event, `envelopes: ${envelopes.length}`).toBeDefined();
    expect(event!.tags).toMatchObject({
      request_id: 'sentry-test-request',
      role: 'manager',
      principal: 'user',
      route: 'POST /v1/people',
    });
    expect(event!.user).toEqual({ id: user.id });
    expect(event!.environment).toBe('test');
    expect(event!.release).toBe('relais@test');
    expect(event!.exception.values[0]!.value).toMatch(/people/);

    const sent = envelopes.join('\n');
    for (const secret of [
      'manager.secret@example.com',
      'jeanne.privee@example.com',
      'Jeanne',
      '+33 1 23 45 67 89',
      user.token,
      'factory-password',
    ]) {
      expect(sent, `leaked ${secret}`).not.toContain(secret);
    }
  });

  it('does not report refused requests', async () => {
    const before = reportedEvents().length;
    const response = await app.request('POST', '/v1/people', { headers: user.auth, body: { first_name: 1 } });
    expect(response.status).toBe(400);
    await flushSentry();
    expect(reportedEvents().length).toBe(before);
  });
});
