/**
 * Lead scoring as a ledger. A person's entries are a pure function of their email events and the
 * rules (first open per message, daily caps, machine opens excluded…), so `rescorePeople`
 * recomputes that function for the people an ingest touched, writes the difference to
 * `lead_score_entries`, and sets their `lead_scores` row to the sum of the new ledger — in the
 * caller's transaction, with the people's rows locked so concurrent deliveries for one person
 * serialise. Arrival order, duplicates and retries therefore never change a score: live scoring,
 * a replay and a rescore under new rules all run the same function.
 */
import { notify } from '../notifications';
import { preparedRows } from '../platform/data/sql';
import { tags } from '../platform/runtime/cache';
import type { ServiceDeps } from '../platform/runtime/service-deps';
import { presentRules, SCORE_EPOCH_SECONDS, type ScoringRules, scoreAt } from './scoring-rules';

export interface RescoreResult {
  /** People whose score crossed the hot threshold upwards (their owners were notified). */
  becameHot: string[];
}

/**
 * The ledger each person should have: every (event, rule) that scores, with its exact weight
 * points · 2^((occurred_at − epoch) / half-life). A weight depends only on the event and the rules'
 * version, so an entry already in the ledger under this version is `kept` with its weight instead
 * of computing the power again (numeric powers are most of this statement's time). Bindings: the
 * `settings` row (version, epoch, half-life s, the time of scoring, hot threshold), rules JSON,
 * people.
 */
const DESIRED_ENTRIES = `
  settings AS (
    SELECT ?::int AS version, ?::numeric AS epoch, ?::numeric AS half_life, ?::timestamptz AS scored_at,
           ?::float8 AS hot_threshold
  ),
  rules AS (
    SELECT * FROM jsonb_to_recordset(?::jsonb) AS r(
      key text, event_type text, bounce_type text, points int,
      first_per_message boolean, exclude_machine_opens boolean, daily_cap int)
  ),
  scored_people AS (SELECT unnest(?::uuid[]) AS id),
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
    WHERE e.person_id IN (SELECT id FROM scored_people)
  ),
  firsts AS (
    SELECT *, row_number() OVER (
                PARTITION BY person_id, rule_key, date_trunc('day', occurred_at, 'UTC')
                ORDER BY occurred_at, provider, dedupe_key) AS nth_in_day
    FROM candidates
    WHERE NOT first_per_message OR nth_in_message = 1
  ),
  desired AS MATERIALIZED (
    SELECT f.person_id, f.event_id, f.rule_key, f.points, f.occurred_at,
           CASE WHEN kept.rule_version = cfg.version THEN kept.weight
                ELSE round(f.points * power(2::numeric, (extract(epoch FROM f.occurred_at) - cfg.epoch) / cfg.half_life), 12)
           END AS weight,
           COALESCE(kept.rule_version = cfg.version AND kept.person_id = f.person_id, false) AS kept,
           concat(initcap(replace(f.type, '_', ' ')),
                  CASE WHEN f.first_per_message AND f.message_id IS NOT NULL
                       THEN ' (first for message ' || f.message_id || ')' END,
                  CASE WHEN f.campaign IS NOT NULL THEN ', campaign ' || f.campaign END,
                  ': ', CASE WHEN f.points > 0 THEN '+' ELSE '' END, f.points) AS reason
    FROM firsts f
    CROSS JOIN settings cfg
    LEFT JOIN lead_score_entries kept ON kept.event_id = f.event_id AND kept.rule_key = f.rule_key
    WHERE f.daily_cap IS NULL OR f.nth_in_day <= f.daily_cap
  )`;

/**
 * Recomputes the ledger and score of each person under `rules` (`'current'`: the version in force,
 * read by the statement that locks the people's scores); call inside a transaction. `now` decides
 * hot-threshold crossings.
 */
