import { Router } from 'express';
import { can } from '../platform/access';
import { cachedJson, tags } from '../platform/cache';
import { contextOf } from '../platform/context';
import type { Knex } from '../platform/db';
import { sendResource } from '../platform/etag';
import {
  createPerson,
  deletePerson,
  getPerson,
  linkOrganisation,
  listPeople,
  unlinkOrganisation,
  updatePerson,
} from './person-service';

export function personRoutes(db: Knex): Router {
  const router = Router();

  router.get('/v1/people', can('people', 'read'), async (req, res) => {
    const { limit, cursor, sort, ...filters } = req.query as never as {
      limit: number;
      cursor?: string;
      sort: string;
    };
    res.json(await listPeople(db, filters, { limit, cursor, sort }));
  });

  router.post('/v1/people', can('people', 'create'), async (req, res) => {
    const created = await createPerson(db, contextOf(req), req.body);
    res.location(`/v1/people/${created.id}`);
    sendResource(req, res, created, 201);
  });

  router.get('/v1/people/:id', can('people', 'read'), async (req, res) => {
    const id = String(req.params.id);
    sendResource(req, res, await cachedJson(db, 'person', id, [tags.person(id)], () => getPerson(db, id)));
  });

  router.patch('/v1/people/:id', can('people', 'update'), async (req, res) => {
    sendResource(
      req,
      res,
      await updatePerson(db, contextOf(req), String(req.params.id), req.body, req.get('if-match')),
    );
  });

  router.delete('/v1/people/:id', can('people', 'delete'), async (req, res) => {
    const { archive } = req.query as { archive?: boolean };
    await deletePerson(db, contextOf(req), String(req.params.id), {
      archive: archive ?? false,
      ifMatch: req.get('if-match'),
    });
    res.status(204).end();
  });

  router.post('/v1/people/:id/organisations', can('people', 'update'), async (req, res) => {
    const { created, person } = await linkOrganisation(db, contextOf(req), String(req.params.id), req.body);
    sendResource(req, res, person, created ? 201 : 200);
  });

  router.delete(
    '/v1/people/:id/organisations/:organisation_id',
    can('people', 'update'),
    async (req, res) => {
      await unlinkOrganisation(db, contextOf(req), String(req.params.id), String(req.params.organisation_id));
      res.status(204).end();
    },
  );

  return router;
}
