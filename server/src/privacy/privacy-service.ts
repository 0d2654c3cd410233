/**
 * The GDPR rights of the people Relais holds.
 *
 * - Access (Art. 15): `exportPersonalData` gathers every row that concerns a person into one
 *   document.
 * - Erasure (Art. 17): `erasePerson` removes the person and every personal field that names them,
 *   in one transaction, then what lives outside PostgreSQL (cache entries, the realtime event
 *   stream) and the search words no record holds any more. It is the one operation that writes
 *   every feature's tables, on purpose: an erasure must be complete, and it is easier to check in
 *   one place.
 *
 * What names a person in free text: their full name (either order), their email and their phone.
 * A last name alone is not searched for — it may be someone else's.
 */
import { recordChange } from '../audit';
import type { RequestContext } from '../platform/core/context';
import { ForbiddenError, NotFoundError, ValidationError } from '../platform/core/errors';
import type { Logger } from '../platform/core/logger';
import { actingUser } from '../platform/core/principal';
import { transaction } from '../platform/data/after-commit';
import type { Knex } from '../platform/data/db';
import { pruneSearchWords } from '../platform/data/search';
import type { ServiceDeps } from '../platform/runtime/service-deps';
import { addTombstone } from './tombstones';

/** What replaces a name, an email or a phone number in text that stays. */
export const ERASED = '[erased]';
/** What an erased email event's recipient becomes (the column is required). */
const ERASED_RECIPIENT = 'erased@erased.invalid';

type Row = Record<string, unknown>;

interface PersonRow {
  id: string;
  first_name: string;
  last_name: string;
  email: string | null;
  phone: string | null;
  owner_id: string | null;
  created_by: string | null;
}

/** The strings that name this person in free text. */
export function namesOf(person: Pick<PersonRow, 'first_name' | 'last_name' | 'email' | 'phone'>): string[] {
  const names = new Set<string>();
  const first = person.first_name.trim();
  const last = person.last_name.trim();
  if (first && last) {
    names.add(`${first} ${last}`);
    names.add(`${last} ${first}`);
  } else if (`${first}${last}`.length >= 4) {
    names.add(first || last);
  }
  if (person.email) names.add(person.email.trim());
  // A phone number too short to be one would match unrelated digits.
  if (person.phone && person.phone.replace(/\D/g, '').length >= 6) names.add(person.phone.trim());
  return [...names];
}

/**
 * A regular expression matching any of `names`, to use case-insensitively; the same text serves
 * PostgreSQL (`~*`, `regexp_replace(…, 'gi')`) and JavaScript.
 */
function patternOf(names: readonly string[]): string {
  return names.map((name) => name.replace(/[\\^$.|?*+()[\]{}]/g, '\\$&')).join('|');
}

function redactText(text: string, names: readonly string[]): string {
  return text.replace(new RegExp(patternOf(names), 'gi'), ERASED);
}

/** Every string inside a JSON value with the names replaced; keys are kept. */
function redactJson(value: unknown, names: readonly string[]): unknown {
  if (typeof value === 'string') return redactText(value, names);
  if (Array.isArray(value)) return value.map((item) => redactJson(item, names));
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, redactJson(item, names)]));
  return value;
}

async function findPerson(db: Knex, id: string, lock = false): Promise<PersonRow> {
  const query = db('people').where({ id }).first();
  const person = (await (lock ? query.forUpdate() : query)) as PersonRow | undefined;
  if (!person) throw new NotFoundError(`Person ${id} not found.`);
  return person;
}

function columnsWithout(row: Row | undefined, ...columns: string[]): Row | undefined {
  if (!row) return row;
  const copy = { ...row };
  for (const column of columns) delete copy[column];
  return copy;
}

export interface PersonalDataExport {
  exported_at: string;
  person: Row;
  organisations: Row[];
  mandates: Row[];
  interactions: Row[];
  participations: Row[];
  email_events: Row[];
  email_messages: Row[];
  lead_score: Row | null;
  lead_score_entries: Row[];
  audit_entries: Row[];
}

/**
 * Everything Relais holds on a person. Admins may export anyone; a role whose reach is `own`
 * only the people it owns or created. The export is audited.
 */
