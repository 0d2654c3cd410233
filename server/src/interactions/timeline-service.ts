/**
 * Timelines: everything that happened with a person or an organisation, newest first, as typed
 * items so a widget can render any kind (`interaction` now; email events join them later).
 */
import type { Knex } from '../platform/db';
import { NotFoundError } from '../platform/errors';
import type { Page } from '../platform/pagination';
import { organisationTimelineRows, personTimelineRows } from './interaction-repository';
import { type Interaction, present } from './interaction-service';

export interface TimelineItem {
  kind: 'interaction';
  id: string;
  occurred_at: Date;
  interaction: Interaction;
}

export async function personTimeline(
  db: Knex,
  personId: string,
  page: { limit: number; cursor?: string },
  now: Date,
): Promise<Page<TimelineItem>> {
  if (!(await db('people').where({ id: personId }).first('id')))
    throw new NotFoundError(`Person ${personId} not found.`);
  return asTimeline(db, await personTimelineRows(db, personId, page), now);
}

export async function organisationTimeline(
  db: Knex,
  organisationId: string,
  page: { limit: number; cursor?: string },
  now: Date,
): Promise<Page<TimelineItem>> {
  if (!(await db('organisations').where({ id: organisationId }).first('id'))) {
    throw new NotFoundError(`Organisation ${organisationId} not found.`);
  }
  return asTimeline(db, await organisationTimelineRows(db, organisationId, page), now);
}

async function asTimeline(
  db: Knex,
  page: Page<Parameters<typeof present>[1][number]>,
  now: Date,
): Promise<Page<TimelineItem>> {
  const interactions = await present(db, page.data, now);
  return {
    data: interactions.map((interaction) => ({
      kind: 'interaction',
      id: interaction.id,
      occurred_at: interaction.occurred_at,
      interaction,
    })),
    next_cursor: page.next_cursor,
  };
}
