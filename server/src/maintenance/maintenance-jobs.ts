/**
 * Hygiene: keeps the tables that only grow small — finished one-off jobs, idempotency keys past
 * their 24 hours, webhook signature tokens past their tolerance, finished lead-score recomputes
 * after 30 days, notifications read longer ago than the retention, heartbeats of workers gone for a
 * day, and the search words no record holds any more.
 */
import { pruneReplayTokens } from '../marketing';
import { pruneReadNotifications } from '../notifications';
import type { Knex } from '../platform/data/db';
import { pruneSearchWords } from '../platform/data/search';
import { type JobDefinition, pruneJobs } from '../platform/runtime/jobs';
import { pruneIdempotencyKeys } from '../platform/web/idempotency';
import { pruneFinishedRecomputes } from '../scoring';

/** Each table is pruned by the feature that owns it (migrations/owners.ts). */
export async function cleanUp(
  db: Knex,
  retention: { notificationDays: number },
): Promise<Record<string, number>> {
  const { jobs, heartbeats } = await pruneJobs(db);
  return {
    idempotency_keys: await pruneIdempotencyKeys(db),
    worker_heartbeats: heartbeats,
    notifications: await pruneReadNotifications(db, retention.notificationDays),
    jobs,
    webhook_replay_tokens: await pruneReplayTokens(db),
    scoring_recomputes: await pruneFinishedRecomputes(db),
    search_words: await pruneSearchWords(db),
  };
}
export function cleanupJob(
  db: Knex,
  retention: { notificationDays: number },
): JobDefinition<'maintenance.cleanup'> {
  return {
    name: 'maintenance.cleanup',
    every: '1 hour',
    maxRetries: 3,
    run: async (_data, context) => context.log.info(await cleanUp(db, retention), 'cleanup done'),
  };
}
