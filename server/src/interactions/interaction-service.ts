/**
 * Interactions: logging what happened with clients and working what must happen next. A write
 * replaces the participants as a set, in the same transaction; assigning someone else notifies
 * them; moving the next action re-arms its reminder.
 */
import { auditInsert, changeRecord, type ExistingRecord } from '../audit';
import { notify } from '../notifications';
import type { RequestContext } from '../platform/core/context';
import { type FieldError, ForbiddenError, NotFoundError, ValidationError } from '../platform/core/errors';
import { newId } from '../platform/core/ids';
import { creatorOf } from '../platform/core/ownership';
import { actingUser, principalReach } from '../platform/core/principal';
import { transaction } from '../platform/data/after-commit';
import { type Knex, pgErrorCode } from '../platform/data/db';
import { chooseSort, type Page } from '../platform/data/pagination';
import { assertReferences } from '../platform/data/references';
import { tags } from '../platform/runtime/cache';
import type { ServiceDeps } from '../platform/runtime/service-deps';
import { assertCan } from '../platform/web/access';
import type { RequestBody } from '../platform/web/spec-types';
import {
  deleteInteractionRow,
  findInteraction,
  type InteractionFields,
  type InteractionFilters,
  type InteractionRow,
  insertInteraction,
  listInteractionRows,
  moveParticipants,
  type Participant,
  type ParticipantInput,
  participantsOf,
  replaceParticipants,
  updateInteractionRow,
} from './interaction-repository';
import { assertTransition, isOpen } from './interaction-workflow';

export type Interaction = InteractionRow & { overdue: boolean; participants: Participant[] };
/** What a create or an update sends (an update's fields, all optional: a create's are checked by the spec). */
export type InteractionInput = RequestBody<'updateInteraction'>;
export type Clock = () => Date;

export const INTERACTION_SORTS = {
  occurred_at: 'occurred_at',
  updated_at: 'updated_at',
  next_action_at: 'next_action_sort',
};

/** The API representation: the row, its participants, and whether its next action is overdue. */
export async function present(db: Knex, rows: InteractionRow[], now: Date): Promise<Interaction[]> {
  const participants = await participantsOf(
    db,
    rows.map((row) => row.id),
  );
  return rows.map((row) => ({
    ...row,
    overdue: isOverdue(row, now),
    participants: participants.get(row.id) ?? [],
  }));
}

/** Whether an interaction's next action is past due at `now` (recomputed on cached reads). */
export function isOverdue(
  row: { status: InteractionRow['status']; next_action_at: Date | string | null },
  now: Date,
): boolean {
  return isOpen(row.status) && row.next_action_at !== null && new Date(row.next_action_at) < now;
}

async function presentOne(db: Knex, row: InteractionRow, now: Date): Promise<Interaction> {
  return (await present(db, [row], now))[0]!;
}

export async function listInteractions(
  db: Knex,
  filters: InteractionFilters,
  page: { limit: number; cursor?: string; sort: string },
  now: Date,
): Promise<Page<Interaction>> {
  const sort = chooseSort('interactions', page.sort, INTERACTION_SORTS);
  const rows = await listInteractionRows(db, filters, {
    ...page,
    sort: { ...sort, sortField: sort.sortColumn },
  });
  return { data: await present(db, rows.data, now), next_cursor: rows.next_cursor };
}

export async function getInteraction(db: Knex, id: string, now: Date): Promise<Interaction> {
  const row = await findInteraction(db, id);
  if (!row) throw new NotFoundError(`Interaction ${id} not found.`);
  return presentOne(db, row, now);
}

/**
 * Creates an interaction with its participants. The interaction, its participants and its audit
 * entry are one statement (its own transaction); a transaction is opened only to notify someone
 * else assigned. People and organisations are checked by their foreign keys — when one is missing
 * the references are looked up to name it — and users, which must also be active, beforehand.
 */
