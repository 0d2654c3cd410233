import type { Knex } from '../platform/data/db';
import { can } from '../platform/web/access';
import { Routes } from '../platform/web/routes';
import { listAudit } from './audit-service';

export function auditRoutes(db: Knex): Routes {
  const routes = new Routes();
  routes.get('/v1/audit-log', can('audit_log', 'read'), async (req, reply) => {
    const { limit, cursor, ...filters } = req.query;
    reply.send(await listAudit(db, filters, { limit, cursor }));
  });
  return routes;
}
