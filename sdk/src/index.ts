export { createRelaisClient, type RelaisClient, type RelaisClientOptions, unwrap } from './client';
export {
  type FieldError,
  isRelaisError,
  type Problem,
  RelaisAuthenticationError,
  RelaisConflictError,
  RelaisConnectionError,
  RelaisError,
  RelaisNotFoundError,
  RelaisPermissionError,
  RelaisPreconditionFailedError,
  RelaisRateLimitError,
  RelaisServerError,
  RelaisTimeoutError,
  RelaisValidationError,
} from './errors';
export type { components, operations, paths } from './generated/openapi';
export type { RelaisOperations } from './generated/operations';
export type {
  ApiPromise,
  Body,
  CallOptions,
  FileBody,
  PagePromise,
  PathParams,
  Query,
  Result,
  WithResponse,
} from './operations';
export { type Page, type Paginator, paginate } from './pagination';
export {
  type EventStream,
  type EventStreamOptions,
  type EventSubscription,
  type EventSubscriptionOptions,
  type RealtimeEvent,
  subscribeToEvents,
} from './realtime';
export {
  relaisFetch,
  type SharedToken,
  sharedToken,
  type TokenSource,
  type TransportOptions,
} from './transport';
export { type SignedWebhookHeaders, signWebhook, type WebhookToSign } from './webhooks';