export async function rescorePeople(
  deps: ServiceDeps,
  personIds: readonly string[],
  given: ScoringRules | 'current',
  now: Date,
): Promise<RescoreResult> {
  const { db: trx, events, cache } = deps;
  const people = [...new Set(personIds)].sort();
  if (people.length === 0) return { becameHot: [] };
  // Creates each missing score row and locks the others, always in id order: no deadlocks.
  const [row] = await preparedRows<Record<string, unknown>>(
    trx,
    'relais_lock_lead_scores',
    trx.raw(
      `WITH rules AS (
         SELECT * FROM scoring_rules WHERE version = COALESCE(?::int, (SELECT max(version) FROM scoring_rules))
       ),
       locked AS (
         INSERT INTO lead_scores AS s (person_id, rules_version)
         SELECT id, (SELECT version FROM rules) FROM unnest(?::uuid[]) AS p(id) ORDER BY id
         ON CONFLICT (person_id) DO UPDATE SET updated_at = s.updated_at
       )
       SELECT * FROM rules`,
      [given === 'current' ? null : given.version, people],
    ),
  );
  const rules = given === 'current' ? presentRules(row!) : given;
  // One statement: the ledger's difference is written, and each score is set to the sum of the
  // ledger it now has (`desired`); `before` is the row as it was, so its `hot` tells a crossing.
  const rows = await preparedRows<{
    person_id: string;
    owner_id: string | null;
    name: string;
    score: number;
    hot: boolean;
    was_hot: boolean;
    previous_weighted: string;
  }>(
    trx,
    'relais_rescore_people',
    trx.raw(
      `WITH ${DESIRED_ENTRIES},
     -- What a weight is divided by to be a score now: computed once, not once per person.
     decay AS MATERIALIZED (
       SELECT power(2::numeric, (extract(epoch FROM scored_at) - epoch)::numeric / half_life) AS divisor FROM settings
     ),
     removed AS (
       DELETE FROM lead_score_entries l
       WHERE l.person_id IN (SELECT id FROM scored_people)
         AND (l.event_id, l.rule_key) NOT IN (SELECT event_id, rule_key FROM desired)
     ),
     written AS (
       INSERT INTO lead_score_entries (person_id, event_id, rule_key, rule_version, points, weight, occurred_at, reason)
       SELECT d.person_id, d.event_id, d.rule_key, cfg.version, d.points, d.weight, d.occurred_at, d.reason
       FROM desired d CROSS JOIN settings cfg
       WHERE NOT d.kept
       ORDER BY d.event_id, d.rule_key
       ON CONFLICT (event_id, rule_key) DO UPDATE
         SET rule_version = excluded.rule_version, points = excluded.points, weight = excluded.weight,
             reason = excluded.reason, person_id = excluded.person_id
         WHERE (lead_score_entries.rule_version, lead_score_entries.weight, lead_score_entries.person_id)
               IS DISTINCT FROM (excluded.rule_version, excluded.weight, excluded.person_id)
     ),
     totals AS (
       SELECT p.id AS person_id, COALESCE(sum(d.weight), 0) AS weighted, COALESCE(sum(d.points), 0) AS points,
              count(d.event_id) AS entries, max(d.occurred_at) AS last_event_at,
              -- In numeric, divided: weights outgrow a double long before they outgrow numeric.
              (COALESCE(sum(d.weight), 0) / min(decay.divisor))::float8 AS score
       FROM scored_people p CROSS JOIN decay LEFT JOIN desired d ON d.person_id = p.id
       GROUP BY p.id
     ),
     updated AS (
       UPDATE lead_scores s
       SET weighted = totals.weighted, points = totals.points, entries = totals.entries,
           last_event_at = totals.last_event_at, rules_version = cfg.version, updated_at = now(),
           hot = totals.score >= cfg.hot_threshold,
           hot_since = CASE WHEN totals.score < cfg.hot_threshold THEN NULL
                            WHEN before.hot THEN before.hot_since ELSE cfg.scored_at END
       FROM totals, lead_scores before, settings cfg
       WHERE s.person_id = totals.person_id AND before.person_id = s.person_id
       RETURNING s.person_id, s.hot, before.hot AS was_hot, totals.score, before.weighted AS previous_weighted,
                 s.weighted IS DISTINCT FROM before.weighted OR s.hot IS DISTINCT FROM before.hot AS changed
     )
     SELECT u.person_id, p.owner_id, p.first_name || ' ' || p.last_name AS name, u.score, u.hot, u.was_hot,
            u.previous_weighted
     FROM updated u JOIN people p ON p.id = u.person_id
     WHERE u.changed
     ORDER BY u.person_id`,
      [
        rules.version,
        SCORE_EPOCH_SECONDS,
        rules.half_life_days * 86_400,
        now,
        rules.hot_threshold,
        JSON.stringify(rules.rules),
        people,
      ],
    ),
  );
  const becameHot = rows.filter((row) => row.hot && !row.was_hot);
  await notify(
    deps,
    becameHot
      .filter((row) => row.owner_id !== null)
      .map((row) => ({
        userId: row.owner_id!,
        type: 'lead.hot',
        payload: { person_id: row.person_id, name: row.name, score: Math.round(row.score * 100) / 100 },
      })),
  );
  const round = (score: number) => Math.round(score * 10_000) / 10_000;
  await cache.invalidate(trx, rows.length ? [tags.scores] : []);
  await events.publish(
    trx,
    rows.map((row) => ({
      type: 'lead_score.changed',
      data: {
        person_id: row.person_id,
        score: round(row.score),
        previous_score: round(scoreAt(row.previous_weighted, rules.half_life_days, now)),
        hot: row.hot,
      },
      audience: { resource: 'lead_scores', personIds: [row.person_id] },
    })),
  );
  return { becameHot: becameHot.map((row) => row.person_id) };
}
