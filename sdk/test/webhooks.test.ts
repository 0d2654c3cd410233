/**
 * The SDK's webhook signer against the shared Standard Webhooks vectors, and against the real
 * ingest endpoint, which must accept what it signs.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../tests/helpers/app';
import { createPerson } from '../../tests/helpers/factories';
import { signWebhook } from '../src';

interface Vector {
  id: string;
  kind: string;
  secret: string;
  msg_id?: string;
  timestamp?: number;
  payload?: string;
  expected_signature?: string;
}

const vectors = (
  JSON.parse(
    readFileSync(new URL('../../tests/fixtures/standard-webhooks-vectors.json', import.meta.url), 'utf8'),
  ) as { cases: Vector[] }
).cases;
const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ env: { RELAIS_WEBHOOK_SECRET: SECRET } });
});
afterAll(() => app.close());

describe('signWebhook', () => {
  it.each(vectors.filter((vector) => vector.kind === 'sign').map((vector) => [vector.id, vector] as const))(
    'gives the signature of vector %s',
    async (_id, vector) => {
      const headers = await signWebhook({
        secret: vector.secret,
        id: vector.msg_id!,
        timestamp: vector.timestamp!,
        payload: vector.payload!,
      });
      expect(headers['webhook-signature']).toBe(vector.expected_signature);
    },
  );

  it.each(
    vectors.filter((vector) => vector.kind === 'construct').map((vector) => [vector.id, vector] as const),
  )('refuses the secret of vector %s', async (_id, vector) => {
    await expect(signWebhook({ secret: vector.secret, payload: '{}' })).rejects.toThrow();
  });

  it('signs a delivery the real ingest endpoint accepts, and stores its event once', async () => {
    const person = await createPerson(app.db.knex, { email: `signed-${randomUUID()}@example.com` });
    const payload = JSON.stringify({
      id: randomUUID(),
      type: 'delivered',
      email: person.email,
      occurred_at: new Date().toISOString(),
      message_id: `m-${randomUUID()}`,
    });
    const headers = await signWebhook({ secret: SECRET, payload });
    const send = () =>
      fetch(`${app.url}/v1/marketing/email/ingest`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: payload,
      });
    const first = await send();
    expect(first.status).toBe(200);
    expect(await first.json()).toMatchObject({ received: 1, stored: 1 });
    const again = await send();
    expect(await again.json()).toMatchObject({ received: 1, stored: 0, duplicates: 1 });
    const forged = await fetch(`${app.url}/v1/marketing/email/ingest`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: payload.replace('delivered', 'clicked'),
    });
    expect(forged.status).toBe(401);
  });
});
