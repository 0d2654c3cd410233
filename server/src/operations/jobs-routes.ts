import type { Knex } from '../platform/data/db';
import { recurringJobs, workerStatuses } from '../platform/runtime/jobs';
import { can } from '../platform/web/access';
import { Routes } from '../platform/web/routes';

/** The recurring jobs and the worker processes, as every instance sees them in the database. */
export function jobsRoutes(db: Knex, { heartbeatSeconds }: { heartbeatSeconds: number }): Routes {
  const routes = new Routes();
  routes.get('/v1/jobs', can('jobs', 'read'), async (_req, reply) => {
    const [data, workers] = await Promise.all([recurringJobs(db), workerStatuses(db, heartbeatSeconds)]);
    reply.send({ data, workers });
  });
  return routes;
}
