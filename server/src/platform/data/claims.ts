/**
 * Work requested as rows of a table (`status`: queued → running → succeeded | failed), run by
 * whichever worker claims a row first. A running row whose worker stopped touching `heartbeat_at`
 * for `staleAfterMs` is claimed again.
 */
import type { Knex } from './db';

/**
 * Claims the oldest queued (or abandoned) row of `table` with SKIP LOCKED, marks it running and
 * sets `changes` in the same statement; returns the `returning` columns, or null when none waits.
 */
export async function claimNext<Row>(
  trx: Knex.Transaction,
  table: string,
  options: { staleAfterMs: number; changes?: Record<string, unknown>; returning: string[] },
): Promise<Row | null> {
  const [row] = await trx(table)
    .where({ status: 'queued' })
    .orWhere((stale) =>
      stale
        .where({ status: 'running' })
        .andWhere(
          'heartbeat_at',
          '<',
          trx.raw('now() - make_interval(secs => ?)', [options.staleAfterMs / 1000]),
        ),
    )
    .orderBy('created_at')
    .limit(1)
    .forUpdate()
    .skipLocked()
    .select('id');
  if (!row) return null;
  const [claimed] = await trx(table)
    .where({ id: row.id })
    .update({
      status: 'running',
      started_at: trx.raw('COALESCE(started_at, now())'),
      heartbeat_at: trx.fn.now(),
      ...options.changes,
    })
    .returning(options.returning);
  return claimed as Row;
}
