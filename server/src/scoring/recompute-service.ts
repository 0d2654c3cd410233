/**
 * Rescoring everyone after a rules change. A request is a row of `scoring_recomputes`; the
 * `scoring.recompute` job claims queued rows (or running ones whose worker stopped beating) with
 * SKIP LOCKED and rescores people in batches, each batch its own transaction, recording progress.
 * It works until no person is left on an older rules version, so scores written by an ingest that
 * still used the old rules are caught as well.
 */

import { NotFoundError } from '../platform/core/errors';
import { transaction } from '../platform/data/after-commit';
import { claimNext } from '../platform/data/claims';
import type { Knex } from '../platform/data/db';
import type { JobDefinition } from '../platform/runtime/jobs';
import type { ServiceDeps } from '../platform/runtime/service-deps';
import { currentRules, weightedFor } from './scoring-rules';
import { rescorePeople } from './scoring-service';

export interface ScoringRecompute {
  id: string;
  rules_version: number;
  status: 'queued' | 'running' | 'succeeded' | 'failed';
  people_total: number | null;
  people_done: number;
  error: string | null;
  created_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
}

const COLUMNS = [
  'id',
  'rules_version',
  'status',
  'people_total',
  'people_done',
  'error',
  'created_at',
  'started_at',
  'finished_at',
];

export async function requestRecompute(db: Knex, userId: string | null): Promise<ScoringRecompute> {
  const [row] = await db('scoring_recomputes')
    .insert({
      rules_version: db.raw('(SELECT max(version) FROM scoring_rules)'),
      requested_by: userId,
    })
    .returning(COLUMNS);
  return row;
}

export async function getRecompute(db: Knex, id: string): Promise<ScoringRecompute> {
  const row = await db('scoring_recomputes').where({ id }).first(COLUMNS);
  if (!row) throw new NotFoundError(`Recompute ${id} not found.`);
  return row;
}

export interface RecomputeOptions {
  batchSize: number;
  /** A running recompute without a heartbeat for this long is taken over. */
  staleAfterMs: number;
  now?: () => Date;
  touch?: () => Promise<void>;
}

/** Runs every pending recompute; returns how many people were rescored. */
export async function runPendingRecomputes(deps: ServiceDeps, options: RecomputeOptions): Promise<number> {
  const { db } = deps;
  let rescored = 0;
  for (;;) {
    const claimed = await transaction(db, async (trx) => {
      const row = await claimNext<{ id: string }>(trx, 'scoring_recomputes', {
        staleAfterMs: options.staleAfterMs,
        changes: {
          people_total: trx.raw(
            '(SELECT count(*) FROM lead_scores WHERE rules_version < (SELECT max(version) FROM scoring_rules))',
          ),
        },
        returning: ['id'],
      });
      return row?.id ?? null;
    });
    if (!claimed) return rescored;
    try {
      rescored += await rescoreOutdated(deps, claimed, options);
      await db('scoring_recomputes')
        .where({ id: claimed })
        .update({ status: 'succeeded', finished_at: db.fn.now(), heartbeat_at: db.fn.now() });
    } catch (error) {
      await db('scoring_recomputes')
        .where({ id: claimed })
        .update({ status: 'failed', error: (error as Error).message, finished_at: db.fn.now() });
      throw error;
    }
  }
}

async function rescoreOutdated(
  deps: ServiceDeps,
  recomputeId: string,
  options: RecomputeOptions,
): Promise<number> {
  let done = 0;
  for (;;) {
    const batch = await transaction(deps.db, async (trx) => {
      const rules = await currentRules(trx);
      const people: string[] = await trx('lead_scores')
        .where('rules_version', '<', rules.version)
        .orderBy('person_id')
        .limit(options.batchSize)
        .forUpdate()
        .skipLocked()
        .pluck('person_id');
      if (people.length === 0) return 0;
      await rescorePeople({ ...deps, db: trx }, people, rules, options.now?.() ?? new Date());
      await trx('scoring_recomputes')
        .where({ id: recomputeId })
        .update({ people_done: trx.raw('people_done + ?', [people.length]), heartbeat_at: trx.fn.now() });
      return people.length;
    });
    done += batch;
    if (batch === 0) return done;
    await options.touch?.();
  }
}

/**
 * The nightly pass: rescores anyone still on older rules, and clears `hot` where decay alone took
 * a score under the threshold, so the next crossing notifies the owner again.
 */
export async function refreshScores(
  deps: ServiceDeps,
  options: RecomputeOptions,
): Promise<Record<string, number>> {
  const { db } = deps;
  const pending = await db('scoring_recomputes')
    .whereIn('status', ['queued', 'running'])
    .count({ count: '*' });
  if (Number(pending[0]?.count ?? 0) === 0) {
    const outdated = await db('lead_scores')
      .where('rules_version', '<', db('scoring_rules').max('version'))
      .count({ count: '*' });
    if (Number(outdated[0]?.count ?? 0) > 0) await requestRecompute(db, null);
  }
  const rescored = await runPendingRecomputes(deps, options);
  const rules = await currentRules(db);
  const cooled = await db('lead_scores')
    .where({ hot: true })
    .andWhere(
      'weighted',
      '<',
      weightedFor(db, rules.hot_threshold, rules.half_life_days, options.now?.() ?? new Date()),
    )
    .update({ hot: false, hot_since: null, updated_at: db.fn.now() });
  return { rescored, cooled };
}

export function recomputeJob(
  deps: ServiceDeps,
  options: RecomputeOptions & { every: string },
): JobDefinition<'scoring.recompute'> {
  return {
    name: 'scoring.recompute',
    every: options.every,
    run: async (_data, context) => {
      const rescored = await runPendingRecomputes(deps, { ...options, touch: context.touch });
      if (rescored > 0) context.log.info({ rescored }, 'lead scores recomputed');
    },
  };
}

export function refreshJob(deps: ServiceDeps, options: RecomputeOptions): JobDefinition<'scoring.refresh'> {
  return {
    name: 'scoring.refresh',
    every: '1 day',
    maxRetries: 3,
    run: async (_data, context) =>
      context.log.info(
        await refreshScores(deps, { ...options, touch: context.touch }),
        'lead scores refreshed',
      ),
  };
}

/** Forgets recomputes finished more than 30 days ago; returns how many. */
export function pruneFinishedRecomputes(db: Knex): Promise<number> {
  return db('scoring_recomputes')
    .whereIn('status', ['succeeded', 'failed'])
    .andWhere('finished_at', '<', db.raw("now() - interval '30 days'"))
    .delete();
}