export async function createInteraction(
  deps: ServiceDeps,
  context: RequestContext,
  input: InteractionInput,
  now: Date,
): Promise<Interaction> {
  const { db } = deps;
  const { participants = [], ...fields } = input;
  checkParticipants(participants);
  const actor = actingUser(context.principal);
  const assigneeId = fields.assignee_id ?? null;
  const notifies = assigneeId !== null && assigneeId !== actor?.id;
  if (notifies) assertCan(context.principal, 'interactions', 'assign');
  if (assigneeId || participants.some((participant) => participant.user_id))
    await checkReferences(db, fields, participants);
  const id = newId();
  const create = async (writer: Knex) => {
    const inserted = await insertInteraction(
      writer,
      {
        ...fields,
        id,
        occurred_at: fields.occurred_at ?? now,
        source: fields.source ?? (context.principal.kind === 'api_key' ? 'api' : 'manual'),
        created_by: creatorOf(context),
      },
      participants,
      auditInsert(writer, context, {
        action: 'create',
        resource: 'interactions',
        resourceId: id,
        changes: { ...input },
      }),
    );
    const { row } = inserted;
    if (notifies) await notifyAssignee({ ...deps, db: writer }, row, actor?.id ?? null);
    const created = { ...row, overdue: isOverdue(row, now), participants: inserted.participants };
    await announce({ ...deps, db: writer }, 'interaction.created', created);
    return created;
  };
  try {
    return notifies ? await transaction(db, create) : await create(db);
  } catch (error) {
    if (pgErrorCode(error) === FOREIGN_KEY_VIOLATION) await checkReferences(db, fields, participants);
    throw error;
  }
}

const FOREIGN_KEY_VIOLATION = '23503';

/** What an inbox widget may change: mark done (or another status move) and snooze. */
const INBOX_ACTION_FIELDS = new Set(['status', 'next_action_at']);

function assertInboxAction(input: InteractionInput): void {
  const refused = Object.keys(input).filter((field) => !INBOX_ACTION_FIELDS.has(field));
  if (refused.length)
    throw new ForbiddenError(
      `An inbox widget changes only status and next_action_at, not ${refused.join(', ')}.`,
    );
}

export async function updateInteraction(
  deps: ServiceDeps,
  context: RequestContext,
  id: string,
  input: InteractionInput,
  options: { ifMatch?: string; now: Date },
): Promise<Interaction> {
  const { participants, ...changes } = input;
  if (participants) checkParticipants(participants);
  if (context.principal.kind === 'embed') assertInboxAction(input);
  const actor = actingUser(context.principal);
  return changeRecord(deps, context, {
    ...existingInteraction(id, options.ifMatch, options.now),
    write: async (trx, before, previous) => {
      if (context.principal.kind === 'embed' && before.assignee_id !== context.principal.user.id)
        throw new ForbiddenError('An inbox widget acts only on interactions assigned to its user.');
      if (changes.status) {
        const mayReopen = principalReach(context.principal, 'interactions', 'update') === 'all';
        assertTransition(before.status, changes.status, mayReopen);
      }
      const reassigned = changes.assignee_id !== undefined && changes.assignee_id !== before.assignee_id;
      if (reassigned) assertCan(context.principal, 'interactions', 'assign');
      await checkReferences(trx, changes, participants ?? []);

      const nextActionMoved =
        changes.next_action_at !== undefined &&
        String(changes.next_action_at) !== String(before.next_action_at?.toISOString() ?? null);
      const row = await updateInteractionRow(trx, id, {
        ...changes,
        ...(nextActionMoved ? { reminder_sent_at: null } : {}),
      });
      if (participants) await replaceParticipants(trx, id, row.occurred_at, participants);
      else if (changes.occurred_at !== undefined) await moveParticipants(trx, id, row.occurred_at);
      if (reassigned && row.assignee_id && row.assignee_id !== actor?.id)
        await notifyAssignee({ ...deps, db: trx }, row, actor?.id ?? null);
      const updated = await presentOne(trx, row, options.now);
      await announce({ ...deps, db: trx }, 'interaction.updated', updated, previous);
      return { result: updated, audit: { action: 'update', changes: { ...input }, before: { ...before } } };
    },
  });
}

export async function deleteInteraction(
  deps: ServiceDeps,
  context: RequestContext,
  id: string,
  ifMatch: string | undefined,
  now: Date,
): Promise<void> {
  await changeRecord(deps, context, {
    ...existingInteraction(id, ifMatch, now),
    write: async (trx, before, previous) => {
      await announce({ ...deps, db: trx }, 'interaction.deleted', { id }, previous);
      await deleteInteractionRow(trx, id);
      return { result: undefined, audit: { action: 'delete', changes: { title: before.title } } };
    },
  });
}

