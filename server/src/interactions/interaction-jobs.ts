/**
 * Reminders: when an open interaction's next action is due, its assignee is notified exactly
 * once. Due interactions are claimed in batches with FOR UPDATE SKIP LOCKED (two workers never
 * claim the same one), and each batch marks `reminder_sent_at` and writes the notifications in the
 * same transaction: a worker that dies mid-batch rolls the whole batch back for another to take.
 */
import { notify } from '../notifications';
import type { Logger } from '../platform/core/logger';
import { transaction } from '../platform/data/after-commit';
import type { Knex } from '../platform/data/db';
import type { JobDefinition } from '../platform/runtime/jobs';
import type { Mailer } from '../platform/runtime/mailer';
import type { ServiceDeps } from '../platform/runtime/service-deps';
import { interactionCacheTags } from './timeline-service';

export interface SentReminder {
  id: string;
  assignee_id: string;
  title: string;
  next_action_at: Date;
}

export interface ReminderOptions {
  batchSize: number;
  /** A pause inside each batch's transaction, before it commits; for failure tests only. */
  pauseMs?: number;
  /** Called between batches to keep the job's lock. */
  touch?: () => Promise<void>;
  /** Called with each batch once it has committed (reminder emails). */
  afterBatch?: (reminders: SentReminder[]) => Promise<void>;
  now?: () => Date;
}

/** Sends every due reminder; returns how many were sent. */
export async function dispatchDueReminders(deps: ServiceDeps, options: ReminderOptions): Promise<number> {
  let sent = 0;
  for (;;) {
    const batch = await transaction(deps.db, async (trx) => {
      const { rows } = await trx.raw<{
        rows: { id: string; assignee_id: string; title: string; next_action_at: Date }[];
      }>(
        `WITH due AS (
           SELECT id FROM interactions
           WHERE reminder_sent_at IS NULL AND status IN ('todo', 'in_progress') AND assignee_id IS NOT NULL
             AND next_action_at <= ?
           ORDER BY next_action_at
           LIMIT ?
           FOR UPDATE SKIP LOCKED
         )
         UPDATE interactions SET reminder_sent_at = now()
         FROM due WHERE interactions.id = due.id
         RETURNING interactions.id, interactions.assignee_id, interactions.title, interactions.next_action_at`,
        [options.now?.() ?? new Date(), options.batchSize],
      );
      if (rows.length === 0) return [];
      await deps.cache.invalidate(
        trx,
        await interactionCacheTags(
          trx,
          rows.map((row) => row.id),
        ),
      );
      await notify(
        { ...deps, db: trx },
        rows.map((row) => ({
          userId: row.assignee_id,
          type: 'interaction.reminder',
          payload: { interaction_id: row.id, title: row.title, next_action_at: row.next_action_at },
        })),
      );
      if (options.pauseMs) await new Promise((resolve) => setTimeout(resolve, options.pauseMs));
      return rows;
    });
    sent += batch.length;
    if (batch.length) await options.afterBatch?.(batch);
    if (batch.length < options.batchSize) return sent;
    await options.touch?.();
  }
}

/**
 * Emails each reminder to its assignee (best effort, after the batch committed): a failed email is
 * logged, and the notification stands.
 */
export function reminderEmails(
  db: Knex,
  mailer: Mailer,
  log: Logger,
): (reminders: SentReminder[]) => Promise<void> {
  return async (reminders) => {
    const users: { id: string; email: string; active: boolean }[] = await db('users')
      .whereIn('id', [...new Set(reminders.map((reminder) => reminder.assignee_id))])
      .select('id', 'email', 'active');
    const byId = new Map(users.map((user) => [user.id, user]));
    const results = await Promise.allSettled(
      reminders.map((reminder) => {
        const user = byId.get(reminder.assignee_id);
        if (!user?.active) return Promise.resolve();
        return mailer.send({
          to: user.email,
          subject: `Reminder: ${reminder.title}`,
          text: `The next action of "${reminder.title}" was due at ${reminder.next_action_at.toISOString()}.\nInteraction ${reminder.id}.`,
        });
      }),
    );
    const failed = results.filter((result) => result.status === 'rejected');
    if (failed.length)
      log.warn(
        { failed: failed.length, err: (failed[0] as PromiseRejectedResult).reason },
        'reminder emails failed',
      );
  };
}

export function reminderJob(
  deps: ServiceDeps,
  settings: { every: string; batchSize: number; pauseMs: number; mailer?: Mailer | null },
): JobDefinition<'reminders.dispatch'> {
  return {
    name: 'reminders.dispatch',
    every: settings.every,
    maxRetries: 3,
    run: async (_data, context) => {
      const sent = await dispatchDueReminders(deps, {
        batchSize: settings.batchSize,
        pauseMs: settings.pauseMs,
        touch: context.touch,
        afterBatch: settings.mailer ? reminderEmails(deps.db, settings.mailer, context.log) : undefined,
      });
      if (sent) context.log.info({ sent }, 'reminders sent');
    },
  };
}
