export type { NormalisedEvent } from './email-events';
export { emailEventsWaiting, ingestEvents, pruneReplayTokens } from './ingest-service';
export { INGEST_PATH, marketingRoutes } from './marketing-routes';
