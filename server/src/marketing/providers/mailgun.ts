/**
 * Mailgun webhooks: one event per request, `{signature: {timestamp, token, signature},
 * "event-data": {…}}`; the signature is HMAC-SHA256 (hex) of timestamp + token with the
 * webhook signing key. Tokens are single-use: the ingest service refuses one seen before.
 *
 * @see https://documentation.mailgun.com/docs/mailgun/user-manual/webhooks/securing-webhooks
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import {
  type EmailEventType,
  fromEpoch,
  isObject,
  messageId,
  type NormalisedEvent,
  PayloadError,
  recipientOf,
  requiredText,
  text,
} from '../email-events';
import { jsonText } from '../json-body';

export interface MailgunSignature {
  timestamp: string;
  token: string;
  signature: string;
}

export function mailgunSignatureOf(body: unknown): MailgunSignature {
  const block = isObject(body) ? body.signature : undefined;
  if (!isObject(block)) throw new PayloadError('signature', 'the Mailgun signature block is required');
  return {
    timestamp: requiredText(block, 'timestamp', 'signature'),
    token: requiredText(block, 'token', 'signature'),
    signature: requiredText(block, 'signature', 'signature'),
  };
}

export function verifyMailgunSignature(signingKey: string, signature: MailgunSignature): boolean {
  const expected = createHmac('sha256', signingKey)
    .update(signature.timestamp + signature.token)
    .digest();
  const offered = Buffer.from(signature.signature, 'hex');
  return offered.length === expected.length && timingSafeEqual(offered, expected);
}

const TYPES: Record<string, EmailEventType> = {
  accepted: 'sent',
  delivered: 'delivered',
  opened: 'opened',
  clicked: 'clicked',
  unsubscribed: 'unsubscribed',
  complained: 'spam_complaint',
};

/** Reads a webhook body (`event-data` inside) or a bare event as the Events API returns it. */
export function parseMailgun(body: unknown): NormalisedEvent[] {
  const event = isObject(body) && isObject(body['event-data']) ? body['event-data'] : body;
  if (!isObject(event)) throw new PayloadError('event-data', 'event-data must be a JSON object');
  const where = 'event-data';
  const providerEvent = requiredText(event, 'event', where);
  const { type, bounce_type } = classify(providerEvent, event);
  const message = isObject(event.message) && isObject(event.message.headers) ? event.message.headers : {};
  const clientInfo = isObject(event['client-info']) ? event['client-info'] : {};
  const campaigns = Array.isArray(event.campaigns) ? event.campaigns : [];
  const tags = Array.isArray(event.tags) ? event.tags : [];
  const firstCampaign = campaigns[0];
  return [
    {
      provider: 'mailgun',
      dedupe_key: requiredText(event, 'id', where),
      type,
      provider_event: providerEvent,
      recipient: recipientOf(event, 'recipient', where),
      occurred_at: fromEpoch(event.timestamp, `${where}.timestamp`),
      message_id: messageId(message['message-id']),
      campaign: (isObject(firstCampaign) ? text(firstCampaign.id) : text(firstCampaign)) ?? text(tags[0]),
      url: type === 'clicked' ? text(event.url) : null,
      bounce_type,
      // Mailgun names the proxy that opened the message (`apple`, `gmail`) in client-info.bot.
      machine_open: type === 'opened' && text(clientInfo.bot) !== null,
      raw: jsonText(event),
    },
  ];
}

function classify(
  providerEvent: string,
  event: Record<string, unknown>,
): { type: EmailEventType; bounce_type: 'hard' | 'soft' | null } {
  if (providerEvent === 'failed') {
    if (text(event.severity) === 'temporary') return { type: 'deferred', bounce_type: null };
    // A permanent failure to a suppressed address is a drop: nothing was sent.
    if (text(event.reason)?.startsWith('suppress-')) return { type: 'dropped', bounce_type: null };
    return { type: 'bounced', bounce_type: 'hard' };
  }
  return { type: TYPES[providerEvent] ?? 'unknown', bounce_type: null };
}
