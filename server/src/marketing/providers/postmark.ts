/**
 * Postmark webhooks: one record per request, its kind in `RecordType` (Delivery, Bounce, Open,
 * Click, SpamComplaint, SubscriptionChange); no signature (the URL carries basic-auth
 * credentials). Bounces and complaints have an `ID`; other records are keyed by content.
 *
 * @see https://postmarkapp.com/developer/webhooks/webhooks-overview
 */
import {
  contentKey,
  type EmailEventType,
  fromIso,
  isObject,
  type JsonObject,
  messageId,
  type NormalisedEvent,
  PayloadError,
  recipientOf,
  text,
} from '../email-events';
import { jsonText } from '../json-body';

const BOUNCES: Record<string, { type: EmailEventType; bounce_type?: 'hard' | 'soft' }> = {
  HardBounce: { type: 'bounced', bounce_type: 'hard' },
  BadEmailAddress: { type: 'bounced', bounce_type: 'hard' },
  SoftBounce: { type: 'bounced', bounce_type: 'soft' },
  DnsError: { type: 'bounced', bounce_type: 'soft' },
  Transient: { type: 'deferred' },
  Blocked: { type: 'dropped' },
  ManuallyDeactivated: { type: 'dropped' },
  SpamComplaint: { type: 'spam_complaint' },
  Unsubscribe: { type: 'unsubscribed' },
  Subscribe: { type: 'resubscribed' },
};

export function parsePostmark(body: unknown): NormalisedEvent[] {
  if (!isObject(body)) throw new PayloadError('', 'a Postmark webhook body is one JSON object');
  // The bounce example of Postmark's marketing pages has no RecordType; real webhooks do.
  const recordType = text(body.RecordType) ?? (text(body.BouncedAt) ? 'Bounce' : null);
  if (recordType === null) throw new PayloadError('RecordType', 'RecordType is required');
  const { type, bounce_type, time } = classify(recordType, body);
  const normalised = {
    type,
    provider_event: recordType === 'Bounce' ? `Bounce:${text(body.Type) ?? 'Unknown'}` : recordType,
    recipient: recipientOf(body, body.Recipient !== undefined ? 'Recipient' : 'Email', ''),
    occurred_at: fromIso(body[time], time),
    message_id: messageId(body.MessageID),
    url: type === 'clicked' ? text(body.OriginalLink) : null,
  };
  const id = text(body.ID);
  return [
    {
      provider: 'postmark',
      dedupe_key: id ? `${recordType}:${id}` : contentKey('postmark', normalised),
      ...normalised,
      campaign: text(body.Tag),
      bounce_type,
      machine_open: false,
      raw: jsonText(body),
    },
  ];
}

function classify(
  recordType: string,
  record: JsonObject,
): { type: EmailEventType; bounce_type: 'hard' | 'soft' | null; time: string } {
  switch (recordType) {
    case 'Delivery':
      return { type: 'delivered', bounce_type: null, time: 'DeliveredAt' };
    case 'Open':
      return { type: 'opened', bounce_type: null, time: 'ReceivedAt' };
    case 'Click':
      return { type: 'clicked', bounce_type: null, time: 'ReceivedAt' };
    case 'SpamComplaint':
      return { type: 'spam_complaint', bounce_type: null, time: 'BouncedAt' };
    case 'SubscriptionChange':
      return {
        type: record.SuppressSending === false ? 'resubscribed' : 'unsubscribed',
        bounce_type: null,
        time: 'ChangedAt',
      };
    case 'Bounce': {
      const mapped = BOUNCES[text(record.Type) ?? ''] ?? { type: 'failed' as const };
      return { type: mapped.type, bounce_type: mapped.bounce_type ?? null, time: 'BouncedAt' };
    }
    default:
      return {
        type: 'unknown',
        bounce_type: null,
        time:
          ['ReceivedAt', 'DeliveredAt', 'BouncedAt', 'ChangedAt'].find((field) => text(record[field])) ??
          'ReceivedAt',
      };
  }
}
