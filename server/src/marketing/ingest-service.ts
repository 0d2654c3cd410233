/**
 * Persist, then acknowledge. A batch of normalised events is stored in one transaction:
 * insert-or-ignore on UNIQUE (provider, dedupe_key), per-message status folded into
 * `email_messages`, the interaction of a first human open, and the ledger and score of every person
 * touched. Rows are always taken in key order, so concurrent batches wait for each other instead
 * of deadlocking. If anything fails nothing is kept and the caller answers 503: the provider
 * retries, and the retry is deduplicated.
 */

import { createEmailOpenInteractions } from '../interactions';
import type { WaitingForAddress } from '../people';
import { transaction } from '../platform/data/after-commit';
import type { Knex } from '../platform/data/db';
import { preparedRows } from '../platform/data/sql';
import { tags } from '../platform/runtime/cache';
import { webhookEvents } from '../platform/runtime/metrics';
import type { ServiceDeps } from '../platform/runtime/service-deps';
import { erasedAmong } from '../privacy';
import { rescorePeople } from '../scoring';
import type { NormalisedEvent } from './email-events';

export interface IngestResult {
  received: number;
  stored: number;
  duplicates: number;
  /** Events for an erased person's address, dropped unread (absent when none). */
  discarded?: number;
}

/** Rank in the delivery funnel; a message's status only ever moves up it. */
const STATUS_RANK_SQL = `CASE WHEN type = 'clicked' THEN 4
                              WHEN type = 'opened' AND NOT machine_open THEN 3
                              WHEN type = 'delivered' THEN 2
                              WHEN type = 'sent' THEN 1 ELSE 0 END`;

export async function ingestEvents(
  deps: ServiceDeps,
  events: readonly NormalisedEvent[],
  options: {
    now: Date;
    /** A one-time signature token (Mailgun): a second use rolls the whole delivery back. */
    replayToken?: { provider: string; token: string };
    onReplay?: () => Error;
  },
): Promise<IngestResult> {
  const result = await transaction(deps.db, async (trx) => {
    if (options.replayToken) {
      const { rows } = await trx.raw(
        'INSERT INTO webhook_replay_tokens (provider, token) VALUES (?, ?) ON CONFLICT DO NOTHING RETURNING token',
        [options.replayToken.provider, options.replayToken.token],
      );
      if (rows.length === 0) throw options.onReplay?.() ?? new Error('replayed delivery');
    }
    // An erased person's address never comes back through a late event.
    const erased = await erasedAmong(
      trx,
      events.map((event) => event.recipient),
    );
    const kept = erased.size
      ? events.filter((event) => !erased.has(event.recipient.trim().toLowerCase()))
      : events;
    const inserted = kept.length ? await insertEvents(trx, kept) : [];
    await applyEvents({ ...deps, db: trx }, inserted, options.now);
    const discarded = events.length - kept.length;
    return {
      inserted,
      kept,
      counts: {
        received: events.length,
        stored: inserted.length,
        duplicates: kept.length - inserted.length,
        ...(discarded ? { discarded } : {}),
      },
    };
  });
  countEvents(result.kept, result.inserted);
  const kept = new Set(result.kept);
  for (const event of events)
    if (!kept.has(event))
      webhookEvents.inc({ provider: event.provider, type: event.type, outcome: 'discarded' });
  return result.counts;
}

/** Webhook metrics: each kept event, by provider and type, as stored or duplicate. */
function countEvents(events: readonly NormalisedEvent[], inserted: readonly StoredEvent[]): void {
  const stored = new Map<string, number>();
  for (const event of inserted) stored.set(event.type, (stored.get(event.type) ?? 0) + 1);
  for (const event of events) {
    const left = stored.get(event.type) ?? 0;
    if (left > 0) stored.set(event.type, left - 1);
    webhookEvents.inc({
      provider: event.provider,
      type: event.type,
      outcome: left > 0 ? 'stored' : 'duplicate',
    });
  }
}

