import { Router } from 'express';
import { can } from '../platform/access';
import { contextOf } from '../platform/context';
import type { Knex } from '../platform/db';
import { createApiKey, listApiKeys, revokeApiKey } from './api-key-service';

export function apiKeyRoutes(db: Knex): Router {
  const router = Router();

  router.get('/v1/api-keys', can('api_keys', 'read'), async (req, res) => {
    const { limit, cursor, revoked } = req.query as never;
    res.json(await listApiKeys(db, { revoked }, { limit, cursor }));
  });

  router.post('/v1/api-keys', can('api_keys', 'create'), async (req, res) => {
    const created = await createApiKey(db, contextOf(req), req.body);
    res.setHeader('Cache-Control', 'no-store');
    res.status(201).location(`/v1/api-keys/${created.id}`).json(created);
  });

  router.delete('/v1/api-keys/:id', can('api_keys', 'delete'), async (req, res) => {
    await revokeApiKey(db, contextOf(req), String(req.params.id));
    res.status(204).end();
  });

  return router;
}
