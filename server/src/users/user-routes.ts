import type { ServiceDeps } from '../platform/runtime/service-deps';
import { assertCan, can } from '../platform/web/access';
import { contextOf } from '../platform/web/context-of';
import { sendResource } from '../platform/web/etag';
import { headerOf, Routes } from '../platform/web/routes';
import type { UserDirectory } from './user-directory';
import { createUser, getUser, listUsers, updateUser } from './user-service';

export function userRoutes(deps: ServiceDeps, directory: UserDirectory): Routes {
  const { db } = deps;
  const routes = new Routes();

  routes.get('/v1/users', can('users', 'read'), async (req, reply) => {
    const { limit, cursor, role, active } = req.query;
    reply.send(await listUsers(db, { role, active }, { limit, cursor }));
  });

  routes.post('/v1/users', can('users', 'create'), async (req, reply) => {
    const user = await createUser(db, contextOf(req), req.body);
    reply.code(201).header('Location', `/v1/users/${user.id}`).send(user);
  });

  routes.get('/v1/users/:id', can('users', 'read'), async (req, reply) => {
    sendResource(req, reply, await getUser(db, req.params.id));
  });

  routes.patch('/v1/users/:id', can('users', 'update'), async (req, reply) => {
    const context = contextOf(req);
    if (req.body.role !== undefined || req.body.active !== undefined)
      assertCan(context.principal, 'users', 'manage');
    const updated = await updateUser(deps, context, req.params.id, req.body, headerOf(req, 'if-match'));
    directory.evict(updated.id);
    sendResource(req, reply, updated);
  });

  return routes;
}
