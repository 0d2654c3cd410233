import type { Logger } from '../platform/core/logger';
import type { ServiceDeps } from '../platform/runtime/service-deps';
import { can } from '../platform/web/access';
import { contextOf } from '../platform/web/context-of';
import { Routes } from '../platform/web/routes';
import { erasePerson, exportPersonalData } from './privacy-service';

export function privacyRoutes(deps: ServiceDeps, logger: Logger): Routes {
  const { db } = deps;
  const routes = new Routes();

  routes.get('/v1/people/:id/export', can('personal_data', 'read'), async (req, reply) => {
    const id = req.params.id;
    const document = await exportPersonalData(db, contextOf(req), id);
    reply.header('Content-Disposition', `attachment; filename="relais-person-${id}.json"`);
    reply.header('Cache-Control', 'no-store');
    reply.send(document);
  });

  routes.post('/v1/people/:id/erase', can('personal_data', 'delete'), async (req, reply) => {
    const { confirm } = req.body;
    reply.send(await erasePerson(deps, contextOf(req), req.params.id, { confirm, logger }));
  });

  return routes;
}
