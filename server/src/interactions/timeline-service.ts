/**
 * Timelines: everything that happened with a person or an organisation, newest first, as typed
 * items so a widget can render each kind — interactions, and the email events that tell a story
 * (sent, clicked, bounced, unsubscribed…; a human open is shown by the interaction it created).
 *
 * One keyset page over a UNION ALL of the two sources, each branch read from its own
 * (person, occurred_at, id) index, so page 1 and page 1,000 cost the same.
 */
import { NotFoundError } from '../platform/core/errors';
import type { Knex } from '../platform/data/db';
import { keysetPage, type Page } from '../platform/data/pagination';
import { tags } from '../platform/runtime/cache';
import { schemaColumns } from '../platform/web/openapi';
import type { Serialised, SpecSchema } from '../platform/web/spec-types';
import { COLUMNS } from './interaction-repository';
import { type Interaction, present } from './interaction-service';

/** An email event as a timeline shows it: the spec's `EmailEvent`, read from marketing's table. */
type EmailEvent = Serialised<SpecSchema<'EmailEvent'>>;
const EMAIL_EVENT_COLUMNS = schemaColumns('EmailEvent', 'email_events');

export type TimelineItem =
  | { kind: 'interaction'; id: string; occurred_at: Date; interaction: Interaction }
  | { kind: 'email_event'; id: string; occurred_at: Date; email_event: EmailEvent };

/** Email event types shown in timelines. */
export const TIMELINE_EMAIL_TYPES = [
  'sent',
  'clicked',
  'bounced',
  'dropped',
  'unsubscribed',
  'resubscribed',
  'spam_complaint',
  'failed',
];

/** The cache tags of what shows these interactions: the timelines they appear in, and lists. */
export async function interactionCacheTags(db: Knex, interactionIds: string[]): Promise<string[]> {
  if (interactionIds.length === 0) return [];
  const [people, organisations] = await Promise.all([
    db('interaction_participants')
      .whereIn('interaction_id', interactionIds)
      .whereNotNull('person_id')
      .distinct()
      .pluck('person_id'),
    db('interactions')
      .whereIn('id', interactionIds)
      .whereNotNull('organisation_id')
      .distinct()
      .pluck('organisation_id'),
  ]);
  return [
    tags.interactions,
    ...people.map((id: string) => tags.personTimeline(id)),
    ...organisations.map((id: string) => tags.organisationTimeline(id)),
  ];
}

/**
 * The cache tags a change to a person makes stale: their record, lists that show people, their
 * timeline, their organisations' timelines (which show their email events) and the timelines of
 * every interaction they take part in (which show their name).
 */
/** The cached reads showing a person who takes part in nothing yet (a new one). */
export function newPersonCacheTags(personId: string): string[] {
  return [tags.person(personId), tags.people, tags.scores, tags.personTimeline(personId)];
}

export async function personCacheTags(db: Knex, personId: string): Promise<string[]> {
  const [interactionIds, organisationIds] = await Promise.all([
    db('interaction_participants').where('person_id', personId).distinct().pluck('interaction_id'),
    db('person_organisations').where('person_id', personId).pluck('organisation_id'),
  ]);
  return [
    ...newPersonCacheTags(personId),
    ...organisationIds.map((id: string) => tags.organisationTimeline(id)),
    ...(await interactionCacheTags(db, interactionIds)),
  ];
}

interface TimelineRef {
  kind: TimelineItem['kind'];
  id: string;
  occurred_at: Date;
}

export async function personTimeline(
  db: Knex,
  personId: string,
  page: { limit: number; cursor?: string },
  now: Date,
): Promise<Page<TimelineItem>> {
  if (!(await db('people').where({ id: personId }).first('id')))
    throw new NotFoundError(`Person ${personId} not found.`);
  const interactions = db
    .select(db.raw("'interaction' AS kind"), 'interaction_id AS id', 'occurred_at')
    .from('interaction_participants')
    .where('person_id', personId);
  const events = emailEventRefs(db).where('person_id', personId);
  return timelinePage(db, interactions.unionAll(events), 'timeline:person', page, now);
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
  const interactions = db
    .select(db.raw("'interaction' AS kind"), 'id', 'occurred_at')
    .from('interactions')
    .where('organisation_id', organisationId);
  const events = emailEventRefs(db).whereIn(
    'person_id',
    db('person_organisations').select('person_id').where('organisation_id', organisationId),
  );
  return timelinePage(db, interactions.unionAll(events), 'timeline:organisation', page, now);
}

/** The email events a timeline shows, as references; the caller says whose. */
function emailEventRefs(db: Knex): Knex.QueryBuilder {
  return db
    .select(db.raw("'email_event' AS kind"), 'id', 'occurred_at')
    .from('email_events')
    .whereIn('type', TIMELINE_EMAIL_TYPES);
}

/** One keyset page of the union of references, then the items behind them. */
async function timelinePage(
  db: Knex,
  union: Knex.QueryBuilder,
  tag: string,
  page: { limit: number; cursor?: string },
  now: Date,
): Promise<Page<TimelineItem>> {
  const refs = await keysetPage<TimelineRef>(db.select('*').from(union.as('timeline')), {
    tag,
    sortColumn: 'occurred_at',
    sortField: 'occurred_at',
    idColumn: 'id',
    direction: 'desc',
    limit: page.limit,
    cursor: page.cursor,
  });
  return assemble(db, refs, now);
}

async function assemble(db: Knex, page: Page<TimelineRef>, now: Date): Promise<Page<TimelineItem>> {
  const idsOf = (kind: TimelineItem['kind']) =>
    page.data.filter((ref) => ref.kind === kind).map((ref) => ref.id);
  const interactionIds = idsOf('interaction');
  const eventIds = idsOf('email_event');
  const interactions = interactionIds.length
    ? await present(
        db,
        await db('interactions').select(COLUMNS).whereIn('interactions.id', interactionIds),
        now,
      )
    : [];
  const events: EmailEvent[] = eventIds.length
    ? await db('email_events').select(EMAIL_EVENT_COLUMNS).whereIn('email_events.id', eventIds)
    : [];
  const interactionById = new Map(interactions.map((interaction) => [interaction.id, interaction]));
  const eventById = new Map(events.map((event) => [event.id, event]));
  return {
    data: page.data.flatMap((ref): TimelineItem[] => {
      if (ref.kind === 'interaction') {
        const interaction = interactionById.get(ref.id);
        return interaction
          ? [{ kind: 'interaction', id: ref.id, occurred_at: ref.occurred_at, interaction }]
          : [];
      }
      const event = eventById.get(ref.id);
      return event
        ? [{ kind: 'email_event', id: ref.id, occurred_at: ref.occurred_at, email_event: event }]
        : [];
    }),
    next_cursor: page.next_cursor,
  };
}
