/**
 * Brevo (ex-Sendinblue) transactional and marketing webhooks: one event object per request, no
 * signature (the webhook URL carries a credential), no event id (events are keyed by content).
 * Marketing events name a campaign (`camp_id`) and no message: one campaign is one message per
 * recipient, so its message id is `campaign-<camp_id>`.
 *
 * @see https://developers.brevo.com/docs/transactional-webhooks
 */
import {
  contentKey,
  type EmailEventType,
  eventList,
  fromEpoch,
  type JsonObject,
  messageId,
  type NormalisedEvent,
  PayloadError,
  recipientOf,
  requiredText,
  text,
} from '../email-events';
import { jsonText } from '../json-body';

const TYPES: Record<string, { type: EmailEventType; bounce_type?: 'hard' | 'soft'; machine?: boolean }> = {
  request: { type: 'sent' },
  sent: { type: 'sent' },
  delivered: { type: 'delivered' },
  deferred: { type: 'deferred' },
  soft_bounce: { type: 'bounced', bounce_type: 'soft' },
  hard_bounce: { type: 'bounced', bounce_type: 'hard' },
  blocked: { type: 'dropped' },
  invalid_email: { type: 'failed' },
  error: { type: 'failed' },
  spam: { type: 'spam_complaint' },
  unsubscribe: { type: 'unsubscribed' },
  unsubscribed: { type: 'unsubscribed' },
  opened: { type: 'opened' },
  unique_opened: { type: 'opened' },
  proxy_open: { type: 'opened', machine: true },
  unique_proxy_open: { type: 'opened', machine: true },
  click: { type: 'clicked' },
};

export function parseBrevo(body: unknown): NormalisedEvent[] {
  return eventList(body).map((event, index) => {
    const where = `[${index}]`;
    const providerEvent = requiredText(event, 'event', where);
    const mapped = TYPES[providerEvent] ?? { type: 'unknown' as const };
    const campaign = text(event.camp_id);
    const normalised = {
      type: mapped.type,
      provider_event: providerEvent,
      recipient: recipientOf(event, 'email', where),
      occurred_at: occurredAt(event, where),
      message_id: messageId(event['message-id']) ?? (campaign ? `campaign-${campaign}` : null),
      url: mapped.type === 'clicked' ? (text(event.link) ?? text(event.URL) ?? text(event.url)) : null,
    };
    return {
      provider: 'brevo',
      dedupe_key: contentKey('brevo', normalised),
      ...normalised,
      campaign: campaign ?? firstTag(event),
      bounce_type: mapped.bounce_type ?? null,
      machine_open: mapped.machine === true,
      raw: jsonText(event),
    };
  });
}

/**
 * Brevo's times: `ts_epoch` (documented in milliseconds, sometimes seconds), `s_epoch` in some
 * proxy-open payloads, `ts_event` and `ts` in seconds. The first present wins.
 */
function occurredAt(event: JsonObject, where: string): Date {
  for (const field of ['ts_epoch', 's_epoch', 'ts_event', 'ts']) {
    if (text(event[field]) !== null) return fromEpoch(event[field], `${where}.${field}`);
  }
  throw new PayloadError(`${where}.ts_epoch`, 'ts_epoch (or ts_event) is required');
}

/** Brevo sends tags as `tags` (array) or `tag` (array or a single string). */
function firstTag(event: JsonObject): string | null {
  if (Array.isArray(event.tags)) return text(event.tags[0]);
  if (Array.isArray(event.tag)) return text(event.tag[0]);
  return text(event.tag);
}
