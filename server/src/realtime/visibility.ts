/**
 * Who receives which event: the same rules as the REST reads. A principal must be able to read the
 * event's resource; a notification reaches only its recipient; an embed token receives only what
 * its widgets show about its subject.
 */

import { type Principal, principalReach, type Widget } from '../platform/core/principal';
import type { PublishedEvent } from '../platform/runtime/events';

export function canReceive(principal: Principal, event: PublishedEvent): boolean {
  const { audience } = event;
  if (principalReach(principal, audience.resource, 'read') === null) return false;
  switch (principal.kind) {
    case 'user':
      return !audience.userIds || audience.userIds.includes(principal.user.id);
    case 'api_key':
      // Keys act as no user, so they receive no user's notifications.
      return !audience.userIds;
    case 'embed':
      return principal.widgets.some((widget) => widgetShows(widget, principal, event));
  }
}

function widgetShows(
  widget: Widget,
  principal: Extract<Principal, { kind: 'embed' }>,
  event: PublishedEvent,
): boolean {
  const { subject } = principal;
  const { audience } = event;
  const about =
    (subject.type === 'person' && (audience.personIds ?? []).includes(subject.id)) ||
    (subject.type === 'organisation' && (audience.organisationIds ?? []).includes(subject.id));
  switch (widget) {
    case 'timeline':
      return event.type.startsWith('interaction.') && about;
    case 'lead-score':
      return event.type === 'lead_score.changed' && about;
    case 'hot-leads':
      return event.type === 'lead_score.changed';
    case 'inbox':
      if (subject.type !== 'inbox') return false;
      if (event.type === 'notification.created') return (audience.userIds ?? []).includes(subject.id);
      return event.type.startsWith('interaction.') && (audience.assigneeIds ?? []).includes(subject.id);
  }
}
