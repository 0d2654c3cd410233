/**
 * Interactions that email events make: the first human open of a message by a known person becomes
 * one `email` interaction (source `email_event`), announced like any other interaction. The
 * primary key of `email_open_interactions` claims (person, message) once, so concurrent deliveries
 * and later opens create nothing more.
 */
import type { ServiceDeps } from '../platform/runtime/service-deps';
import { COLUMNS, type InteractionRow } from './interaction-repository';
import { announce, present } from './interaction-service';

/**
 * Creates the interactions of the given `opened` events that are first human opens; call with the
 * ingest transaction as `deps.db`. Each is published (`interaction.created`) and its cached reads invalidated
 * once that transaction commits.
 */
export async function createEmailOpenInteractions(
  deps: ServiceDeps,
  eventIds: readonly string[],
  now: Date,
): Promise<void> {
  if (eventIds.length === 0) return;
  const trx = deps.db;
  const { rows } = await trx.raw<{ rows: InteractionRow[] }>(
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
     participants AS (
       INSERT INTO interaction_participants (interaction_id, person_id, role, occurred_at)
       SELECT c.interaction_id, c.person_id, 'recipient', c.occurred_at
       FROM candidates c JOIN created ON created.id = c.interaction_id
     )
     SELECT * FROM created ORDER BY id`,
    [[...eventIds]],
  );
  if (rows.length === 0) return;
  const presented = await present(trx, rows, now);
  for (const interaction of presented) await announce(deps, 'interaction.created', interaction);
}
