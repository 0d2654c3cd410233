/**
 * Scoring rules: which email events earn or cost points. Versioned in `scoring_rules`; the newest
 * version is in force. A rule matches an event type (and for bounces a bounce type); it may count
 * only the first event per message, ignore machine opens, and cap how many of its events score
 * per person per UTC day.
 */

import { transaction } from '../platform/data/after-commit';
import type { Knex } from '../platform/data/db';
import { tags } from '../platform/runtime/cache';
import type { ServiceDeps } from '../platform/runtime/service-deps';
import type { SpecSchema } from '../platform/web/spec-types';

export interface ScoringRule {
  key: string;
  event_type: SpecSchema<'EmailEventType'>;
  bounce_type?: 'hard' | 'soft' | null;
  points: number;
  first_per_message: boolean;
  exclude_machine_opens: boolean;
  daily_cap: number | null;
}

export interface ScoringRules {
  version: number;
  rules: ScoringRule[];
  half_life_days: number;
  hot_threshold: number;
  created_by: string | null;
  created_at: Date;
}

/** Scores decay from this instant: weight = points · 2^((occurred_at − epoch) / half-life). */
export const SCORE_EPOCH_SECONDS = Date.UTC(2025, 0, 1) / 1000;

export async function currentRules(db: Knex): Promise<ScoringRules> {
  const row = await db('scoring_rules').orderBy('version', 'desc').first();
  return presentRules(row);
}

export async function rulesVersion(db: Knex, version: number): Promise<ScoringRules | null> {
  const row = await db('scoring_rules').where({ version }).first();
  return row ? presentRules(row) : null;
}

/** Writes the next version; the caller then rescores everyone under it. */
export async function saveRules(
  { db, cache }: ServiceDeps,
  input: Pick<ScoringRules, 'rules' | 'half_life_days' | 'hot_threshold'>,
  userId: string | null,
): Promise<ScoringRules> {
  return transaction(db, async (trx) => {
    // One writer at a time, so two changes never take the same version number.
    await trx.raw('LOCK TABLE scoring_rules IN SHARE ROW EXCLUSIVE MODE');
    const [row] = await trx('scoring_rules')
      .insert({
        version: trx.raw('(SELECT COALESCE(max(version), 0) + 1 FROM scoring_rules)'),
        rules: JSON.stringify(input.rules.map(normaliseRule)),
        half_life_days: input.half_life_days,
        hot_threshold: input.hot_threshold,
        created_by: userId,
      })
      .returning('*');
    // The hot threshold and half-life decide which leads are hot.
    await cache.invalidate(trx, [tags.scores]);
    return presentRules(row);
  });
}

function normaliseRule(rule: ScoringRule): ScoringRule {
  return {
    key: rule.key,
    event_type: rule.event_type,
    bounce_type: rule.bounce_type ?? null,
    points: rule.points,
    first_per_message: rule.first_per_message ?? false,
    exclude_machine_opens: rule.exclude_machine_opens ?? false,
    daily_cap: rule.daily_cap ?? null,
  };
}

/** A `scoring_rules` row as the rules it holds. */
export function presentRules(row: Record<string, unknown>): ScoringRules {
  return {
    version: Number(row.version),
    rules: (row.rules as ScoringRule[]).map(normaliseRule),
    half_life_days: Number(row.half_life_days),
    hot_threshold: Number(row.hot_threshold),
    created_by: (row.created_by as string | null) ?? null,
    created_at: row.created_at as Date,
  };
}

/**
 * The decayed score at `at` of a person whose ledger weighs `weighted` (PostgreSQL's numeric text,
 * which outgrows a double after about 1,000 half-lives: then it is read as a logarithm).
 */
export function scoreAt(weighted: string | number, halfLifeDays: number, at: Date): number {
  const halfLives = halfLivesSinceEpoch(halfLifeDays, at);
  const value = Number(weighted);
  if (Number.isFinite(value)) return value * 2 ** -halfLives;
  return Math.sign(value) * 2 ** (log2OfDecimal(String(weighted)) - halfLives);
}

/**
 * The `weighted` a current score of `score` corresponds to at `at` (for `min_score` filters), as
 * SQL computing it in numeric: it may be far beyond a double's range.
 */
export function weightedFor(db: Knex, score: number, halfLifeDays: number, at: Date): Knex.Raw {
  return db.raw('(?::numeric * power(2::numeric, ?::numeric))', [
    score,
    halfLivesSinceEpoch(halfLifeDays, at),
  ]);
}

function halfLivesSinceEpoch(halfLifeDays: number, at: Date): number {
  return (at.getTime() / 1000 - SCORE_EPOCH_SECONDS) / (halfLifeDays * 86_400);
}

/** log2 of a plain decimal string too large for a double ("1234…5678.9"). */
function log2OfDecimal(text: string): number {
  const [whole = '0'] = text.replace(/^-/, '').split('.');
  const digits = whole.replace(/^0+/, '');
  const leading = Number(`${digits.slice(0, 1)}.${digits.slice(1, 17)}`);
  return (Math.log10(leading) + digits.length - 1) * Math.LOG2E * Math.LN10;
}
