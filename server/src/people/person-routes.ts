import { tags } from '../platform/runtime/cache';
import { can } from '../platform/web/access';
import { contextOf } from '../platform/web/context-of';
import { sendResource } from '../platform/web/etag';
import { headerOf, Routes } from '../platform/web/routes';
import {
  createPerson,
  deletePerson,
  getPerson,
  linkOrganisation,
  listPeople,
  type PeopleDeps,
  unlinkOrganisation,
  updatePerson,
} from './person-service';

export function personRoutes(deps: PeopleDeps): Routes {
  const { db, cache } = deps;
  const routes = new Routes();

  routes.get('/v1/people', can('people', 'read'), async (req, reply) => {
    const { limit, cursor, sort, ...filters } = req.query;
    reply.send(await listPeople(db, filters, { limit, cursor, sort }));
  });

  routes.post('/v1/people', can('people', 'create'), async (req, reply) => {
    const created = await createPerson(deps, contextOf(req), req.body);
    reply.header('Location', `/v1/people/${created.id}`);
    sendResource(req, reply, created, 201);
  });

  routes.get('/v1/people/:id', can('people', 'read'), async (req, reply) => {
    const id = req.params.id;
    sendResource(req, reply, await cache.json('person', id, [tags.person(id)], () => getPerson(db, id)));
  });

  routes.patch('/v1/people/:id', can('people', 'update'), async (req, reply) => {
    sendResource(
      req,
      reply,
      await updatePerson(deps, contextOf(req), req.params.id, req.body, headerOf(req, 'if-match')),
    );
  });

  routes.delete('/v1/people/:id', can('people', 'delete'), async (req, reply) => {
    const { archive } = req.query;
    await deletePerson(deps, contextOf(req), req.params.id, {
      archive: archive ?? false,
      ifMatch: headerOf(req, 'if-match'),
    });
    reply.code(204).send();
  });

  routes.post('/v1/people/:id/organisations', can('people', 'update'), async (req, reply) => {
    const { created, person } = await linkOrganisation(deps, contextOf(req), req.params.id, req.body);
    sendResource(req, reply, person, created ? 201 : 200);
  });

  routes.delete(
    '/v1/people/:id/organisations/:organisation_id',
    can('people', 'update'),
    async (req, reply) => {
      await unlinkOrganisation(deps, contextOf(req), req.params.id, req.params.organisation_id);
      reply.code(204).send();
    },
  );

  return routes;
}
