import { Router } from 'express';
import { can } from '../platform/access';
import type { Knex } from '../platform/db';
import { listAudit } from './audit-service';

export function auditRoutes(db: Knex): Router {
  const router = Router();
  router.get('/v1/audit-log', can('audit_log', 'read'), async (req, res) => {
    const { limit, cursor, ...filters } = req.query as { limit: number; cursor?: string } & Record<
      string,
      string
    >;
    res.json(await listAudit(db, filters, { limit, cursor }));
  });
  return router;
}