interface StoredEvent {
  id: string;
  person_id: string | null;
  type: string;
  machine_open: boolean;
  message_id: string | null;
  /** The person's organisations, whose timelines show the event. */
  organisation_ids: string[];
}

/** What a statement storing events returns of each (`event` being the stored row). */
const STORED_EVENT = `event.id, event.person_id, event.type, event.machine_open, event.message_id,
  ARRAY(SELECT po.organisation_id FROM person_organisations po WHERE po.person_id = event.person_id) AS organisation_ids`;

async function insertEvents(
  trx: Knex.Transaction,
  events: readonly NormalisedEvent[],
): Promise<StoredEvent[]> {
  // Built as text so each event's raw JSON goes to PostgreSQL untouched (numbers beyond 2^53).
  const batch = `[${events
    .map(
      (event) =>
        `{"provider":${JSON.stringify(event.provider)},"dedupe_key":${JSON.stringify(event.dedupe_key)},` +
        `"type":${JSON.stringify(event.type)},"provider_event":${JSON.stringify(event.provider_event)},` +
        `"recipient":${JSON.stringify(event.recipient)},"message_id":${JSON.stringify(event.message_id)},` +
        `"campaign":${JSON.stringify(event.campaign)},"url":${JSON.stringify(event.url)},` +
        `"bounce_type":${JSON.stringify(event.bounce_type)},"machine_open":${event.machine_open},` +
        `"occurred_at":${JSON.stringify(event.occurred_at.toISOString())},"raw":${event.raw}}`,
    )
    .join(',')}]`;
  return preparedRows<StoredEvent>(
    trx,
    'relais_ingest_email_events',
    trx.raw(
      `WITH inserted AS (
       INSERT INTO email_events (provider, dedupe_key, type, provider_event, recipient, person_id,
                                 message_id, campaign, url, bounce_type, machine_open, occurred_at, raw)
       SELECT v.provider, v.dedupe_key, v.type, v.provider_event, v.recipient,
              (SELECT p.id FROM people p WHERE p.email = v.recipient::citext),
              v.message_id, v.campaign, v.url, v.bounce_type, v.machine_open, v.occurred_at, v.raw
       FROM jsonb_to_recordset(?::jsonb) AS v(
         provider text, dedupe_key text, type text, provider_event text, recipient text, message_id text,
         campaign text, url text, bounce_type text, machine_open boolean, occurred_at timestamptz, raw jsonb)
       ORDER BY v.provider, v.dedupe_key
       ON CONFLICT (provider, dedupe_key) DO NOTHING
       RETURNING *
     ),
     messages AS (
       INSERT INTO email_messages AS m (provider, message_id, recipient, person_id, campaign, status_rank,
         bounced, bounce_type, dropped, unsubscribed, spam_complaint, open_count, click_count,
         first_event_at, last_event_at, first_opened_at, first_clicked_at)
       SELECT provider, message_id, recipient, (array_agg(person_id) FILTER (WHERE person_id IS NOT NULL))[1],
              max(campaign), max(${STATUS_RANK_SQL}),
              bool_or(type = 'bounced'), max(bounce_type), bool_or(type = 'dropped'),
              bool_or(type = 'unsubscribed'), bool_or(type = 'spam_complaint'),
              count(*) FILTER (WHERE type = 'opened' AND NOT machine_open), count(*) FILTER (WHERE type = 'clicked'),
              min(occurred_at), max(occurred_at),
              min(occurred_at) FILTER (WHERE type = 'opened' AND NOT machine_open),
              min(occurred_at) FILTER (WHERE type = 'clicked')
       FROM inserted
       WHERE message_id IS NOT NULL
       GROUP BY provider, message_id, recipient
       ORDER BY provider, message_id, recipient
       ON CONFLICT (provider, message_id, recipient) DO UPDATE SET
         person_id = COALESCE(m.person_id, excluded.person_id),
         campaign = COALESCE(m.campaign, excluded.campaign),
         status_rank = GREATEST(m.status_rank, excluded.status_rank),
         bounced = m.bounced OR excluded.bounced,
         bounce_type = COALESCE(m.bounce_type, excluded.bounce_type),
         dropped = m.dropped OR excluded.dropped,
         unsubscribed = m.unsubscribed OR excluded.unsubscribed,
         spam_complaint = m.spam_complaint OR excluded.spam_complaint,
         open_count = m.open_count + excluded.open_count,
         click_count = m.click_count + excluded.click_count,
         first_event_at = LEAST(m.first_event_at, excluded.first_event_at),
         last_event_at = GREATEST(m.last_event_at, excluded.last_event_at),
         first_opened_at = LEAST(m.first_opened_at, excluded.first_opened_at),
         first_clicked_at = LEAST(m.first_clicked_at, excluded.first_clicked_at)
     )
     SELECT ${STORED_EVENT} FROM inserted AS event`,
      [batch],
    ),
  );
}

