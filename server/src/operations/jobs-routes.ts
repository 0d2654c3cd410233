import { can } from '../platform/access';
import type { Knex } from '../platform/db';
import { recurringJobs } from '../platform/jobs';
import { Routes } from '../platform/routes';

/** The recurring jobs, their last runs and failures, as every instance sees them in the database. */
export function jobsRoutes(db: Knex): Routes {
  const routes = new Routes();
  routes.get('/v1/jobs', can('jobs', 'read'), async (_req, reply) => {
    reply.send({ data: await recurringJobs(db) });
  });
  return routes;
}
