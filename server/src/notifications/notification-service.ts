/**
 * Notifications, stored per user. Every notification is created by `notify`, the one place that
 * also publishes it (`notification.created`, to its recipient only) once its change commits.
 */

import { NotFoundError } from '../platform/core/errors';
import type { Knex } from '../platform/data/db';
import { keysetPage, type Page } from '../platform/data/pagination';
import type { ServiceDeps } from '../platform/runtime/service-deps';

export interface Notification {
  id: string;
  user_id: string;
  type: string;
  payload: Record<string, unknown>;
  read_at: Date | null;
  created_at: Date;
}

const COLUMNS = ['id', 'user_id', 'type', 'payload', 'read_at', 'created_at'];

export interface NewNotification {
  userId: string;
  type: string;
  payload: Record<string, unknown>;
}

/**
 * Creates notifications (one or many); call inside the transaction of the change they report
 * (`db`). They are published to `events` for realtime delivery after that transaction commits.
 */
export async function notify(
  { db, events }: Pick<ServiceDeps, 'db' | 'events'>,
  notifications: NewNotification | NewNotification[],
): Promise<Notification[]> {
  const list = Array.isArray(notifications) ? notifications : [notifications];
  if (list.length === 0) return [];
  const created: Notification[] = await db('notifications')
    .insert(
      list.map((item) => ({ user_id: item.userId, type: item.type, payload: JSON.stringify(item.payload) })),
    )
    .returning(COLUMNS);
  await events.publish(
    db,
    created.map((notification) => ({
      type: 'notification.created',
      data: { ...notification },
      audience: { resource: 'notifications', userIds: [notification.user_id] },
    })),
  );
  return created;
}

export function listNotifications(
  db: Knex,
  userId: string,
  filters: { unread?: boolean },
  page: { limit: number; cursor?: string },
): Promise<Page<Notification>> {
  const query = db('notifications').select(COLUMNS).where({ user_id: userId });
  if (filters.unread === true) query.whereNull('read_at');
  if (filters.unread === false) query.whereNotNull('read_at');
  return keysetPage<Notification>(query, {
    tag: 'notifications:created_at:desc',
    sortColumn: 'created_at',
    sortField: 'created_at',
    idColumn: 'id',
    direction: 'desc',
    limit: page.limit,
    cursor: page.cursor,
  });
}

/** Marks one of the user's notifications read; another user's is a 404, as if it did not exist. */
export async function markRead(db: Knex, userId: string, id: string): Promise<Notification> {
  const [updated] = await db('notifications')
    .where({ id, user_id: userId })
    .update({ read_at: db.raw('COALESCE(read_at, now())') })
    .returning(COLUMNS);
  if (!updated) throw new NotFoundError(`Notification ${id} not found.`);
  return updated;
}

export async function markAllRead(db: Knex, userId: string): Promise<number> {
  return db('notifications').where({ user_id: userId }).whereNull('read_at').update({ read_at: db.fn.now() });
}

/** Forgets notifications read more than `days` ago; returns how many. */
export function pruneReadNotifications(db: Knex, days: number): Promise<number> {
  return db('notifications')
    .whereNotNull('read_at')
    .andWhere('read_at', '<', db.raw('now() - make_interval(days => ?)', [days]))
    .delete();
}
