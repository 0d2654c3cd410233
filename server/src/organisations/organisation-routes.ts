import { tags } from '../platform/runtime/cache';
import type { ServiceDeps } from '../platform/runtime/service-deps';
import { can } from '../platform/web/access';
import { contextOf } from '../platform/web/context-of';
import { sendResource } from '../platform/web/etag';
import { headerOf, Routes } from '../platform/web/routes';
import {
  createOrganisation,
  deleteOrganisation,
  getOrganisation,
  listOrganisations,
  updateOrganisation,
} from './organisation-service';

export function organisationRoutes(deps: ServiceDeps): Routes {
  const { db, cache } = deps;
  const routes = new Routes();

  routes.get('/v1/organisations', can('organisations', 'read'), async (req, reply) => {
    const { limit, cursor, sort, ...filters } = req.query;
    reply.send(await listOrganisations(db, filters, { limit, cursor, sort }));
  });

  routes.post('/v1/organisations', can('organisations', 'create'), async (req, reply) => {
    const created = await createOrganisation(deps, contextOf(req), req.body);
    reply.header('Location', `/v1/organisations/${created.id}`);
    sendResource(req, reply, created, 201);
  });

  routes.get('/v1/organisations/:id', can('organisations', 'read'), async (req, reply) => {
    const id = req.params.id;
    sendResource(
      req,
      reply,
      await cache.json('organisation', id, [tags.organisation(id)], () => getOrganisation(db, id)),
    );
  });

  routes.patch('/v1/organisations/:id', can('organisations', 'update'), async (req, reply) => {
    const updated = await updateOrganisation(
      deps,
      contextOf(req),
      req.params.id,
      req.body,
      headerOf(req, 'if-match'),
    );
    sendResource(req, reply, updated);
  });

  routes.delete('/v1/organisations/:id', can('organisations', 'delete'), async (req, reply) => {
    const { archive } = req.query;
    await deleteOrganisation(deps, contextOf(req), req.params.id, {
      archive: archive ?? false,
      ifMatch: headerOf(req, 'if-match'),
    });
    reply.code(204).send();
  });

  return routes;
}
