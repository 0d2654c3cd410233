import { ForbiddenError } from '../platform/core/errors';
import { actingUser } from '../platform/core/principal';
import type { Knex } from '../platform/data/db';
import { can } from '../platform/web/access';
import { contextOf } from '../platform/web/context-of';
import { type RouteRequest, Routes } from '../platform/web/routes';
import { listNotifications, markAllRead, markRead } from './notification-service';

export function notificationRoutes(db: Knex): Routes {
  const routes = new Routes();
  const userOf = (req: RouteRequest) => {
    const user = actingUser(contextOf(req).principal);
    if (!user) throw new ForbiddenError('Notifications belong to users; API keys have none.');
    return user.id;
  };

  routes.get('/v1/notifications', can('notifications', 'read'), async (req, reply) => {
    const { limit, cursor, unread } = req.query;
    reply.send(await listNotifications(db, userOf(req), { unread }, { limit, cursor }));
  });

  routes.post('/v1/notifications/read-all', can('notifications', 'update'), async (req, reply) => {
    reply.send({ updated: await markAllRead(db, userOf(req)) });
  });

  routes.post('/v1/notifications/:id/read', can('notifications', 'update'), async (req, reply) => {
    reply.send(await markRead(db, userOf(req), req.params.id));
  });

  return routes;
}
