import type { Knex } from '../platform/data/db';
import { can } from '../platform/web/access';
import { contextOf } from '../platform/web/context-of';
import { Routes } from '../platform/web/routes';
import { createApiKey, listApiKeys, revokeApiKey } from './api-key-service';

export function apiKeyRoutes(db: Knex): Routes {
  const routes = new Routes();

  routes.get('/v1/api-keys', can('api_keys', 'read'), async (req, reply) => {
    const { limit, cursor, revoked } = req.query;
    reply.send(await listApiKeys(db, { revoked }, { limit, cursor }));
  });

  routes.post('/v1/api-keys', can('api_keys', 'create'), async (req, reply) => {
    const created = await createApiKey(db, contextOf(req), req.body);
    reply.header('Cache-Control', 'no-store');
    reply.code(201).header('Location', `/v1/api-keys/${created.id}`).send(created);
  });

  routes.delete('/v1/api-keys/:id', can('api_keys', 'delete'), async (req, reply) => {
    await revokeApiKey(db, contextOf(req), req.params.id);
    reply.code(204).send();
  });

  return routes;
}
