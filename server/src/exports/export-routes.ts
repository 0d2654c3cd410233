import type { Logger } from '../platform/core/logger';
import type { Knex } from '../platform/data/db';
import { can } from '../platform/web/access';
import { Routes } from '../platform/web/routes';
import { EXPORT_RESOURCES, streamExport } from './export-service';

/** `GET /v1/exports/{people|organisations|interactions}`: permission-checked like the lists. */
export function exportRoutes(db: Knex, logger: Logger): Routes {
  const routes = new Routes();
  for (const resource of EXPORT_RESOURCES) {
    routes.get(`/v1/exports/${resource}`, can(resource, 'read'), async (req, reply) => {
      const { format = 'csv', excel = false, ...filters } = req.query;
      const date = new Date().toISOString().slice(0, 10);
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        'Content-Type': format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8',
        'Content-Disposition': `attachment; filename="${resource}-${date}.${format}"`,
        'Cache-Control': 'no-store',
      });
      // Headers are gone: a failure now can only cut the body short, which the client sees.
      await streamExport(db, resource, { format, excel, filters }, res).catch((error: unknown) => {
        logger.error({ err: error, resource }, 'export interrupted');
        res.destroy();
      });
    });
  }
  return routes;
}
