/**
 * Mailjet Event API: one event object, or an array when "group events" is on; no signature
 * (the URL carries basic-auth credentials), no event id (events are keyed by content).
 * `MessageID` exceeds 2^53, so it is read from the lossless parse as text.
 *
 * @see https://dev.mailjet.com/email/guides/webhooks/
 */
import {
  contentKey,
  type EmailEventType,
  eventList,
  fromEpoch,
  type NormalisedEvent,
  recipientOf,
  requiredText,
  text,
} from '../email-events';
import { jsonText } from '../json-body';

const TYPES: Record<string, EmailEventType> = {
  sent: 'sent',
  open: 'opened',
  click: 'clicked',
  bounce: 'bounced',
  blocked: 'dropped',
  spam: 'spam_complaint',
  unsub: 'unsubscribed',
};

export function parseMailjet(body: unknown): NormalisedEvent[] {
  return eventList(body).map((event, index) => {
    const where = `[${index}]`;
    const providerEvent = requiredText(event, 'event', where);
    const type = TYPES[providerEvent] ?? 'unknown';
    const normalised = {
      type,
      provider_event: providerEvent,
      recipient: recipientOf(event, 'email', where),
      occurred_at: fromEpoch(event.time, `${where}.time`),
      message_id: text(event.MessageID) ?? text(event.mj_message_id),
      url: type === 'clicked' ? text(event.url) : null,
    };
    const campaignId = text(event.mj_campaign_id);
    return {
      provider: 'mailjet',
      dedupe_key: contentKey('mailjet', normalised),
      ...normalised,
      campaign: text(event.customcampaign) ?? (campaignId && campaignId !== '0' ? campaignId : null),
      bounce_type: type === 'bounced' ? (event.hard_bounce === true ? 'hard' : 'soft') : null,
      machine_open: false,
      raw: jsonText(event),
    };
  });
}