/**
 * An interaction as `changeRecord` finds it: locked, versioned as the API shows it (with its
 * participants), reached through its assignee or creator. Its event invalidates what shows it.
 */
function existingInteraction(
  id: string,
  ifMatch: string | undefined,
  now: Date,
): ExistingRecord<InteractionRow, Interaction> {
  return {
    resource: 'interactions',
    id,
    name: 'Interaction',
    ifMatch,
    lock: (trx) => findInteraction(trx, id, { lock: true }),
    representation: (trx, row) => presentOne(trx, row, now),
    ownership: (row) => ({ owner_id: row.assignee_id, created_by: row.created_by }),
  };
}

/**
 * Once the change `db` belongs to commits: invalidates the cached reads that show the interaction
 * and publishes its event to whoever may see it, before and after the change.
 */
export async function announce(
  { db, events, cache }: ServiceDeps,
  type: 'interaction.created' | 'interaction.updated' | 'interaction.deleted',
  data: Interaction | { id: string },
  previous?: Interaction,
): Promise<void> {
  const versions = [previous, 'participants' in data ? data : undefined].filter(
    (version): version is Interaction => version !== undefined,
  );
  const unique = (values: Array<string | null>) => [...new Set(values.filter((value) => value !== null))];
  await cache.invalidate(db, [tags.interactions, ...versions.flatMap(timelineTagsOf)]);
  await events.publish(db, {
    type,
    data: { ...data },
    audience: {
      resource: 'interactions',
      personIds: unique(versions.flatMap((version) => version.participants.map((p) => p.person_id))),
      organisationIds: unique(versions.map((version) => version.organisation_id)),
      assigneeIds: unique(versions.map((version) => version.assignee_id)),
    },
  });
}

/** The cache tags of the timelines an interaction, as presented, appears in. */
function timelineTagsOf(interaction: Interaction): string[] {
  return [
    tags.interactions,
    ...interaction.participants.flatMap((p) => (p.person_id ? [tags.personTimeline(p.person_id)] : [])),
    ...(interaction.organisation_id ? [tags.organisationTimeline(interaction.organisation_id)] : []),
  ];
}

function notifyAssignee(deps: ServiceDeps, row: InteractionRow, assignedBy: string | null) {
  return notify(deps, {
    userId: row.assignee_id!,
    type: 'interaction.assigned',
    payload: {
      interaction_id: row.id,
      title: row.title,
      assigned_by: assignedBy,
      next_action_at: row.next_action_at,
    },
  });
}

/** Each participant is a user or a person (not both, not neither), each at most once. */
function checkParticipants(participants: ParticipantInput[]): void {
  const errors: FieldError[] = [];
  const seen = new Set<string>();
  participants.forEach((participant, index) => {
    const parties = [participant.user_id, participant.person_id].filter(Boolean).length;
    if (parties !== 1) {
      errors.push({
        in: 'body',
        field: `/participants/${index}`,
        message: 'must name exactly one of user_id or person_id',
      });
      return;
    }
    const key = participant.user_id ? `user:${participant.user_id}` : `person:${participant.person_id}`;
    if (seen.has(key))
      errors.push({
        in: 'body',
        field: `/participants/${index}`,
        message: 'appears twice in this interaction',
      });
    seen.add(key);
  });
  if (errors.length) throw new ValidationError('The participants are not valid.', { errors });
}

/** Every organisation, assignee and participant the interaction names exists (one query). */
function checkReferences(
  db: Knex,
  fields: InteractionFields,
  participants: ParticipantInput[],
): Promise<void> {
  return assertReferences(db, [
    ...(fields.organisation_id
      ? [{ kind: 'organisation' as const, id: fields.organisation_id, field: '/organisation_id' }]
      : []),
    ...(fields.assignee_id ? [{ kind: 'user' as const, id: fields.assignee_id, field: '/assignee_id' }] : []),
    ...participants.map((participant, index) =>
      participant.person_id
        ? { kind: 'person' as const, id: participant.person_id, field: `/participants/${index}/person_id` }
        : { kind: 'user' as const, id: participant.user_id!, field: `/participants/${index}/user_id` },
    ),
  ]);
}
