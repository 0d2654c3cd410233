import type { Role } from '../platform/core/permissions';
import type { UserIdentity } from '../platform/core/principal';
import type { Knex } from '../platform/data/db';
import { keysetPage, type Page } from '../platform/data/pagination';
import { UserModel } from './user-model';

export interface User extends UserIdentity {
  created_at: Date;
  updated_at: Date;
}

const PUBLIC_COLUMNS = [
  'id',
  'email',
  'name',
  'role',
  'active',
  'time_zone',
  'created_at',
  'updated_at',
] as const;

function toUser(model: UserModel): User {
  const { id, email, name, role, active, time_zone, created_at, updated_at } = model;
  return { id, email, name, role, active, time_zone, created_at, updated_at };
}

export async function findUserById(db: Knex, id: string): Promise<User | null> {
  const model = await UserModel.query(db).select(PUBLIC_COLUMNS).findById(id);
  return model ? toUser(model) : null;
}

/** A user as authentication needs them: who they are, and their current token version. */
export interface UserCredential {
  user: User;
  tokenVersion: number;
}

export async function findUserCredential(db: Knex, id: string): Promise<UserCredential | null> {
  const model = await UserModel.query(db)
    .select([...PUBLIC_COLUMNS, 'token_version'])
    .findById(id);
  return model ? { user: toUser(model), tokenVersion: model.token_version } : null;
}

export async function findUserWithHashByEmail(
  db: Knex,
  email: string,
): Promise<(User & { password_hash: string; token_version: number }) | null> {
  const model = await UserModel.query(db).findOne({ email });
  return model
    ? { ...toUser(model), password_hash: model.password_hash, token_version: model.token_version }
    : null;
}

export async function findPasswordHash(db: Knex, id: string): Promise<string | null> {
  const model = await UserModel.query(db).select('password_hash').findById(id);
  return model?.password_hash ?? null;
}

export interface NewUserRow {
  email: string;
  name: string;
  role: Role;
  password_hash: string;
  time_zone?: string;
  active?: boolean;
}

export async function insertUser(db: Knex, row: NewUserRow): Promise<User> {
  return toUser(
    await UserModel.query(db)
      .insert(row)
      .returning(PUBLIC_COLUMNS as unknown as string[]),
  );
}

export async function updateUserRow(
  db: Knex,
  id: string,
  patch: Partial<Omit<NewUserRow, 'email'>> & { email?: string; revokeTokens?: boolean },
): Promise<User | null> {
  const { revokeTokens, ...columns } = patch;
  const model = await UserModel.query(db)
    .patch({
      ...columns,
      ...(revokeTokens ? { token_version: UserModel.raw('token_version + 1') } : {}),
      updated_at: new Date(),
    } as Partial<UserModel>)
    .where('id', id)
    .returning(PUBLIC_COLUMNS as unknown as string[])
    .first();
  return model ? toUser(model as unknown as UserModel) : null;
}

export async function countActiveAdmins(db: Knex): Promise<number> {
  const result = (await UserModel.query(db).where({ role: 'admin', active: true }).resultSize()) as number;
  return Number(result);
}

export interface UserFilters {
  role?: Role;
  active?: boolean;
}

export async function listUserRows(
  db: Knex,
  filters: UserFilters,
  page: { limit: number; cursor?: string },
): Promise<Page<User>> {
  const query = db('users').select(PUBLIC_COLUMNS);
  if (filters.role) query.where('role', filters.role);
  if (filters.active !== undefined) query.where('active', filters.active);
  return keysetPage<User>(query, {
    tag: 'users:created_at:asc',
    sortColumn: 'created_at',
    idColumn: 'id',
    direction: 'asc',
    limit: page.limit,
    cursor: page.cursor,
    sortField: 'created_at',
  });
}
