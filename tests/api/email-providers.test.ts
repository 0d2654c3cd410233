/**
 * Provider endpoints end to end: each provider's own authentication, its samples stored as
 * normalised events, Mailgun token replays refused, Mailjet ids kept digit for digit.
 */
import { createHmac, generateKeyPairSync, sign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app';
import { createPerson } from '../helpers/factories';

const NOW = new Date('2026-03-02T12:00:00Z');
const nowSeconds = String(Math.floor(NOW.getTime() / 1000));
const MAILGUN_KEY = 'mailgun-signing-key-0123456789';
const CREDENTIAL = 'relais:webhook-password-0123';
const sendgridKeys = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({
    clock: () => NOW,
    env: {
      RELAIS_SENDGRID_PUBLIC_KEY: sendgridKeys.publicKey
        .export({ format: 'der', type: 'spki' })
        .toString('base64'),
      RELAIS_MAILGUN_SIGNING_KEY: MAILGUN_KEY,
      RELAIS_BREVO_CREDENTIAL: CREDENTIAL,
      RELAIS_POSTMARK_CREDENTIAL: CREDENTIAL,
      RELAIS_MAILJET_CREDENTIAL: CREDENTIAL,
    },
  });
});
afterAll(() => app.close());

const sample = (file: string) => readFileSync(new URL(`../fixtures/esp/${file}`, import.meta.url), 'utf8');
const basic = (credential: string) => ({
  authorization: `Basic ${Buffer.from(credential).toString('base64')}`,
});

function postRaw(provider: string, payload: string, headers: Record<string, string>, query = '') {
  return app.request('POST', `/v1/marketing/email/ingest/${provider}${query}`, {
    rawBody: payload,
    headers: { 'content-type': 'application/json', ...headers },
  });
}

function sendgridHeaders(payload: string, timestamp = nowSeconds) {
  const signature = sign('sha256', Buffer.from(timestamp + payload), {
    key: sendgridKeys.privateKey,
    dsaEncoding: 'der',
  }).toString('base64');
  return {
    'x-twilio-email-event-webhook-signature': signature,
    'x-twilio-email-event-webhook-timestamp': timestamp,
  };
}

function mailgunBody(eventData: object, token: string, timestamp = nowSeconds) {
  const signature = createHmac('sha256', MAILGUN_KEY)
    .update(timestamp + token)
    .digest('hex');
  return JSON.stringify({ signature: { timestamp, token, signature }, 'event-data': eventData });
}

describe('SendGrid', () => {
  it('stores a signed batch and dedupes its repeated event ids', async () => {
    const payload = sample('sendgrid-batch-all-events.json');
    const response = await postRaw('sendgrid', payload, sendgridHeaders(payload));
    expect(response.status, response.text).toBe(200);
    // The documented batch reuses one placeholder sg_event_id for all eleven events.
    expect(response.body).toEqual({ received: 11, stored: 1, duplicates: 10 });
    const single = sample('sendgrid-click.json');
    expect((await postRaw('sendgrid', single, sendgridHeaders(single))).body).toEqual({
      received: 1,
      stored: 1,
      duplicates: 0,
    });
  });

  it('refuses an unsigned, tampered or stale delivery', async () => {
    const payload = sample('sendgrid-open.json');
    expect((await postRaw('sendgrid', payload, {})).status).toBe(401);
    const tampered = await postRaw(
      'sendgrid',
      payload.replace('example@test.com', 'other@test.com'),
      sendgridHeaders(payload),
    );
    expect(tampered.status).toBe(401);
    expect(tampered.body.detail).toMatch(/SendGrid signature/);
    const old = String(Number(nowSeconds) - 600);
    const stale = await postRaw('sendgrid', payload, sendgridHeaders(payload, old));
    expect(stale.status).toBe(401);
    expect(stale.body.detail).toMatch(/too old/);
  });
});

