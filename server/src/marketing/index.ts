export { eventsWaitFor, linkEmailEvents, pruneReplayTokens } from './ingest-service';
export { INGEST_PATH, marketingRoutes } from './marketing-routes';
