import type { Knex } from '../platform/db';
import { keysetPage, type Page } from '../platform/pagination';
import type { Role } from '../platform/permissions';
import type { UserIdentity } from '../platform/principal';
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

export async function findUserWithHashByEmail(
  db: Knex,
  email: string,
): Promise<(User & { password_hash: string }) | null> {
  const model = await UserModel.query(db).findOne({ email });
  return model ? { ...toUser(model), password_hash: model.password_hash } : null;
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
  patch: Partial<Omit<NewUserRow, 'email'>> & { email?: string },
): Promise<User | null> {
  const model = await UserModel.query(db)
    .patch({ ...patch, updated_at: new Date() })
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