describe('Mailgun', () => {
  it('accepts a signed event once and refuses the same token again', async () => {
    const person = await createPerson(app.db.knex, { email: 'recipient@example.com' });
    const eventData = JSON.parse(sample('mailgun-opened.json'));
    const body = mailgunBody(eventData, 'token-0001');
    const first = await postRaw('mailgun', body, {});
    expect(first.status, first.text).toBe(200);
    expect(first.body.stored).toBe(1);
    const replay = await postRaw('mailgun', body, {});
    expect(replay.status).toBe(401);
    expect(replay.body.detail).toMatch(/replay/);
    const stored = await app.db
      .knex('email_events')
      .where({ provider: 'mailgun', dedupe_key: eventData.id })
      .first();
    expect(stored).toMatchObject({ type: 'opened', person_id: person.id });
  });

  it('refuses a wrong signature and a missing signature block', async () => {
    const eventData = JSON.parse(sample('mailgun-clicked.json'));
    const forged = JSON.parse(mailgunBody(eventData, 'token-0002'));
    forged.signature.signature = 'ab'.repeat(32);
    expect((await postRaw('mailgun', JSON.stringify(forged), {})).status).toBe(401);
    const missing = await postRaw('mailgun', JSON.stringify({ 'event-data': eventData }), {});
    expect(missing.status).toBe(400);
    expect(missing.body.errors[0].field).toBe('signature');
  });
});

describe('Brevo, Postmark and Mailjet credentials', () => {
  it.each([
    ['brevo', 'brevo-transactional-unique_opened.live.json'],
    ['postmark', 'postmark-open.json'],
    ['mailjet', 'mailjet-open.json'],
  ])('%s: basic auth or ?token= accepted, anything else refused', async (provider, file) => {
    const payload = sample(file);
    expect((await postRaw(provider, payload, basic(CREDENTIAL))).status).toBe(200);
    const byToken = await postRaw(provider, payload, {}, `?token=${encodeURIComponent(CREDENTIAL)}`);
    expect(byToken.body).toEqual({ received: 1, stored: 0, duplicates: 1 });
    const wrong = await postRaw(provider, payload, basic('relais:wrong-password-000'));
    expect(wrong.status).toBe(401);
    expect(wrong.body.detail).toMatch(/credential is wrong/);
    expect((await postRaw(provider, payload, {})).status).toBe(401);
  });

  it('keeps Mailjet message ids beyond 2^53 exact in the row and the raw event', async () => {
    const payload = sample('mailjet-batch-sent.json');
    expect((await postRaw('mailjet', payload, basic(CREDENTIAL))).body.stored).toBe(2);
    const rows = await app.db
      .knex('email_events')
      .where({ provider: 'mailjet', type: 'sent' })
      .orderBy('message_id')
      .select('message_id', app.db.knex.raw("raw->>'MessageID' AS raw_id"));
    expect(rows).toEqual([
      { message_id: '19421777835146490', raw_id: '19421777835146490' },
      { message_id: '19421777835146491', raw_id: '19421777835146491' },
    ]);
  });

  it('says which provider is not configured', async () => {
    const bare = await startTestApp({ db: app.db });
    try {
      const response = await bare.request('POST', '/v1/marketing/email/ingest/postmark', {
        rawBody: sample('postmark-open.json'),
        headers: { 'content-type': 'application/json', ...basic(CREDENTIAL) },
      });
      expect(response.status).toBe(401);
      expect(response.body.detail).toMatch(/RELAIS_POSTMARK_CREDENTIAL/);
    } finally {
      await bare.close();
    }
  });
});

describe('every provider sample through its endpoint', () => {
  const samples = {
    brevo: [
      'brevo-transactional-click.live.json',
      'brevo-marketing-spam.doc.json',
      'brevo-transactional-proxy_open.json',
    ],
    postmark: [
      'postmark-bounce.json',
      'postmark-delivery.json',
      'postmark-subscriptionchange-unsubscribe.json',
    ],
    mailjet: ['mailjet-click.json', 'mailjet-bounce.json', 'mailjet-unsub.json'],
  };
  it.each(Object.entries(samples))('%s', async (provider, files) => {
    for (const file of files) {
      const response = await postRaw(provider, sample(file), basic(CREDENTIAL));
      expect(response.status, `${file}: ${response.text}`).toBe(200);
      expect(response.body.received).toBe(1);
    }
  });

  it('answers a body that is not JSON with a 400, and an unknown provider with a 400 naming it', async () => {
    const broken = await postRaw('brevo', '{"event": ', basic(CREDENTIAL));
    expect(broken.status).toBe(400);
    const unknown = await postRaw('mandrill', '{}', {});
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors[0].field).toBe('provider');
  });
});
