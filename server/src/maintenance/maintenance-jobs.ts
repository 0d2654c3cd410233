/**
 * Hygiene: keeps the tables that only grow small — finished one-off jobs, idempotency keys past
 * their 24 hours, and notifications read longer ago than the retention.
 */
import type { Knex } from '../platform/db';
import type { JobDefinition } from '../platform/jobs';

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
  return { idempotency_keys: idempotencyKeys, notifications, jobs };
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