export async function exportPersonalData(
  db: Knex,
  context: RequestContext,
  id: string,
  now: Date = new Date(),
): Promise<PersonalDataExport> {
  const person = await findPerson(db, id);
  if (context.reach !== 'all') {
    const user = actingUser(context.principal);
    if (!user || (person.owner_id !== user.id && person.created_by !== user.id))
      throw new ForbiddenError('You may export the personal data of the people you own or created only.');
  }
  const [links, memberships, participations, emailEvents, emailMessages, score, entries] = await Promise.all([
    db('person_organisations as po')
      .join('organisations as o', 'o.id', 'po.organisation_id')
      .where('po.person_id', id)
      .orderBy('o.name')
      .select(
        'o.id',
        'o.name',
        'o.type',
        'o.country',
        'po.role',
        'po.is_primary',
        'po.since',
        'po.until',
        'po.created_at as linked_at',
      ),
    db('person_organisations').where({ person_id: id }).pluck('organisation_id'),
    db('interaction_participants').where({ person_id: id }).orderBy('occurred_at'),
    db('email_events')
      .where((query) => {
        query.where({ person_id: id });
        if (person.email) query.orWhere('recipient', person.email);
      })
      .orderBy('occurred_at'),
    db('email_messages')
      .where((query) => {
        query.where({ person_id: id });
        if (person.email) query.orWhere('recipient', person.email);
      })
      .orderBy('first_event_at'),
    db('lead_scores').where({ person_id: id }).first(),
    db('lead_score_entries').where({ person_id: id }).orderBy('occurred_at'),
  ]);
  const [mandates, interactions, audit] = await Promise.all([
    memberships.length
      ? db('mandates').whereIn('organisation_id', memberships).orderBy('created_at')
      : Promise.resolve([]),
    db('interactions')
      .whereIn(
        'id',
        participations.map((row: Row) => row.interaction_id as string),
      )
      .orderBy('occurred_at'),
    db('audit_log')
      .where({ resource_id: id })
      .orWhere((query) => {
        if (person.email) query.whereRaw('changes::text ILIKE ?', [`%${likeEscape(person.email)}%`]);
        else query.whereRaw('false');
      })
      .orderBy('occurred_at'),
  ]);
  await recordChange(db, context, {
    action: 'export',
    resource: 'people',
    resourceId: id,
    changes: {},
  });
  return {
    exported_at: now.toISOString(),
    person: columnsWithout(person as unknown as Row, 'sort_name', 'search_text')!,
    organisations: links,
    mandates,
    interactions: interactions.map((row: Row) => columnsWithout(row, 'search_text', 'next_action_sort')!),
    participations,
    email_events: emailEvents,
    email_messages: emailMessages,
    lead_score: score ?? null,
    lead_score_entries: entries,
    audit_entries: audit,
  };
}

/** Adds `n` to `into[key]`; a zero leaves no key, so counts name only what changed. */
function count(into: Record<string, number>, key: string, n: number): void {
  if (n > 0) into[key] = (into[key] ?? 0) + n;
}

function likeEscape(text: string): string {
  return text.replace(/[\\%_]/g, '\\$&');
}

export interface ErasureResult {
  erased_at: string;
  removed: Record<string, number>;
  redacted: Record<string, number>;
}

/** Tables whose text the generic redaction leaves alone, and why. */
const NOT_REDACTED = new Set([
  'people', // the person's row is deleted
  'users', // staff accounts: another data subject, with its own lifecycle
  'email_events', // handled row by row below
  'email_messages',
  'search_words', // derived from the records' text; pruned after the erasure
  'search_words_dropped',
  'erased_emails',
  'relais_meta',
  'knex_migrations',
  'knex_migrations_lock',
  'backups',
  'worker_heartbeats',
  'webhook_replay_tokens',
  'idempotency_keys', // replayable responses that name the person are deleted instead
  'audit_log', // JSON, redacted below
  'notifications',
]);

/**
 * Erases a person for good. `confirm` must repeat the id. `context` is null from the command
 * line (recorded as the system). Returns counts by table; none names the person.
 */
