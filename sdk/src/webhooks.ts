/**
 * Signing email events for `POST /v1/marketing/email/ingest`, as a sender (an internal mailing
 * tool) does: Standard Webhooks v1, HMAC-SHA256 over `id.timestamp.payload` with the base64 secret
 * after `whsec_`. Web Crypto only, so it runs in Node ≥ 20 and in browsers alike.
 *
 * @see https://github.com/standard-webhooks/standard-webhooks/blob/main/spec/standard-webhooks.md
 */

export interface WebhookToSign {
  /** The shared secret, `whsec_` + base64 (as `RELAIS_WEBHOOK_SECRET` holds it). */
  secret: string;
  /** A unique id for this delivery; the same on its redeliveries. Default: a new `msg_…` id. */
  id?: string;
  /** Unix seconds; default: now. Relais accepts deliveries within 5 minutes of its clock. */
  timestamp?: number;
  /** The exact body that will be sent. */
  payload: string;
}

export interface SignedWebhookHeaders {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
}

/** The three Standard Webhooks headers for `payload`; send the payload byte for byte as signed. */
export async function signWebhook(input: WebhookToSign): Promise<SignedWebhookHeaders> {
  const secret = input.secret.trim().replace(/^whsec_/, '');
  const keyBytes = base64ToBytes(secret);
  if (keyBytes.length === 0) throw new TypeError('A webhook secret must not be empty.');
  const id = input.id ?? `msg_${crypto.randomUUID().replaceAll('-', '')}`;
  const timestamp = input.timestamp ?? Math.floor(Date.now() / 1000);
  const key = await crypto.subtle.importKey('raw', keyBytes, { name: 'HMAC', hash: 'SHA-256' }, false, [
    'sign',
  ]);
  const mac = await crypto.subtle.sign(
    'HMAC',
    key,
    new TextEncoder().encode(`${id}.${timestamp}.${input.payload}`),
  );
  return {
    'webhook-id': id,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': `v1,${bytesToBase64(new Uint8Array(mac))}`,
  };
}

function base64ToBytes(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text);
  return Uint8Array.from(binary, (char) => char.charCodeAt(0));
}

function bytesToBase64(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}
