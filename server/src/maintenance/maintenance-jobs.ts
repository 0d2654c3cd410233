/**
 * Hygiene: keeps the tables that only grow small — finished one-off jobs, idempotency keys past
 * their 24 hours, webhook signature tokens past their tolerance, finished lead-score recomputes
 * after 30 days, notifications read longer ago than the retention, heartbeats of workers gone for a
 * day, and the search words no record holds any more.
 */
import type { Knex } from '../platform/db';
import type { JobDefinition } from '../platform/jobs';
import { pruneSearchWords } from '../platform/search';

export async function cleanUp(
  db: Knex,
  retention: { notificationDays: number },
): Promise<Record<string, number>> {
  const idempotencyKeys = await db('idempotency_keys')
    .where('created_at', '<', db.raw("now() - interval '24 hours'"))
    .delete();
  const notifications = await db('notifications')
    .whereNotNull('read_at')
    .andWhere('read_at', '<', db.raw('now() - make_interval(days => ?)', [retention.notificationDays]))
    .delete();
  const jobs = (await db.raw("SELECT to_regclass('agenda_jobs') AS table")).rows[0]?.table
    ? await db('agenda_jobs')
        .where({ type: 'normal' })
        .whereNull('next_run_at')
        .whereNotNull('last_finished_at')
        .whereNull('failed_at')
        .delete()
    : 0;
  // A token older than the signature tolerance (5 minutes) can no longer be replayed anyway.
  const replayTokens = await db('webhook_replay_tokens')
    .where('seen_at', '<', db.raw("now() - interval '1 hour'"))
    .delete();
  const recomputes = await db('scoring_recomputes')
    .whereIn('status', ['succeeded', 'failed'])
    .andWhere('finished_at', '<', db.raw("now() - interval '30 days'"))
    .delete();
  const heartbeats = await db('worker_heartbeats')
    .where('beat_at', '<', db.raw("now() - interval '1 day'"))
    .delete();
  return {
    idempotency_keys: idempotencyKeys,
    worker_heartbeats: heartbeats,
    notifications,
    jobs,
    webhook_replay_tokens: replayTokens,
    scoring_recomputes: recomputes,
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
