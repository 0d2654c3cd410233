import { Router } from 'express';
import { assertCan, can } from '../platform/access';
import { contextOf } from '../platform/context';
import type { Knex } from '../platform/db';
import { sendResource } from '../platform/etag';
import type { UserDirectory } from './user-directory';
import { createUser, getUser, listUsers, updateUser } from './user-service';

export function userRoutes(db: Knex, directory: UserDirectory): Router {
  const router = Router();

  router.get('/v1/users', can('users', 'read'), async (req, res) => {
    const { limit, cursor, role, active } = req.query as never;
    res.json(await listUsers(db, { role, active }, { limit, cursor }));
  });

  router.post('/v1/users', can('users', 'create'), async (req, res) => {
    const user = await createUser(db, contextOf(req), req.body);
    res.status(201).location(`/v1/users/${user.id}`).json(user);
  });

  router.get('/v1/users/:id', can('users', 'read'), async (req, res) => {
    sendResource(req, res, await getUser(db, String(req.params.id)));
  });

  router.patch('/v1/users/:id', can('users', 'update'), async (req, res) => {
    const context = contextOf(req);
    if (req.body.role !== undefined || req.body.active !== undefined)
      assertCan(context.principal, 'users', 'manage');
    const updated = await updateUser(db, context, String(req.params.id), req.body, req.get('if-match'));
    directory.evict(updated.id);
    sendResource(req, res, updated);
  });

  return router;
}
