/** Posting Standard-Webhooks-signed deliveries to the generic ingest endpoint, as a sender would. */
import { randomUUID } from 'node:crypto';
import { secretKey, signWebhook } from '../../server/src/marketing/standard-webhooks';
import type { TestApp } from './app';

export function postSignedEvents(
  app: TestApp,
  body: unknown,
  options: { secret: string; now: Date; timestamp?: number; headers?: Record<string, string> },
) {
  const payload = JSON.stringify(body);
  const id = `msg_${randomUUID()}`;
  const timestamp = options.timestamp ?? Math.floor(options.now.getTime() / 1000);
  return app.request('POST', '/v1/marketing/email/ingest', {
    rawBody: payload,
    headers: {
      'content-type': 'application/json',
      'webhook-id': id,
      'webhook-timestamp': String(timestamp),
      'webhook-signature': signWebhook(secretKey(options.secret), id, timestamp, payload),
      ...options.headers,
    },
  });
}
