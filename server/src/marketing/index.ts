export type { NormalisedEvent } from './email-events';
export { eventsWaitFor, ingestEvents, linkEmailEvents, pruneReplayTokens } from './ingest-service';
export { INGEST_PATH, marketingRoutes } from './marketing-routes';
