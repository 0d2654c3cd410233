import { Router } from 'express';
import { can } from '../platform/access';
import { cachedJson, tags } from '../platform/cache';
import { contextOf } from '../platform/context';
import type { Knex } from '../platform/db';
import { sendResource } from '../platform/etag';
import {
  createOrganisation,
  deleteOrganisation,
  getOrganisation,
  listOrganisations,
  updateOrganisation,
} from './organisation-service';

export function organisationRoutes(db: Knex): Router {
  const router = Router();

  router.get('/v1/organisations', can('organisations', 'read'), async (req, res) => {
    const { limit, cursor, sort, ...filters } = req.query as never as {
      limit: number;
      cursor?: string;
      sort: string;
    };
    res.json(await listOrganisations(db, filters, { limit, cursor, sort }));
  });

  router.post('/v1/organisations', can('organisations', 'create'), async (req, res) => {
    const created = await createOrganisation(db, contextOf(req), req.body);
    res.location(`/v1/organisations/${created.id}`);
    sendResource(req, res, created, 201);
  });

  router.get('/v1/organisations/:id', can('organisations', 'read'), async (req, res) => {
    const id = String(req.params.id);
    sendResource(
      req,
      res,
      await cachedJson(db, 'organisation', id, [tags.organisation(id)], () => getOrganisation(db, id)),
    );
  });

  router.patch('/v1/organisations/:id', can('organisations', 'update'), async (req, res) => {
    const updated = await updateOrganisation(
      db,
      contextOf(req),
      String(req.params.id),
      req.body,
      req.get('if-match'),
    );
    sendResource(req, res, updated);
  });

  router.delete('/v1/organisations/:id', can('organisations', 'delete'), async (req, res) => {
    const { archive } = req.query as { archive?: boolean };
    await deleteOrganisation(db, contextOf(req), String(req.params.id), {
      archive: archive ?? false,
      ifMatch: req.get('if-match'),
    });
    res.status(204).end();
  });

  return router;
}
