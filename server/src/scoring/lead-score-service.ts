/** Reading scores: hot leads, and one person's score with its trend and ledger. */

import { NotFoundError } from '../platform/core/errors';
import type { Knex } from '../platform/data/db';
import { keysetPage, type Page } from '../platform/data/pagination';
import { currentRules, scoreAt, weightedFor } from './scoring-rules';

export interface LeadScore {
  person_id: string;
  person: {
    id: string;
    first_name: string;
    last_name: string;
    email: string | null;
    owner_id: string | null;
    owner_name: string | null;
  };
  score: number;
  score_7d_ago: number;
  points: number;
  entries: number;
  hot: boolean;
  last_event_at: Date | null;
}

const round = (value: number) => Math.round(value * 100) / 100;
const WEEK_MS = 7 * 86_400_000;

export async function listLeadScores(
  db: Knex,
  filters: {
    limit: number;
    cursor?: string;
    min_score?: number;
    owner_id?: string;
    /** Only people at or above the hot threshold of the rules in force. */
    hot_only?: boolean;
  },
  now: Date,
): Promise<Page<LeadScore>> {
  const rules = await currentRules(db);
  const weekAgo = new Date(now.getTime() - WEEK_MS);
  const query = db('lead_scores')
    .join('people', 'people.id', 'lead_scores.person_id')
    .leftJoin('users', 'users.id', 'people.owner_id')
    .where('lead_scores.entries', '>', 0)
    .select(
      'lead_scores.person_id as id',
      'lead_scores.weighted',
      'lead_scores.points',
      'lead_scores.entries',
      'lead_scores.last_event_at',
      'people.first_name',
      'people.last_name',
      'people.email',
      'people.owner_id',
      'users.name as owner_name',
      // What the ledger held a week ago, for the trend: the entries are indexed by person and time.
      db.raw(
        `(SELECT COALESCE(sum(e.weight), 0) FROM lead_score_entries e
          WHERE e.person_id = lead_scores.person_id AND e.occurred_at < ?) AS weighted_7d_ago`,
        [weekAgo],
      ),
    );
  // Ordering by `weighted` is ordering by the score now; a minimum score is a minimum weight.
  const minScore = filters.hot_only
    ? Math.max(filters.min_score ?? -Infinity, rules.hot_threshold)
    : filters.min_score;
  if (minScore !== undefined)
    query.where('lead_scores.weighted', '>=', weightedFor(db, minScore, rules.half_life_days, now));
  if (filters.owner_id) query.where('people.owner_id', filters.owner_id);
  const page = await keysetPage<{
    id: string;
    weighted: string;
    points: number;
    entries: number;
    last_event_at: Date | null;
    first_name: string;
    last_name: string;
    email: string | null;
    owner_id: string | null;
    owner_name: string | null;
    weighted_7d_ago: string;
  }>(query, {
    tag: 'lead_scores:weighted:desc',
    sortColumn: 'lead_scores.weighted',
    sortField: 'weighted',
    idColumn: 'lead_scores.person_id',
    direction: 'desc',
    limit: filters.limit,
    cursor: filters.cursor,
  });
  return {
    data: page.data.map((row) => {
      const score = scoreAt(row.weighted, rules.half_life_days, now);
      return {
        person_id: row.id,
        person: {
          id: row.id,
          first_name: row.first_name,
          last_name: row.last_name,
          email: row.email,
          owner_id: row.owner_id,
          owner_name: row.owner_name,
        },
        score: round(score),
        score_7d_ago: round(scoreAt(row.weighted_7d_ago, rules.half_life_days, weekAgo)),
        points: row.points,
        entries: row.entries,
        hot: score >= rules.hot_threshold,
        last_event_at: row.last_event_at,
      };
    }),
    next_cursor: page.next_cursor,
  };
}

export async function personLeadScore(db: Knex, personId: string, entriesLimit: number, now: Date) {
  if (!(await db('people').where({ id: personId }).first('id')))
    throw new NotFoundError(`Person ${personId} not found.`);
  const rules = await currentRules(db);
  const row = await db('lead_scores').where({ person_id: personId }).first();
  const score = scoreAt(row?.weighted ?? 0, rules.half_life_days, now);
  const { rows: days } = await db.raw<{ rows: { date: string; day_end: Date; weighted: string }[] }>(
    `SELECT to_char(day, 'YYYY-MM-DD') AS date, day + interval '1 day' AS day_end,
            COALESCE(sum(l.weight), 0) AS weighted
     FROM generate_series(date_trunc('day', ?::timestamptz, 'UTC') - interval '89 days',
                          date_trunc('day', ?::timestamptz, 'UTC'), interval '1 day') AS day
     LEFT JOIN lead_score_entries l ON l.person_id = ? AND l.occurred_at < LEAST(day + interval '1 day', ?::timestamptz)
     GROUP BY day ORDER BY day`,
    [now, now, personId, now],
  );
  const entries = await db('lead_score_entries')
    .where({ person_id: personId })
    .orderBy([
      { column: 'occurred_at', order: 'desc' },
      { column: 'id', order: 'desc' },
    ])
    .limit(entriesLimit)
    .select('id', 'event_id', 'rule_key', 'rule_version', 'points', 'weight', 'occurred_at', 'reason');
  return {
    person_id: personId,
    score: round(score),
    points: row?.points ?? 0,
    hot: score >= rules.hot_threshold,
    hot_threshold: rules.hot_threshold,
    rules_version: row?.rules_version ?? rules.version,
    last_event_at: row?.last_event_at ?? null,
    trend: days.map((day) => ({
      date: day.date,
      score: round(
        scoreAt(day.weighted, rules.half_life_days, new Date(Math.min(day.day_end.getTime(), now.getTime()))),
      ),
    })),
    entries: entries.map(({ weight, ...entry }) => ({
      ...entry,
      score_now: Math.round(scoreAt(weight, rules.half_life_days, now) * 10_000) / 10_000,
    })),
  };
}
