/**
 * The dashboard: what a relationship manager sees first — hot leads (scores at or above the hot
 * threshold), the latest interactions, and their inbox counts.
 */

import { type Clock, getInbox, listInteractions } from '../interactions';
import { actingUser, type UserIdentity } from '../platform/core/principal';
import { minuteOf, tags } from '../platform/runtime/cache';
import type { ServiceDeps } from '../platform/runtime/service-deps';
import { can } from '../platform/web/access';
import { contextOf } from '../platform/web/context-of';
import { Routes } from '../platform/web/routes';
import { listLeadScores } from '../scoring';

export function dashboardRoutes({ db, cache }: ServiceDeps, clock: Clock): Routes {
  const routes = new Routes();
  routes.get('/v1/dashboard', can('dashboard', 'read'), async (req, reply) => {
    const now = clock();
    const user = actingUser(contextOf(req).principal);
    // Cached per user and minute: inbox buckets and decayed scores move with the clock, not only with writes.
    const key = `${user?.id ?? 'application'}:${user?.time_zone ?? ''}:${minuteOf(now)}`;
    reply.send(
      await cache.read('dashboard', key, [tags.interactions, tags.scores, tags.people], () =>
        dashboard(user, now),
      ),
    );
  });

  const dashboard = async (user: UserIdentity | null, now: Date) => {
    const recent = await listInteractions(
      db,
      { occurred_before: now.toISOString() },
      { limit: 5, sort: '-occurred_at' },
      now,
    );
    const inbox = user
      ? await getInbox(db, { userId: user.id, timeZone: user.time_zone, limit: 1, now })
      : null;
    const hot = await listLeadScores(db, { limit: 5, hot_only: true }, now);
    return { hot_leads: hot.data, recent_interactions: recent.data, inbox_counts: inbox?.counts ?? null };
  };
  return routes;
}
