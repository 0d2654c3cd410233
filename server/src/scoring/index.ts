export { listLeadScores } from './lead-score-service';
export { pruneFinishedRecomputes, recomputeJob, refreshJob } from './recompute-service';
export { scoringRoutes } from './scoring-routes';
export { rescorePeople } from './scoring-service';
