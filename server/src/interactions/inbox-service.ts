/**
 * The inbox: a user's open interactions (todo, in progress), by when their next action is due in
 * the user's time zone — overdue (before now), due today (from now to local midnight), upcoming
 * (after local midnight), or no date — with a count per bucket. Local day bounds are computed by
 * PostgreSQL, which knows every zone's rules.
 */
import type { Knex } from '../platform/data/db';
import { keysetPage, type Page } from '../platform/data/pagination';
import { usableTimeZone } from '../platform/data/time-zone';
import { COLUMNS, type InteractionRow, OPEN_STATUSES } from './interaction-repository';
import { type Interaction, present } from './interaction-service';

export const INBOX_BUCKETS = ['overdue', 'today', 'upcoming', 'no_date'] as const;
export type InboxBucket = (typeof INBOX_BUCKETS)[number];

export interface Inbox extends Page<Interaction> {
  user_id: string;
  time_zone: string;
  counts: Record<InboxBucket | 'total', number>;
}

export async function getInbox(
  db: Knex,
  request: {
    userId: string;
    timeZone: string;
    bucket?: InboxBucket;
    limit: number;
    cursor?: string;
    now: Date;
  },
): Promise<Inbox> {
  const timeZone = await usableTimeZone(db, request.timeZone);
  const { rows } = await db.raw<{ rows: { tomorrow: Date }[] }>(
    `SELECT (date_trunc('day', ?::timestamptz AT TIME ZONE ?) + interval '1 day') AT TIME ZONE ? AS tomorrow`,
    [request.now, timeZone, timeZone],
  );
  const now = request.now;
  const tomorrow = rows[0]!.tomorrow;
  const open = () => db('interactions').where('assignee_id', request.userId).whereIn('status', OPEN_STATUSES);

  const [counted] = await open().select(
    db.raw('count(*) FILTER (WHERE next_action_at < ?) AS overdue', [now]),
    db.raw('count(*) FILTER (WHERE next_action_at >= ? AND next_action_at < ?) AS today', [now, tomorrow]),
    db.raw('count(*) FILTER (WHERE next_action_at >= ?) AS upcoming', [tomorrow]),
    db.raw('count(*) FILTER (WHERE next_action_at IS NULL) AS no_date'),
    db.raw('count(*) AS total'),
  );
  const counts = Object.fromEntries(
    Object.entries(counted ?? {}).map(([key, value]) => [key, Number(value)]),
  ) as Inbox['counts'];

  const query = open().select(COLUMNS).select('next_action_sort');
  if (request.bucket === 'overdue') query.where('next_action_at', '<', now);
  if (request.bucket === 'today')
    query.where('next_action_at', '>=', now).andWhere('next_action_at', '<', tomorrow);
  if (request.bucket === 'upcoming') query.where('next_action_at', '>=', tomorrow);
  if (request.bucket === 'no_date') query.whereNull('next_action_at');
  const page = await keysetPage<InteractionRow & { next_action_sort: Date }>(query, {
    tag: `inbox:${request.bucket ?? 'all'}`,
    sortColumn: 'next_action_sort',
    sortField: 'next_action_sort',
    idColumn: 'id',
    direction: 'asc',
    limit: request.limit,
    cursor: request.cursor,
  });
  const data = await present(
    db,
    page.data.map(({ next_action_sort: _sort, ...row }) => row),
    now,
  );
  return {
    user_id: request.userId,
    time_zone: timeZone,
    counts,
    data,
    next_cursor: page.next_cursor,
  };
}
