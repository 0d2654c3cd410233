import { Router } from 'express';
import { can } from '../platform/access';
import { contextOf } from '../platform/context';
import type { Knex } from '../platform/db';
import { sendResource } from '../platform/etag';
import { createMandate, deleteMandate, getMandate, listMandates, updateMandate } from './mandate-service';

export function mandateRoutes(db: Knex): Router {
  const router = Router();

  router.get('/v1/mandates', can('mandates', 'read'), async (req, res) => {
    const { limit, cursor, sort, ...filters } = req.query as never as {
      limit: number;
      cursor?: string;
      sort: string;
    };
    res.json(await listMandates(db, filters, { limit, cursor, sort }));
  });

  router.post('/v1/mandates', can('mandates', 'create'), async (req, res) => {
    const created = await createMandate(db, contextOf(req), req.body);
    res.location(`/v1/mandates/${created.id}`);
    sendResource(req, res, created, 201);
  });

  router.get('/v1/mandates/:id', can('mandates', 'read'), async (req, res) => {
    sendResource(req, res, await getMandate(db, String(req.params.id)));
  });

  router.patch('/v1/mandates/:id', can('mandates', 'update'), async (req, res) => {
    sendResource(
      req,
      res,
      await updateMandate(db, contextOf(req), String(req.params.id), req.body, req.get('if-match')),
    );
  });

  router.delete('/v1/mandates/:id', can('mandates', 'delete'), async (req, res) => {
    await deleteMandate(db, contextOf(req), String(req.params.id), req.get('if-match'));
    res.status(204).end();
  });

  return router;
}