/**
 * What follows from events now linked to people: the interaction of each first human open, and
 * the people's ledgers and scores. Used after an ingest and when a new person claims the events
 * that arrived before them.
 */
async function applyEvents(deps: ServiceDeps, events: readonly StoredEvent[], now: Date): Promise<void> {
  const { db: trx, cache } = deps;
  const linked = events.filter((event) => event.person_id !== null);
  if (linked.length === 0) return;
  const humanOpens = linked.filter(
    (event) => event.type === 'opened' && !event.machine_open && event.message_id !== null,
  );
  await createEmailOpenInteractions(
    deps,
    humanOpens.map((event) => event.id),
    now,
  );
  const people = [...new Set(linked.map((event) => event.person_id!))];
  await rescorePeople(deps, people, 'current', now);
  // Their timelines, and their organisations' (which show members' email events), are stale.
  const organisations = new Set(linked.flatMap((event) => event.organisation_ids));
  await cache.invalidate(trx, [
    ...people.map((id) => tags.personTimeline(id)),
    ...[...organisations].map((id) => tags.organisationTimeline(id)),
  ]);
}

/**
 * Email events that arrived before anyone had their address wait for their person. A person given
 * the address (created, imported or changed) claims them: each is linked, first human opens become
 * interactions, and the person is scored. Handed to the people routes and the imports where the
 * process is assembled (`server/src/services.ts`).
 */
export const emailEventsWaiting: WaitingForAddress = {
  exists: (db, email) =>
    db.raw('EXISTS (SELECT 1 FROM email_events WHERE recipient = ?::citext AND person_id IS NULL)', [email]),

  async among(db, emails) {
    if (emails.length === 0) return new Set();
    // The addresses as given (an event's recipient may differ in case), each looked up by index.
    const { rows } = await db.raw<{ rows: Array<{ email: string }> }>(
      `SELECT email::text FROM unnest(?::citext[]) AS email
       WHERE EXISTS (SELECT 1 FROM email_events WHERE recipient = email AND person_id IS NULL)`,
      [[...emails]],
    );
    return new Set(rows.map((row) => row.email));
  },

  /** Call in the transaction that creates the person or changes their email. */
  async claim(deps, personId, email, now) {
    const trx = deps.db;
    const { rows } = await trx.raw<{ rows: StoredEvent[] }>(
      `UPDATE email_events AS event SET person_id = ? WHERE recipient = ?::citext AND person_id IS NULL
       RETURNING ${STORED_EVENT}`,
      [personId, email],
    );
    if (rows.length === 0) return;
    await trx.raw(
      'UPDATE email_messages SET person_id = ? WHERE recipient = ?::citext AND person_id IS NULL',
      [personId, email],
    );
    await applyEvents(deps, rows, now);
  },
};

/** Forgets signature tokens seen more than an hour ago (past the 5-minute tolerance, they cannot be replayed); returns how many. */
export function pruneReplayTokens(db: Knex): Promise<number> {
  return db('webhook_replay_tokens').where('seen_at', '<', db.raw("now() - interval '1 hour'")).delete();
}
