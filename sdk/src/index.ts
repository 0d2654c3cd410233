export { createRelaisClient, type RelaisClient, type RelaisClientOptions } from './client';
export { type Problem, RelaisApiError } from './errors';
export type { components, operations, paths } from './generated/openapi';
export {
  type EventSubscription,
  type EventSubscriptionOptions,
  type RealtimeEvent,
  subscribeToEvents,
} from './realtime';
