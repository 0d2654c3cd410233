/**
 * SendGrid Event Webhook: a JSON array of events, signed with ECDSA P-256 over
 * `timestamp + raw body` (headers X-Twilio-Email-Event-Webhook-Signature and -Timestamp), verified
 * with the public key shown in SendGrid's mail settings.
 *
 * @see https://www.twilio.com/docs/sendgrid/for-developers/tracking-events/event
 */
import { createPublicKey, type KeyObject, verify } from 'node:crypto';
import {
  type EmailEventType,
  eventList,
  fromEpoch,
  type JsonObject,
  type NormalisedEvent,
  recipientOf,
  requiredText,
  text,
} from '../email-events';
import { jsonText } from '../json-body';

export const SENDGRID_SIGNATURE_HEADER = 'x-twilio-email-event-webhook-signature';
export const SENDGRID_TIMESTAMP_HEADER = 'x-twilio-email-event-webhook-timestamp';

/** The verification key from its base64 DER (SubjectPublicKeyInfo) form, as SendGrid shows it. */
export function sendgridPublicKey(base64Der: string): KeyObject {
  return createPublicKey({ key: Buffer.from(base64Der, 'base64'), format: 'der', type: 'spki' });
}

export function verifySendgridSignature(
  key: KeyObject,
  timestamp: string,
  payload: Buffer | string,
  signature: string,
): boolean {
  try {
    const signed = Buffer.concat([
      Buffer.from(timestamp),
      Buffer.isBuffer(payload) ? payload : Buffer.from(payload),
    ]);
    return verify('sha256', signed, { key, dsaEncoding: 'der' }, Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
}

const TYPES: Record<string, EmailEventType> = {
  processed: 'sent',
  delivered: 'delivered',
  deferred: 'deferred',
  open: 'opened',
  click: 'clicked',
  bounce: 'bounced',
  dropped: 'dropped',
  spamreport: 'spam_complaint',
  unsubscribe: 'unsubscribed',
  group_unsubscribe: 'unsubscribed',
  group_resubscribe: 'resubscribed',
};

export function parseSendgrid(body: unknown): NormalisedEvent[] {
  return eventList(body).map((event, index) => {
    const where = `[${index}]`;
    const providerEvent = requiredText(event, 'event', where);
    const type = TYPES[providerEvent] ?? 'unknown';
    return {
      provider: 'sendgrid',
      dedupe_key: requiredText(event, 'sg_event_id', where),
      type,
      provider_event: providerEvent,
      recipient: recipientOf(event, 'email', where),
      occurred_at: fromEpoch(event.timestamp, `${where}.timestamp`),
      message_id: sendgridMessageId(event),
      campaign: campaignOf(event),
      url: type === 'clicked' ? text(event.url) : null,
      // SendGrid reports blocks (temporary) as bounces of type "blocked".
      bounce_type: type === 'bounced' ? (text(event.type) === 'blocked' ? 'soft' : 'hard') : null,
      machine_open: type === 'opened' && event.sg_machine_open === true,
      raw: jsonText(event),
    };
  });
}

/**
 * `sg_message_id` is the X-Message-Id returned at sending plus a filter suffix that differs
 * between events of one message (`.filter0001…`, `.stfilter-015…`); the prefix identifies it.
 */
function sendgridMessageId(event: JsonObject): string | null {
  const id = text(event.sg_message_id);
  if (id === null) return null;
  return /^(.+?)\.(?:st)?filter/.exec(id)?.[1] ?? id;
}

function campaignOf(event: JsonObject): string | null {
  const campaign = text(event.marketing_campaign_id) ?? text(event.singlesend_id);
  if (campaign) return campaign;
  const category = event.category;
  return Array.isArray(category) ? text(category[0]) : text(category);
}
