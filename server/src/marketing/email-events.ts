/**
 * The normalised email event: what every provider's payload is mapped onto before it is stored.
 * Adapters (`providers/*.ts`) are pure functions from a parsed body to a list of these, so each is
 * tested against the providers' own sample payloads.
 */
import { createHash } from 'node:crypto';

export const EMAIL_EVENT_TYPES = [
  'sent',
  'delivered',
  'deferred',
  'opened',
  'clicked',
  'bounced',
  'dropped',
  'unsubscribed',
  'resubscribed',
  'spam_complaint',
  'failed',
  'unknown',
] as const;
export type EmailEventType = (typeof EMAIL_EVENT_TYPES)[number];

export const PROVIDERS = ['sendgrid', 'mailgun', 'brevo', 'postmark', 'mailjet'] as const;
export type Provider = (typeof PROVIDERS)[number];
/** Events posted to the generic endpoint in Relais's own format. */
export const GENERIC_PROVIDER = 'generic';

export interface NormalisedEvent {
  provider: Provider | typeof GENERIC_PROVIDER;
  /** The provider's event id, or a hash of what identifies the event where it has none. */
  dedupe_key: string;
  type: EmailEventType;
  /** The provider's own name for the event (`open`, `unique_opened`, `RecordType: Open`…). */
  provider_event: string;
  /** Lower-cased address. */
  recipient: string;
  occurred_at: Date;
  /** Never a JavaScript number: some providers' ids exceed 2^53. */
  message_id: string | null;
  campaign: string | null;
  url: string | null;
  bounce_type: 'hard' | 'soft' | null;
  /** An open by a mail client's privacy proxy (Apple MPP) or a scanner, not by a person. */
  machine_open: boolean;
  /** The event exactly as received, as JSON text (large numbers keep every digit). */
  raw: string;
}

/** A payload an adapter cannot read: names the event and field, for a 400 problem. */
export class PayloadError extends Error {
  override name = 'PayloadError';
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The body as a list of event objects (providers send one or a batch). */
export function eventList(body: unknown): JsonObject[] {
  const list = Array.isArray(body) ? body : [body];
  if (list.length === 0) throw new PayloadError('', 'the batch is empty; send at least one event');
  list.forEach((item, index) => {
    if (!isObject(item)) throw new PayloadError(`[${index}]`, 'each event must be a JSON object');
  });
  return list as JsonObject[];
}

/** A string-ish value (numbers from lossless parsing keep their digits); null when absent or empty. */
export function text(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  const trimmed = String(value).trim();
  return trimmed === '' ? null : trimmed;
}

export function requiredText(event: JsonObject, field: string, where: string): string {
  const value = text(event[field]);
  if (value === null) throw new PayloadError(`${where}.${field}`, `${field} is required`);
  return value;
}

export function recipientOf(event: JsonObject, field: string, where: string): string {
  const value = requiredText(event, field, where).toLowerCase();
  if (!/^[^@\s]+@[^@\s]+$/.test(value) || value.length > 320)
    throw new PayloadError(`${where}.${field}`, `${field} is not an email address`);
  return value;
}

/**
 * A Unix time in seconds, milliseconds or float seconds (`1377075564.094891`), as a Date.
 * Values above 10^11 are milliseconds: in seconds that would be the year 5138.
 */
export function fromEpoch(value: unknown, field: string): Date {
  const number = typeof value === 'number' ? value : Number(text(value));
  if (!Number.isFinite(number) || number <= 0) throw new PayloadError(field, `${field} is not a Unix time`);
  const date = new Date(number > 1e11 ? Math.round(number) : Math.round(number * 1000));
  if (Number.isNaN(date.getTime())) throw new PayloadError(field, `${field} is not a Unix time`);
  return date;
}

/** An ISO 8601 date with any offset and any number of fraction digits, as a Date. */
export function fromIso(value: unknown, field: string): Date {
  const date = new Date(text(value) ?? '');
  if (Number.isNaN(date.getTime())) throw new PayloadError(field, `${field} is not an ISO 8601 date`);
  return date;
}

/** `<id@host>` → `id@host`: providers disagree on the brackets around Message-ID values. */
export function messageId(value: unknown): string | null {
  const id = text(value);
  return id === null ? null : id.replace(/^<(.*)>$/, '$1');
}

/** Dedupe key for providers without event ids: the same event delivered twice hashes the same. */
export function contentKey(
  provider: string,
  parts: {
    provider_event: string;
    message_id: string | null;
    recipient: string;
    occurred_at: Date;
    url: string | null;
  },
): string {
  return createHash('sha256')
    .update(
      JSON.stringify([
        provider,
        parts.provider_event,
        parts.message_id,
        parts.recipient,
        parts.occurred_at.toISOString(),
        parts.url,
      ]),
    )
    .digest('hex')
    .slice(0, 40);
}
