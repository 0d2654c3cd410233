/**
 * Lead scoring as a ledger. A person's entries are a pure function of their email events and the
 * rules (first open per message, daily caps, machine opens excluded…), so `rescorePeople`
 * recomputes that function for the people an ingest touched, writes the difference to
 * `lead_score_entries`, and rebuilds their `lead_scores` row from the ledger — in the caller's
 * transaction, with the people's rows locked so concurrent deliveries for one person serialise.
 * Arrival order, duplicates and retries therefore never change a score: live scoring, a replay
 * and a rescore under new rules all run the same function.
 */
import { notify } from '../notifications';
import type { Knex } from '../platform/db';
import { SCORE_EPOCH_SECONDS, type ScoringRules } from './scoring-rules';

export interface RescoreResult {
  /** People whose score crossed the hot threshold upwards (their owners were notified). */
  becameHot: string[];
}

/**
 * Recomputes the ledger and score of each person under `rules`; call inside a transaction.
 * `now` decides hot-threshold crossings.
 */
export async function rescorePeople(
  trx: Knex.Transaction,
  personIds: readonly string[],
  rules: ScoringRules,
  now: Date,
): Promise<RescoreResult> {
  const people = [...new Set(personIds)].sort();
  if (people.length === 0) return { becameHot: [] };
  // Lock each person's score row, creating it when missing, always in id order: no deadlocks.
  await trx.raw(
    `INSERT INTO lead_scores (person_id, rules_version)
     SELECT id, ? FROM unnest(?::uuid[]) AS p(id) ORDER BY id
     ON CONFLICT (person_id) DO NOTHING`,
    [rules.version, people],
  );
  await trx.raw(
    'SELECT person_id FROM lead_scores WHERE person_id = ANY(?::uuid[]) ORDER BY person_id FOR UPDATE',
    [people],
  );

  await trx.raw(
    `WITH rules AS (
       SELECT * FROM jsonb_to_recordset(?::jsonb) AS r(
         key text, event_type text, bounce_type text, points int,
         first_per_message boolean, exclude_machine_opens boolean, daily_cap int)
     ),
     candidates AS (
       SELECT e.id AS event_id, e.person_id, e.occurred_at, e.provider, e.dedupe_key, e.type,
              e.message_id, e.campaign, r.key AS rule_key, r.points, r.first_per_message, r.daily_cap,
              row_number() OVER (
                PARTITION BY e.person_id, r.key, e.provider, COALESCE(e.message_id, e.id::text)
                ORDER BY e.occurred_at, e.dedupe_key) AS nth_in_message
       FROM email_events e
       JOIN rules r ON r.event_type = e.type
                   AND (r.bounce_type IS NULL OR r.bounce_type = e.bounce_type)
                   AND NOT (r.exclude_machine_opens AND e.machine_open)
       WHERE e.person_id = ANY(?::uuid[])
     ),
     firsts AS (
       SELECT *, row_number() OVER (
                   PARTITION BY person_id, rule_key, date_trunc('day', occurred_at, 'UTC')
                   ORDER BY occurred_at, provider, dedupe_key) AS nth_in_day
       FROM candidates
       WHERE NOT first_per_message OR nth_in_message = 1
     ),
     desired AS (
       SELECT person_id, event_id, rule_key, points, occurred_at,
              concat(initcap(replace(type, '_', ' ')),
                     CASE WHEN first_per_message AND message_id IS NOT NULL
                          THEN ' (first for message ' || message_id || ')' END,
                     CASE WHEN campaign IS NOT NULL THEN ', campaign ' || campaign END,
                     ': ', CASE WHEN points > 0 THEN '+' ELSE '' END, points) AS reason
       FROM firsts
       WHERE daily_cap IS NULL OR nth_in_day <= daily_cap
     ),
     removed AS (
       DELETE FROM lead_score_entries l
       WHERE l.person_id = ANY(?::uuid[])
         AND NOT EXISTS (SELECT 1 FROM desired d WHERE d.event_id = l.event_id AND d.rule_key = l.rule_key)
     )
     INSERT INTO lead_score_entries (person_id, event_id, rule_key, rule_version, points, weight, occurred_at, reason)
     SELECT person_id, event_id, rule_key, ?, points,
            round(points * power(2::numeric, (extract(epoch FROM occurred_at) - ?) / ?), 12),
            occurred_at, reason
     FROM desired
     ORDER BY event_id, rule_key
     ON CONFLICT (event_id, rule_key) DO UPDATE
       SET rule_version = excluded.rule_version, points = excluded.points, weight = excluded.weight,
           reason = excluded.reason, person_id = excluded.person_id
       WHERE (lead_score_entries.rule_version, lead_score_entries.weight, lead_score_entries.person_id)
             IS DISTINCT FROM (excluded.rule_version, excluded.weight, excluded.person_id)`,
    [
      JSON.stringify(rules.rules),
      people,
      people,
      rules.version,
      SCORE_EPOCH_SECONDS,
      rules.half_life_days * 86_400,
    ],
  );

  // `before` is the row as it was when this statement began: its `hot` tells a crossing.
  const { rows } = await trx.raw<{
    rows: { person_id: string; owner_id: string | null; name: string; score: number }[];
  }>(
    `WITH totals AS (
       SELECT p.id AS person_id, COALESCE(sum(l.weight), 0) AS weighted, COALESCE(sum(l.points), 0) AS points,
              count(l.id) AS entries, max(l.occurred_at) AS last_event_at
       FROM unnest(?::uuid[]) AS p(id)
       LEFT JOIN lead_score_entries l ON l.person_id = p.id
       GROUP BY p.id
     ),
     scored AS (
       SELECT *, weighted::float8 * power(2::float8, -(extract(epoch FROM ?::timestamptz) - ?)::float8 / ?) AS score
       FROM totals
     ),
     updated AS (
       UPDATE lead_scores s
       SET weighted = scored.weighted, points = scored.points, entries = scored.entries,
           last_event_at = scored.last_event_at, rules_version = ?, updated_at = now(),
           hot = scored.score >= ?,
           hot_since = CASE WHEN scored.score < ? THEN NULL WHEN before.hot THEN before.hot_since ELSE ?::timestamptz END
       FROM scored, lead_scores before
       WHERE s.person_id = scored.person_id AND before.person_id = s.person_id
       RETURNING s.person_id, s.hot, before.hot AS was_hot, scored.score
     )
     SELECT u.person_id, p.owner_id, p.first_name || ' ' || p.last_name AS name, u.score
     FROM updated u JOIN people p ON p.id = u.person_id
     WHERE u.hot AND NOT u.was_hot
     ORDER BY u.person_id`,
    [
      people,
      now,
      SCORE_EPOCH_SECONDS,
      rules.half_life_days * 86_400,
      rules.version,
      rules.hot_threshold,
      rules.hot_threshold,
      now,
    ],
  );
  await notify(
    trx,
    rows
      .filter((row) => row.owner_id !== null)
      .map((row) => ({
        userId: row.owner_id!,
        type: 'lead.hot',
        payload: { person_id: row.person_id, name: row.name, score: Math.round(row.score * 100) / 100 },
      })),
  );
  return { becameHot: rows.map((row) => row.person_id) };
}
