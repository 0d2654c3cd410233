/**
 * Standard Webhooks signatures (v1: HMAC-SHA256 over `${id}.${timestamp}.${raw body}`, base64,
 * several space-separated signatures of which any may match, timestamps within 5 minutes either
 * way). Written here rather than taken from the `standardwebhooks` package because Relais verifies
 * against several secrets at once (rotation) and with an injected clock.
 *
 * @see https://github.com/standard-webhooks/standard-webhooks/blob/main/spec/standard-webhooks.md
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const TOLERANCE_SECONDS = 300;

export class WebhookVerificationError extends Error {
  override name = 'WebhookVerificationError';
}

/** The HMAC key of a `whsec_…` secret (the prefix is optional); throws on an empty secret. */
export function secretKey(secret: string): Buffer {
  const key = Buffer.from(secret.trim().replace(/^whsec_/, ''), 'base64');
  if (key.length === 0) throw new Error('A webhook secret must not be empty.');
  return key;
}

/**
 * A signature timestamp (Unix seconds, as text) within the tolerance of `now`, either way; the
 * same window for every signed provider.
 *
 * @throws {WebhookVerificationError} saying whether it is malformed, too old or in the future.
 */
export function assertFresh(timestamp: string, now: Date, name = 'The signature timestamp'): number {
  if (!/^\d+$/.test(timestamp)) throw new WebhookVerificationError(`${name} must be Unix seconds.`);
  const age = Math.floor(now.getTime() / 1000) - Number(timestamp);
  if (age > TOLERANCE_SECONDS)
    throw new WebhookVerificationError(`The delivery is too old (${age} s; at most ${TOLERANCE_SECONDS} s).`);
  if (age < -TOLERANCE_SECONDS)
    throw new WebhookVerificationError(`The delivery's timestamp is ${-age} s in the future.`);
  return Number(timestamp);
}

export function signWebhook(key: Buffer, id: string, timestamp: number, payload: string | Buffer): string {
  const signed = Buffer.concat([
    Buffer.from(`${id}.${timestamp}.`),
    Buffer.isBuffer(payload) ? payload : Buffer.from(payload),
  ]);
  return `v1,${createHmac('sha256', key).update(signed).digest('base64')}`;
}

/**
 * Checks a delivery's headers against its raw body.
 *
 * @throws {WebhookVerificationError} saying what is missing, stale or wrong.
 */
export function verifyWebhook(options: {
  keys: Buffer[];
  headers: Record<string, string | string[] | undefined>;
  payload: Buffer | string;
  now: Date;
}): { id: string; timestamp: number } {
  const header = (name: string) => {
    const entry = Object.entries(options.headers).find(([key]) => key.toLowerCase() === name);
    const value = Array.isArray(entry?.[1]) ? entry?.[1][0] : entry?.[1];
    return value?.trim() || undefined;
  };
  const id = header('webhook-id');
  const timestampText = header('webhook-timestamp');
  const signatures = header('webhook-signature');
  if (!id || !timestampText || !signatures) {
    throw new WebhookVerificationError(
      'The webhook-id, webhook-timestamp and webhook-signature headers are required.',
    );
  }
  const timestamp = assertFresh(timestampText, options.now, 'webhook-timestamp');

  const offered = signatures
    .split(' ')
    .map((entry) => entry.split(','))
    .filter(([version, value]) => version === 'v1' && value)
    .map(([, value]) => Buffer.from(value!, 'base64'));
  for (const key of options.keys) {
    const expected = Buffer.from(signWebhook(key, id, timestamp, options.payload).slice(3), 'base64');
    if (
      offered.some(
        (signature) => signature.length === expected.length && timingSafeEqual(signature, expected),
      )
    ) {
      return { id, timestamp };
    }
  }
  throw new WebhookVerificationError('No signature matches this delivery.');
}
