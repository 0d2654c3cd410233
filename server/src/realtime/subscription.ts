/**
 * One realtime subscriber — an SSE response or a WebSocket — fed by the event bus: the events its
 * principal may receive, in id order, first those missed since `lastEventId`, then live ones.
 */

import type { Principal } from '../platform/core/principal';
import { compareEventIds, type EventBus, type PublishedEvent } from '../platform/runtime/events';
import { canReceive } from './visibility';

/** What a subscriber is sent when it cannot be brought up to date from the kept events. */
export const SYNC_REQUIRED = 'sync.required';

export interface ClientEvent {
  id: string;
  type: string;
  occurred_at: string;
  data: Record<string, unknown>;
}

export function clientEvent(event: PublishedEvent): ClientEvent {
  return { id: event.id, type: event.type, occurred_at: event.occurred_at, data: event.data };
}

/**
 * Subscribes before reading the missed events, holding live ones back until the replay is sent,
 * so that nothing published meanwhile is lost or sent twice. Returns the unsubscribe function.
 */
export async function subscribe(
  bus: EventBus,
  principal: Principal,
  lastEventId: string | undefined,
  deliver: (event: ClientEvent) => void,
): Promise<() => void> {
  let lastSent = lastEventId;
  let held: PublishedEvent[] | null = lastEventId ? [] : null;
  const send = (event: PublishedEvent) => {
    if (lastSent && compareEventIds(event.id, lastSent) <= 0) return;
    lastSent = event.id;
    if (canReceive(principal, event)) deliver(clientEvent(event));
  };
  const unsubscribe = bus.subscribe((event) => {
    if (held) held.push(event);
    else send(event);
  });
  if (lastEventId) {
    const replay = await bus.replay(lastEventId);
    if (!replay.complete) {
      deliver({
        id: lastEventId,
        type: SYNC_REQUIRED,
        occurred_at: new Date().toISOString(),
        data: { reason: 'Some events since this id are no longer kept; reload the data you show.' },
      });
    }
    for (const event of replay.events) send(event);
    for (const event of held ?? []) send(event);
    held = null;
  }
  return unsubscribe;
}
