import { ForbiddenError, ValidationError } from '../platform/core/errors';
import { actingUser, principalReach } from '../platform/core/principal';
import type { Page } from '../platform/data/pagination';
import { assertTimeZone } from '../platform/data/time-zone';
import { tags } from '../platform/runtime/cache';
import type { ServiceDeps } from '../platform/runtime/service-deps';
import { can } from '../platform/web/access';
import { contextOf } from '../platform/web/context-of';
import { sendResource } from '../platform/web/etag';
import { headerOf, Routes } from '../platform/web/routes';
import { getInbox } from './inbox-service';
import {
  type Clock,
  createInteraction,
  deleteInteraction,
  getInteraction,
  isOverdue,
  listInteractions,
  updateInteraction,
} from './interaction-service';
import { organisationTimeline, personTimeline, type TimelineItem } from './timeline-service';

function withOverdue(page: Page<TimelineItem>, now: Date): Page<TimelineItem> {
  for (const item of page.data) {
    if (item.kind === 'interaction') item.interaction.overdue = isOverdue(item.interaction, now);
  }
  return page;
}

export function interactionRoutes(deps: ServiceDeps, clock: Clock): Routes {
  const { db, cache } = deps;
  const routes = new Routes();

  routes.get('/v1/interactions', can('interactions', 'read'), async (req, reply) => {
    const { limit, cursor, sort, ...filters } = req.query;
    reply.send(await listInteractions(db, filters, { limit, cursor, sort }, clock()));
  });

  routes.get('/v1/interactions/recent', can('interactions', 'read'), async (req, reply) => {
    const { limit, cursor } = req.query;
    const now = clock();
    reply.send(
      await listInteractions(
        db,
        { occurred_before: now.toISOString() },
        { limit, cursor, sort: '-occurred_at' },
        now,
      ),
    );
  });

  routes.post('/v1/interactions', can('interactions', 'create'), async (req, reply) => {
    const created = await createInteraction(deps, contextOf(req), req.body, clock());
    reply.header('Location', `/v1/interactions/${created.id}`);
    sendResource(req, reply, created, 201);
  });

  routes.get('/v1/interactions/:id', can('interactions', 'read'), async (req, reply) => {
    sendResource(req, reply, await getInteraction(db, req.params.id, clock()));
  });

  routes.patch('/v1/interactions/:id', can('interactions', 'update'), async (req, reply) => {
    const updated = await updateInteraction(deps, contextOf(req), req.params.id, req.body, {
      ifMatch: headerOf(req, 'if-match'),
      now: clock(),
    });
    sendResource(req, reply, updated);
  });

  routes.delete('/v1/interactions/:id', can('interactions', 'delete'), async (req, reply) => {
    await deleteInteraction(deps, contextOf(req), req.params.id, headerOf(req, 'if-match'), clock());
    reply.code(204).send();
  });

  routes.get('/v1/inbox', can('interactions', 'read'), async (req, reply) => {
    const context = contextOf(req);
    const { limit, cursor, bucket, tz, user_id } = req.query;
    const caller = actingUser(context.principal);
    const userId = user_id ?? caller?.id;
    if (!userId)
      throw new ValidationError('An API key must say whose inbox it reads.', {
        errors: [{ in: 'query', field: 'user_id', message: 'is required for API keys' }],
      });
    const widget = context.principal.kind === 'embed';
    if (
      caller &&
      userId !== caller.id &&
      (widget || principalReach(context.principal, 'interactions', 'assign') !== 'all')
    ) {
      throw new ForbiddenError('Only managers read other users’ inboxes.');
    }
    const owner =
      userId === caller?.id ? caller : await db('users').select('time_zone').where({ id: userId }).first();
    if (!owner)
      throw new ValidationError(`No user ${userId}.`, {
        errors: [{ in: 'query', field: 'user_id', message: 'is not a user' }],
      });
    await assertTimeZone(db, tz, { in: 'query', field: 'tz' });
    const timeZone = tz ?? owner.time_zone;
    reply.send(await getInbox(db, { userId, timeZone, bucket, limit, cursor, now: clock() }));
  });

  // The first page of a timeline is cached; `overdue` is recomputed at every read.
  routes.get('/v1/people/:id/timeline', can('interactions', 'read'), async (req, reply) => {
    const { limit, cursor } = req.query;
    const id = req.params.id;
    const now = clock();
    const load = () => personTimeline(db, id, { limit, cursor }, now);
    const page = cursor
      ? await load()
      : await cache.read('timeline', `person:${id}:${limit}`, [tags.personTimeline(id)], load);
    reply.send(withOverdue(page, now));
  });

  routes.get('/v1/organisations/:id/timeline', can('interactions', 'read'), async (req, reply) => {
    const { limit, cursor } = req.query;
    const id = req.params.id;
    const now = clock();
    const load = () => organisationTimeline(db, id, { limit, cursor }, now);
    const page = cursor
      ? await load()
      : await cache.read('timeline', `organisation:${id}:${limit}`, [tags.organisationTimeline(id)], load);
    reply.send(withOverdue(page, now));
  });

  return routes;
}
