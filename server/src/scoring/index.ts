export { listLeadScores } from './lead-score-service';
export { recomputeJob, refreshJob } from './recompute-service';
export { scoringRoutes } from './scoring-routes';
