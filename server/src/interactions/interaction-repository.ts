import type { Knex } from '../platform/data/db';
import { keysetPage, type Page, type SortChoice } from '../platform/data/pagination';
import { deleteRowById, findRowById, updateRowById } from '../platform/data/rows';
import { searchFor } from '../platform/data/search';
import { preparedRows } from '../platform/data/sql';
import type { SpecSchema } from '../platform/web/spec-types';

export const INTERACTION_TYPES = [
  'call',
  'email',
  'meeting',
  'video_call',
  'note',
  'event',
  'other',
] as const;
export const INTERACTION_STATUSES = ['todo', 'in_progress', 'done', 'cancelled'] as const;
export const INTERACTION_SOURCES = ['manual', 'api', 'import', 'email_event'] as const;
export const OPEN_STATUSES = ['todo', 'in_progress'] as const;
export type InteractionStatus = (typeof INTERACTION_STATUSES)[number];

export interface InteractionRow {
  id: string;
  type: (typeof INTERACTION_TYPES)[number];
  title: string;
  body: string | null;
  occurred_at: Date;
  duration_minutes: number | null;
  organisation_id: string | null;
  status: InteractionStatus;
  assignee_id: string | null;
  next_action_at: Date | null;
  reminder_sent_at: Date | null;
  source: (typeof INTERACTION_SOURCES)[number];
  created_by: string | null;
  created_at: Date;
  updated_at: Date;
}

export interface Participant {
  id: string;
  user_id: string | null;
  person_id: string | null;
  role: SpecSchema<'ParticipantRole'>;
  name: string;
}

export interface ParticipantInput {
  user_id?: string;
  person_id?: string;
  role?: SpecSchema<'ParticipantRole'>;
}

/** The columns a write sets; dates as Dates or as the API sends them (ISO 8601 strings). */
export type InteractionFields = Partial<
  Pick<
    InteractionRow,
    'type' | 'title' | 'body' | 'duration_minutes' | 'organisation_id' | 'status' | 'assignee_id' | 'source'
  > & { occurred_at: Date | string; next_action_at: Date | string | null }
>;

export const COLUMNS = [
  'id',
  'type',
  'title',
  'body',
  'occurred_at',
  'duration_minutes',
  'organisation_id',
  'status',
  'assignee_id',
  'next_action_at',
  'reminder_sent_at',
  'source',
  'created_by',
  'created_at',
  'updated_at',
].map((column) => `interactions.${column}`);

export function findInteraction(
  db: Knex,
  id: string,
  options: { lock?: boolean } = {},
): Promise<InteractionRow | null> {
  return findRowById<InteractionRow>(db, 'interactions', COLUMNS, id, options);
}

/** What an insert sets a column to when the create leaves it out (the table's defaults). */
const INSERT_DEFAULTS = {
  body: null,
  duration_minutes: null,
  organisation_id: null,
  status: 'todo',
  assignee_id: null,
  next_action_at: null,
  source: 'manual',
} as const;

/**
 * Inserts an interaction, its participants and its audit entry in one statement — one round trip,
 * atomic without a transaction — returning the row and the participants as presented (ordered by
 * role, with their display names). The statement is prepared (its text is the same for every
 * create): PostgreSQL plans it once per connection instead of on every create.
 */
export async function insertInteraction(
  db: Knex,
  row: InteractionFields & { id: string; created_by: string | null },
  participants: ParticipantInput[],
  audit: Knex.QueryBuilder,
): Promise<{ row: InteractionRow; participants: Participant[] }> {
  const { id, type, title, occurred_at, created_by } = row;
  const columns: Record<string, unknown> = { id, type, title, occurred_at, created_by };
  for (const [column, value] of Object.entries(INSERT_DEFAULTS))
    columns[column] = row[column as keyof typeof INSERT_DEFAULTS] ?? value;
  const [inserted] = await preparedRows<InteractionRow & { participants: Participant[] }>(
    db,
    'relais_create_interaction',
    db.raw(
      `WITH interaction AS (?),
     audit AS (?),
     participant AS (
       INSERT INTO interaction_participants (interaction_id, user_id, person_id, role, occurred_at)
       SELECT interaction.id, input.user_id, input.person_id, input.role, interaction.occurred_at
       FROM interaction
       CROSS JOIN jsonb_to_recordset(?::jsonb) AS input(user_id uuid, person_id uuid, role text)
       RETURNING id, user_id, person_id, role
     )
     SELECT interaction.*, COALESCE((
       SELECT jsonb_agg(${PARTICIPANT_JSON} ORDER BY participant.role, participant.id)
       FROM participant
       LEFT JOIN users AS "user" ON "user".id = participant.user_id
       LEFT JOIN people AS person ON person.id = participant.person_id
     ), '[]'::jsonb) AS participants
     FROM interaction`,
      [
        db('interactions').insert(columns).returning(COLUMNS),
        audit,
        JSON.stringify(participants.map(participantRow)),
      ],
    ),
  );
  const { participants: presented, ...created } = inserted!;
  return { row: created, participants: presented };
}

export function updateInteractionRow(
  db: Knex,
  id: string,
  changes: InteractionFields & { reminder_sent_at?: null },
): Promise<InteractionRow> {
  return updateRowById<InteractionRow>(db, 'interactions', COLUMNS, id, changes);
}

