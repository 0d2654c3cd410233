/**
 * Interactions that email events make: the first human open of a message by a known person becomes
 * one `email` interaction (source `email_event`), announced like any other interaction. The
 * primary key of `email_open_interactions` claims (person, message) once, so concurrent deliveries
 * and later opens create nothing more.
 */
import { preparedRows } from '../platform/data/sql';
import type { ServiceDeps } from '../platform/runtime/service-deps';
import { COLUMNS, type InteractionRow, PARTICIPANT_JSON, type Participant } from './interaction-repository';
import { announce, isOverdue } from './interaction-service';

/**
 * Creates the interactions of the given `opened` events that are first human opens, each with its
 * recipient as participant, in one statement; call with the ingest transaction as `deps.db`. Each
 * is published (`interaction.created`) and its cached reads invalidated once that transaction
 * commits.
 */
export async function createEmailOpenInteractions(
  deps: ServiceDeps,
  eventIds: readonly string[],
  now: Date,
): Promise<void> {
  if (eventIds.length === 0) return;
  const trx = deps.db;
  const rows = await preparedRows<InteractionRow & { participants: Participant[] }>(
    trx,
    'relais_create_email_open_interactions',
    trx.raw(
      `WITH candidates AS MATERIALIZED (
       SELECT DISTINCT ON (e.person_id, e.provider, e.message_id)
              e.id, e.person_id, e.provider, e.message_id, e.occurred_at, e.campaign,
              relais_uuid_v7() AS interaction_id
       FROM email_events e
       WHERE e.id = ANY(?::uuid[]) AND e.type = 'opened' AND NOT e.machine_open
         AND e.person_id IS NOT NULL AND e.message_id IS NOT NULL
       ORDER BY e.person_id, e.provider, e.message_id, e.occurred_at, e.dedupe_key
     ),
     claimed AS (
       INSERT INTO email_open_interactions (person_id, provider, message_id, interaction_id)
       SELECT person_id, provider, message_id, interaction_id FROM candidates
       ORDER BY person_id, provider, message_id
       ON CONFLICT DO NOTHING
       RETURNING interaction_id
     ),
     created AS (
       INSERT INTO interactions (id, type, title, body, occurred_at, status, source, email_event_id, organisation_id)
       SELECT c.interaction_id, 'email',
              CASE WHEN c.campaign IS NULL THEN 'Opened an email' ELSE 'Opened an email of campaign ' || c.campaign END,
              'Message ' || c.message_id || ' (' || c.provider || ').',
              c.occurred_at, 'done', 'email_event', c.id,
              (SELECT po.organisation_id FROM person_organisations po
               WHERE po.person_id = c.person_id AND po.is_primary)
       FROM candidates c JOIN claimed USING (interaction_id)
       RETURNING ${COLUMNS.join(', ')}
     ),
     participant AS (
       INSERT INTO interaction_participants (interaction_id, person_id, role, occurred_at)
       SELECT c.interaction_id, c.person_id, 'recipient', c.occurred_at
       FROM candidates c JOIN created ON created.id = c.interaction_id
       RETURNING id, interaction_id, user_id, person_id, role
     )
     SELECT created.*, jsonb_build_array(${PARTICIPANT_JSON}) AS participants
     FROM created
     JOIN participant ON participant.interaction_id = created.id
     LEFT JOIN users AS "user" ON "user".id = participant.user_id
     JOIN people AS person ON person.id = participant.person_id
     ORDER BY created.id`,
      [[...eventIds]],
    ),
  );
  for (const row of rows)
    await announce(deps, 'interaction.created', { ...row, overdue: isOverdue(row, now) });
}
