/**
 * `GET /metrics`: Prometheus text with HTTP latency by route template, webhook events by provider,
 * type and outcome, cache reads and open realtime connections.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app';
import { createPerson, createUser, type TestUser } from '../helpers/factories';
import { openEventStream } from '../helpers/realtime';
import { postSignedEvents } from '../helpers/webhooks';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
let app: TestApp;
let user: TestUser;
beforeAll(async () => {
  app = await startTestApp({ env: { RELAIS_WEBHOOK_SECRET: SECRET } });
  user = await createUser(app.db.knex, { role: 'manager' });
});
afterAll(() => app.close());

const metrics = async () => {
  const response = await app.request('GET', '/metrics');
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
  return response.text;
};
/** The value of the sample line of `name` with all these labels (`a="1",b="2"`, any order), or 0. */
const sample = (text: string, name: string, labels: string) => {
  const wanted = labels.split(',');
  const line = text
    .split('\n')
    .find(
      (candidate) => candidate.startsWith(`${name}{`) && wanted.every((label) => candidate.includes(label)),
    );
  return line ? Number(line.split(' ').pop()) : 0;
};

describe('GET /metrics', () => {
  it('times requests under their route template, not their URL', async () => {
    const person = await createPerson(app.db.knex);
    await app.request('GET', `/v1/people/${person.id}`, { headers: user.auth });
    const text = await metrics();
    expect(
      sample(text, 'relais_http_request_duration_seconds_count', 'route="/v1/people/{id}",status="200"'),
    ).toBeGreaterThanOrEqual(1);
    expect(text).not.toContain(person.id);
    expect(
      sample(text, 'relais_cache_requests_total', 'prefix="person",result="miss"'),
    ).toBeGreaterThanOrEqual(1);
  });

  it('counts webhook events by provider, type and outcome', async () => {
    const before = await metrics();
    const body = [
      {
        id: randomUUID(),
        type: 'clicked',
        email: 'x@example.com',
        occurred_at: new Date().toISOString(),
        message_id: 'm-1',
      },
    ];
    expect((await postSignedEvents(app, body, { secret: SECRET, now: new Date() })).status).toBe(200);
    expect((await postSignedEvents(app, body, { secret: SECRET, now: new Date() })).status).toBe(200);
    const after = await metrics();
    const labels = (outcome: string) => `outcome="${outcome}",provider="generic",type="clicked"`;
    const delta = (outcome: string) =>
      sample(after, 'relais_webhook_events_total', labels(outcome)) -
      sample(before, 'relais_webhook_events_total', labels(outcome));
    expect(delta('stored')).toBe(1);
    expect(delta('duplicate')).toBe(1);
    expect(
      sample(after, 'relais_webhook_deliveries_total', 'provider="standard-webhooks",status="200"') -
        sample(before, 'relais_webhook_deliveries_total', 'provider="standard-webhooks",status="200"'),
    ).toBe(2);
  });

  it('gauges open realtime connections', async () => {
    const before = sample(await metrics(), 'relais_realtime_connections', 'transport="sse"');
    const stream = await openEventStream(app.url, { headers: user.auth });
    await expect
      .poll(async () => sample(await metrics(), 'relais_realtime_connections', 'transport="sse"'))
      .toBe(before + 1);
    stream.close();
    await expect
      .poll(async () => sample(await metrics(), 'relais_realtime_connections', 'transport="sse"'))
      .toBe(before);
  });
});
