/**
 * Staff accounts: creation by admins, profile changes, deactivation and role changes (which take
 * effect at the caller's next request, since authentication reloads the user every time).
 */
import { changeRecord, recordChange } from '../audit';
import type { RequestContext } from '../platform/core/context';
import { ConflictError, NotFoundError, ValidationError } from '../platform/core/errors';
import { assertMayGiveRole, assertMayManageAccount } from '../platform/core/grants';
import { hashPassword, verifyPassword } from '../platform/core/passwords';
import type { Role } from '../platform/core/permissions';
import { actingUser } from '../platform/core/principal';
import { transaction } from '../platform/data/after-commit';
import { isUniqueViolation, type Knex } from '../platform/data/db';
import type { Page } from '../platform/data/pagination';
import { assertTimeZone } from '../platform/data/time-zone';
import { tags } from '../platform/runtime/cache';
import type { ServiceDeps } from '../platform/runtime/service-deps';
import {
  countActiveAdmins,
  findPasswordHash,
  findUserById,
  insertUser,
  listUserRows,
  type User,
  type UserFilters,
  updateUserRow,
} from './user-repository';

const BODY_TIME_ZONE = { in: 'body', field: '/time_zone' } as const;

export interface NewUser {
  email: string;
  name: string;
  role: Role;
  password: string;
  time_zone?: string;
}

export interface UserChanges {
  email?: string;
  name?: string;
  role?: Role;
  active?: boolean;
  password?: string;
  time_zone?: string;
}

/** `context` is null only for the configured first admin, created at boot. */
export async function createUser(db: Knex, context: RequestContext | null, input: NewUser): Promise<User> {
  if (context) assertMayGiveRole(context.principal, input.role);
  await assertTimeZone(db, input.time_zone, BODY_TIME_ZONE);
  const { password, ...recorded } = input;
  const password_hash = await hashPassword(password);
  return transaction(db, async (trx) => {
    const user = await insertUser(trx, {
      ...recorded,
      email: input.email.toLowerCase(),
      password_hash,
    }).catch((error) => {
      if (isUniqueViolation(error))
        throw new ConflictError(`A user with email ${input.email} already exists.`);
      throw error;
    });
    await recordChange(trx, context, {
      action: 'create',
      resource: 'users',
      resourceId: user.id,
      changes: { ...recorded, email: user.email, password: '' },
    });
    return user;
  });
}

export async function getUser(db: Knex, id: string): Promise<User> {
  const user = await findUserById(db, id);
  if (!user) throw new NotFoundError(`User ${id} not found.`);
  return user;
}

export function listUsers(
  db: Knex,
  filters: UserFilters,
  page: { limit: number; cursor?: string },
): Promise<Page<User>> {
  return listUserRows(db, filters, page);
}

/** An admin's change to any account. At least one active admin always remains. */
export async function updateUser(
  deps: ServiceDeps,
  context: RequestContext,
  id: string,
  changes: UserChanges,
  ifMatch?: string,
): Promise<User> {
  await assertTimeZone(deps.db, changes.time_zone, BODY_TIME_ZONE);
  const password_hash = changes.password ? await hashPassword(changes.password) : undefined;
  return changeRecord(deps, context, {
    resource: 'users',
    id,
    name: 'User',
    ifMatch,
    // The whole table: two admins demoting each other at once must not leave none.
    lock: async (trx) => {
      await trx.raw('LOCK TABLE users IN SHARE ROW EXCLUSIVE MODE');
      return findUserById(trx, id);
    },
    // Accounts are not owned: who may change what is checked below.
    ownership: () => null,
    // A user's name shows in interactions everywhere (participants, assignees).
    tags: async () => [tags.everything],
    write: async (trx, before) => {
      const takesOver = (['password', 'email', 'role', 'active'] as const).filter(
        (field) => changes[field] !== undefined,
      );
      if (takesOver.length && actingUser(context.principal)?.id !== id) {
        assertMayManageAccount(
          context.principal,
          before.role,
          `Changing the ${takesOver.join(', ')} of a ${before.role} account`,
        );
      }
      if (changes.role !== undefined) assertMayGiveRole(context.principal, changes.role);
      const losesAdmin =
        before.role === 'admin' &&
        before.active &&
        (changes.active === false || (changes.role && changes.role !== 'admin'));
      if (losesAdmin && (await countActiveAdmins(trx)) <= 1) {
        throw new ConflictError('This is the last active admin; make another user admin first.');
      }
      const { password: _password, ...rest } = changes;
      const updated = await updateUserRow(trx, id, {
        ...rest,
        ...(rest.email ? { email: rest.email.toLowerCase() } : {}),
        ...(password_hash ? { password_hash } : {}),
        // A new password or a deactivation ends every session signed before it.
        revokeTokens: password_hash !== undefined || (changes.active === false && before.active),
      }).catch((error) => {
        if (isUniqueViolation(error))
          throw new ConflictError(`A user with email ${changes.email} already exists.`);
        throw error;
      });
      if (!updated) throw new NotFoundError(`User ${id} not found.`);
      return {
        result: updated,
        audit: {
          action: 'update',
          changes: { ...rest, ...(changes.password ? { password: true } : {}) },
          before: before as unknown as Record<string, unknown>,
        },
      };
    },
  });
}

export interface ProfileChanges {
  name?: string;
  time_zone?: string;
  password?: string;
  current_password?: string;
}

/** A user's change to their own profile; a new password needs the current one. */
export async function updateOwnProfile(
  deps: ServiceDeps,
  context: RequestContext,
  userId: string,
  changes: ProfileChanges,
): Promise<User> {
  if (changes.password !== undefined) {
    const hash = await findPasswordHash(deps.db, userId);
    if (!changes.current_password || !hash || !(await verifyPassword(hash, changes.current_password))) {
      throw new ValidationError('Changing the password needs the current one.', {
        errors: [{ in: 'body', field: '/current_password', message: 'must be your current password' }],
      });
    }
  }
  const { current_password: _current, ...rest } = changes;
  return updateUser(deps, context, userId, rest);
}

/** Revokes every access and embed token the user holds (`POST /v1/auth/logout-everywhere`). */
export async function signOutEverywhere(db: Knex, context: RequestContext, userId: string): Promise<void> {
  await transaction(db, async (trx) => {
    const updated = await updateUserRow(trx, userId, { revokeTokens: true });
    if (!updated) throw new NotFoundError(`User ${userId} not found.`);
    await recordChange(trx, context, {
      action: 'update',
      resource: 'users',
      resourceId: userId,
      changes: { tokens_revoked: true },
    });
  });
}
