import { Router } from 'express';
import { can } from '../platform/access';
import { contextOf } from '../platform/context';
import type { Knex } from '../platform/db';
import { ForbiddenError } from '../platform/errors';
import { actingUser } from '../platform/principal';
import { listNotifications, markAllRead, markRead } from './notification-service';

export function notificationRoutes(db: Knex): Router {
  const router = Router();
  const userOf = (req: Parameters<Parameters<Router['get']>[1]>[0]) => {
    const user = actingUser(contextOf(req).principal);
    if (!user) throw new ForbiddenError('Notifications belong to users; API keys have none.');
    return user.id;
  };

  router.get('/v1/notifications', can('notifications', 'read'), async (req, res) => {
    const { limit, cursor, unread } = req.query as unknown as {
      limit: number;
      cursor?: string;
      unread?: boolean;
    };
    res.json(await listNotifications(db, userOf(req), { unread }, { limit, cursor }));
  });

  router.post('/v1/notifications/read-all', can('notifications', 'update'), async (req, res) => {
    res.json({ updated: await markAllRead(db, userOf(req)) });
  });

  router.post('/v1/notifications/:id/read', can('notifications', 'update'), async (req, res) => {
    res.json(await markRead(db, userOf(req), String(req.params.id)));
  });

  return router;
}
