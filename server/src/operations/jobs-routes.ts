import { Router } from 'express';
import { can } from '../platform/access';
import type { Knex } from '../platform/db';
import { recurringJobs } from '../platform/jobs';

/** The recurring jobs, their last runs and failures, as every instance sees them in the database. */
export function jobsRoutes(db: Knex): Router {
  const router = Router();
  router.get('/v1/jobs', can('jobs', 'read'), async (_req, res) => {
    res.json({ data: await recurringJobs(db) });
  });
  return router;
}
