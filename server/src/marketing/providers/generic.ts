/**
 * Relais's own event format, for integrators who sign with Standard Webhooks. The body has
 * already been validated against `EmailEventInput` in the API description.
 */
import {
  EMAIL_EVENT_TYPES,
  type EmailEventType,
  eventList,
  fromIso,
  GENERIC_PROVIDER,
  type NormalisedEvent,
  recipientOf,
  requiredText,
  text,
} from '../email-events';

export function parseGeneric(body: unknown): NormalisedEvent[] {
  return eventList(body).map((event, index) => {
    const where = Array.isArray(body) ? `[${index}]` : '';
    const providerEvent = requiredText(event, 'type', where);
    const type = (EMAIL_EVENT_TYPES as readonly string[]).includes(providerEvent)
      ? (providerEvent as EmailEventType)
      : 'unknown';
    const bounceType = text(event.bounce_type);
    return {
      provider: GENERIC_PROVIDER,
      dedupe_key: requiredText(event, 'id', where),
      type,
      provider_event: providerEvent,
      recipient: recipientOf(event, 'email', where),
      occurred_at: fromIso(event.occurred_at, `${where}.occurred_at`),
      message_id: text(event.message_id),
      campaign: text(event.campaign),
      url: text(event.url),
      bounce_type: type === 'bounced' && (bounceType === 'hard' || bounceType === 'soft') ? bounceType : null,
      machine_open: type === 'opened' && event.machine_open === true,
      raw: JSON.stringify(event),
    };
  });
}