export async function erasePerson(
  { db, cache, events }: ServiceDeps,
  context: RequestContext | null,
  id: string,
  options: { confirm: string; logger?: Logger; now?: Date },
): Promise<ErasureResult> {
  if (options.confirm !== id)
    throw new ValidationError('confirm must repeat the id of the person to erase.', {
      errors: [{ in: 'body', field: '/confirm', message: `must be ${id}, the id in the path` }],
    });
  const erasedAt = options.now ?? new Date();
  let names: string[] = [];
  const result = await transaction(db, async (trx) => {
    const person = await findPerson(trx, id, true);
    // The one change the audit log accepts: rewriting what entries recorded of the person.
    await trx.raw("SELECT set_config('relais.erasure', 'on', true)");
    names = namesOf(person);
    const pattern = patternOf(names);
    const removed: Record<string, number> = {};
    const redacted: Record<string, number> = {};
    // Rows that are about them and nobody else.
    for (const table of [
      'interaction_participants',
      'person_organisations',
      'email_open_interactions',
      'lead_score_entries',
      'lead_scores',
    ]) {
      count(removed, table, await trx(table).where({ person_id: id }).delete());
    }

    // Email events and summaries stay for the campaigns' counts, without anything personal.
    const ofThem = (query: Knex.QueryBuilder) => {
      query.where({ person_id: id });
      if (person.email) query.orWhere('recipient', person.email);
    };
    count(
      redacted,
      'email_events',
      await trx('email_events')
        .where(ofThem)
        .update({
          person_id: null,
          recipient: ERASED_RECIPIENT,
          url: null,
          raw: JSON.stringify({ erased: true }),
        }),
    );
    count(
      redacted,
      'email_messages',
      await trx('email_messages').where(ofThem).update({ person_id: null, recipient: ERASED_RECIPIENT }),
    );

    count(removed, 'people', await trx('people').where({ id }).delete());

    // Every other text that names them, in any table.
    if (names.length) {
      const { rows: columns } = await trx.raw<{ rows: Array<{ table_name: string; column_name: string }> }>(
        `SELECT c.table_name, c.column_name
           FROM information_schema.columns c
           JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
          WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE'
            AND c.is_generated = 'NEVER'
            AND (c.data_type IN ('text', 'character varying') OR c.udt_name = 'citext')
          ORDER BY c.table_name, c.column_name`,
      );
      const byTable = new Map<string, string[]>();
      for (const { table_name: table, column_name: column } of columns) {
        if (NOT_REDACTED.has(table)) continue;
        byTable.set(table, [...(byTable.get(table) ?? []), column]);
      }
      // One pass per table: every text column rewritten where it names them.
      for (const [table, columnsOf] of byTable) {
        const sets = columnsOf.map(
          () => `?? = CASE WHEN ?? ~* ? THEN regexp_replace(??, ?, ?, 'gi') ELSE ?? END`,
        );
        const changed = await trx.raw(
          `UPDATE ?? SET ${sets.join(', ')} WHERE ${columnsOf.map(() => '?? ~* ?').join(' OR ')}`,
          [
            table,
            ...columnsOf.flatMap((column) => [column, column, pattern, column, pattern, ERASED, column]),
            ...columnsOf.flatMap((column) => [column, pattern]),
          ],
        );
        count(redacted, table, changed.rowCount ?? 0);
      }

      // JSON: audit changes and notification payloads, string by string.
      for (const { table, column } of [
        { table: 'audit_log', column: 'changes' },
        { table: 'notifications', column: 'payload' },
      ]) {
        const rows = await trx(table)
          .whereRaw('??::text ~* ?', [column, pattern])
          .select('id', column)
          .forUpdate();
        for (const row of rows) {
          await trx(table)
            .where({ id: row.id })
            .update({ [column]: JSON.stringify(redactJson(row[column], names)) });
        }
        count(redacted, table, rows.length);
      }
      count(
        removed,
        'idempotency_keys',
        await trx('idempotency_keys').whereRaw('response_body::text ~* ?', [pattern]).delete(),
      );
    }
    // Audit entries about them keep who did what and when, not what was recorded of them.
    count(
      redacted,
      'audit_log',
      await trx('audit_log')
        .where({ resource_id: id })
        .whereIn('resource', ['people', 'person_organisations'])
        .whereRaw('changes <> \'{"erased": true}\'::jsonb')
        .update({ changes: JSON.stringify({ erased: true }) }),
    );

    if (person.email) await addTombstone(trx, person.email);
    await recordChange(trx, context, {
      action: 'erase',
      resource: 'people',
      resourceId: null,
      changes: { removed, redacted },
    });
    return { erased_at: erasedAt.toISOString(), removed, redacted };
  });

  // Outside PostgreSQL: cached reads and the realtime stream may hold them.
  count(result.redacted, 'cache_entries', await cache.purge());
  count(result.redacted, 'realtime_events', await events.forget([...names, id]));
  // The words of their name that no record holds any more leave the search index.
  await pruneSearchWords(db).catch((error: unknown) =>
    options.logger?.warn({ err: error }, 'search words not pruned after an erasure; the hourly cleanup will'),
  );
  return result;
}
