import type { ServiceDeps } from '../platform/runtime/service-deps';
import { can } from '../platform/web/access';
import { contextOf } from '../platform/web/context-of';
import { sendResource } from '../platform/web/etag';
import { headerOf, Routes } from '../platform/web/routes';
import { createMandate, deleteMandate, getMandate, listMandates, updateMandate } from './mandate-service';

export function mandateRoutes(deps: ServiceDeps): Routes {
  const { db } = deps;
  const routes = new Routes();

  routes.get('/v1/mandates', can('mandates', 'read'), async (req, reply) => {
    const { limit, cursor, sort, ...filters } = req.query;
    reply.send(await listMandates(db, filters, { limit, cursor, sort }));
  });

  routes.post('/v1/mandates', can('mandates', 'create'), async (req, reply) => {
    const created = await createMandate(deps, contextOf(req), req.body);
    reply.header('Location', `/v1/mandates/${created.id}`);
    sendResource(req, reply, created, 201);
  });

  routes.get('/v1/mandates/:id', can('mandates', 'read'), async (req, reply) => {
    sendResource(req, reply, await getMandate(db, req.params.id));
  });

  routes.patch('/v1/mandates/:id', can('mandates', 'update'), async (req, reply) => {
    sendResource(
      req,
      reply,
      await updateMandate(deps, contextOf(req), req.params.id, req.body, headerOf(req, 'if-match')),
    );
  });

  routes.delete('/v1/mandates/:id', can('mandates', 'delete'), async (req, reply) => {
    await deleteMandate(deps, contextOf(req), req.params.id, headerOf(req, 'if-match'));
    reply.code(204).send();
  });

  return routes;
}