export function deleteInteractionRow(db: Knex, id: string): Promise<void> {
  return deleteRowById(db, 'interactions', id);
}

/** Replaces the participants of an interaction with `participants`. */
export async function replaceParticipants(
  db: Knex,
  interactionId: string,
  occurredAt: Date,
  participants: ParticipantInput[],
): Promise<void> {
  await db('interaction_participants').where({ interaction_id: interactionId }).delete();
  if (participants.length === 0) return;
  await db('interaction_participants').insert(
    participants.map((participant) => ({
      ...participantRow(participant),
      interaction_id: interactionId,
      occurred_at: occurredAt,
    })),
  );
}

function participantRow(participant: ParticipantInput) {
  return {
    user_id: participant.user_id ?? null,
    person_id: participant.person_id ?? null,
    role: participant.role ?? 'attendee',
  };
}

/** A participant's display name: the user's, or the person's first and last name. */
const PARTICIPANT_NAME = `COALESCE("user".name, person.first_name || ' ' || person.last_name)`;

/**
 * A participant as the API presents it, in SQL: from a row `participant` (id, user_id, person_id,
 * role) joined to its `"user"` and its `person`.
 */
export const PARTICIPANT_JSON = `jsonb_build_object(
  'id', participant.id, 'user_id', participant.user_id, 'person_id', participant.person_id,
  'role', participant.role, 'name', ${PARTICIPANT_NAME})`;

/** Keeps the participants' copy of `occurred_at` (the timeline index) in step with the interaction. */
export async function moveParticipants(db: Knex, interactionId: string, occurredAt: Date): Promise<void> {
  await db('interaction_participants')
    .where({ interaction_id: interactionId })
    .update({ occurred_at: occurredAt });
}

/** Participants of each interaction, with a display name, in one (prepared) query. */
export async function participantsOf(
  db: Knex,
  interactionIds: string[],
): Promise<Map<string, Participant[]>> {
  const byInteraction = new Map<string, Participant[]>(interactionIds.map((id) => [id, []]));
  if (interactionIds.length === 0) return byInteraction;
  const rows = await preparedRows<Participant & { interaction_id: string }>(
    db,
    'relais_participants_of',
    db('interaction_participants as participant')
      .leftJoin('users as user', 'user.id', 'participant.user_id')
      .leftJoin('people as person', 'person.id', 'participant.person_id')
      .whereRaw('participant.interaction_id = ANY(?::uuid[])', [interactionIds])
      .orderBy(['participant.interaction_id', 'participant.role', 'participant.id'])
      .select(
        'participant.interaction_id',
        'participant.id',
        'participant.user_id',
        'participant.person_id',
        'participant.role',
        db.raw(`${PARTICIPANT_NAME} AS name`),
      ),
  );
  for (const { interaction_id, ...participant } of rows) byInteraction.get(interaction_id)?.push(participant);
  return byInteraction;
}

export interface InteractionFilters {
  q?: string;
  type?: string[];
  status?: string[];
  source?: string[];
  assignee_id?: string;
  person_id?: string;
  organisation_id?: string;
  occurred_after?: string;
  occurred_before?: string;
  next_action_after?: string;
  next_action_before?: string;
}

/** Interactions matching the list filters (all but `q`), every column of the resource selected. */
export function filteredInteractions(db: Knex, filters: Omit<InteractionFilters, 'q'>): Knex.QueryBuilder {
  const query = db('interactions').select(COLUMNS);
  if (filters.type?.length) query.whereIn('type', filters.type);
  if (filters.status?.length) query.whereIn('status', filters.status);
  if (filters.source?.length) query.whereIn('source', filters.source);
  if (filters.assignee_id) query.where('assignee_id', filters.assignee_id);
  if (filters.organisation_id) query.where('organisation_id', filters.organisation_id);
  if (filters.person_id) {
    query.whereIn(
      'id',
      db('interaction_participants').select('interaction_id').where('person_id', filters.person_id),
    );
  }
  if (filters.occurred_after) query.where('occurred_at', '>=', filters.occurred_after);
  if (filters.occurred_before) query.where('occurred_at', '<', filters.occurred_before);
  if (filters.next_action_after) query.where('next_action_at', '>=', filters.next_action_after);
  if (filters.next_action_before) query.where('next_action_at', '<', filters.next_action_before);
  return query;
}

export function listInteractionRows(
  db: Knex,
  filters: InteractionFilters,
  page: { limit: number; cursor?: string; sort: SortChoice },
): Promise<Page<InteractionRow>> {
  return keysetPage<InteractionRow>(filteredInteractions(db, filters), {
    ...page.sort,
    sortColumn: `interactions.${page.sort.sortColumn}`,
    sortField: page.sort.sortField as keyof InteractionRow & string,
    idColumn: 'interactions.id',
    limit: page.limit,
    cursor: page.cursor,
    search: searchFor(db, 'interactions', 'search_text', filters.q),
  });
}

/** A person's interactions, newest first, from the participants' timeline index. */
export async function countInteractionsOf(
  db: Knex,
  reference: { organisation_id: string } | { person_id: string },
): Promise<number> {
  const [row] =
    'organisation_id' in reference
      ? await db('interactions').where(reference).count({ count: '*' })
      : await db('interaction_participants').where(reference).count({ count: '*' });
  return Number(row?.count ?? 0);
}
