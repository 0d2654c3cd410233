/**
 * Factories: one per entity, each inserting a valid row with sensible defaults that a test
 * overrides only where it matters. Users share one precomputed password hash (argon2 is slow on
 * purpose) and get unique emails.
 */
import { randomUUID } from 'node:crypto';
import { createApiKey as createApiKeyThroughService } from '../../server/src/api-keys/api-key-service';
import type { RequestContext } from '../../server/src/platform/core/context';
import { hashPassword } from '../../server/src/platform/core/passwords';
import type { Role } from '../../server/src/platform/core/permissions';
import type { EmbedSubject, Widget } from '../../server/src/platform/core/principal';
import type { Knex } from '../../server/src/platform/data/db';
import { signAccessToken, signEmbedToken } from '../../server/src/platform/web/tokens';
import { insertUser, type User } from '../../server/src/users/user-repository';
import { TEST_JWT_SECRET } from './app';

export const FACTORY_PASSWORD = 'factory-password-0123';
const tokens = { secret: TEST_JWT_SECRET, issuer: 'relais' };
let passwordHash: Promise<string> | null = null;

export interface TestUser extends User {
  password: string;
  token: string;
  /** `Authorization` header for this user's access token. */
  auth: { Authorization: string };
}

export async function createUser(
  db: Knex,
  overrides: Partial<{ email: string; name: string; role: Role; active: boolean; time_zone: string }> = {},
): Promise<TestUser> {
  passwordHash ??= hashPassword(FACTORY_PASSWORD);
  const user = await insertUser(db, {
    email: overrides.email ?? `user-${randomUUID().slice(0, 8)}@example.com`,
    name: overrides.name ?? 'Test User',
    role: overrides.role ?? 'user',
    active: overrides.active ?? true,
    time_zone: overrides.time_zone ?? 'Europe/Paris',
    password_hash: await passwordHash,
  });
  const token = signAccessToken(tokens, user, 3_600).token;
  return { ...user, password: FACTORY_PASSWORD, token, auth: { Authorization: `Bearer ${token}` } };
}

/** One active user per role. */
export async function createUsersPerRole(db: Knex): Promise<Record<Role, TestUser>> {
  const [admin, manager, user, readonly] = await Promise.all(
    (['admin', 'manager', 'user', 'readonly'] as const).map((role) =>
      createUser(db, { role, name: `${role} user` }),
    ),
  );
  return { admin: admin!, manager: manager!, user: user!, readonly: readonly! };
}

export function contextFor(user: User): RequestContext {
  return { principal: { kind: 'user', user }, reach: 'all', requestId: 'test' };
}

export async function createApiKey(db: Knex, owner: User, scopes: string[]) {
  const created = await createApiKeyThroughService(db, contextFor(owner), {
    name: `key ${scopes.join(' ')}`,
    scopes,
  });
  return { ...created, headers: { 'X-Api-Key': created.key } };
}

export function embedTokenFor(
  user: User,
  claims: { widgets: Widget[]; subject: EmbedSubject; origins: string[] },
  ttlSeconds = 600,
): string {
  return signEmbedToken(tokens, { userId: user.id, ...claims }, ttlSeconds).token;
}

let sequence = 0;
const next = () => {
  sequence += 1;
  return sequence;
};

export async function createOrganisation(
  db: Knex,
  overrides: Partial<{
    name: string;
    type: string;
    country: string | null;
    category: string | null;
    owner_id: string | null;
    created_by: string | null;
  }> = {},
) {
  const [row] = await db('organisations')
    .insert({ name: `Organisation ${next()}`, type: 'client', country: 'FR', ...overrides })
    .returning('*');
  return row as { id: string; name: string; owner_id: string | null; updated_at: Date };
}

export async function createPerson(
  db: Knex,
  overrides: Partial<{
    first_name: string;
    last_name: string;
    email: string | null;
    owner_id: string | null;
    created_by: string | null;
  }> = {},
) {
  const n = next();
  const [row] = await db('people')
    .insert({
      first_name: 'Person',
      last_name: `Number ${n}`,
      email: `person-${n}-${randomUUID().slice(0, 6)}@example.com`,
      ...overrides,
    })
    .returning('*');
  return row as {
    id: string;
    first_name: string;
    last_name: string;
    email: string | null;
    owner_id: string | null;
  };
}

export async function createMandate(
  db: Knex,
  overrides: Partial<{
    organisation_id: string;
    title: string;
    type: string;
    status: string;
    owner_id: string | null;
  }> = {},
) {
  const organisationId = overrides.organisation_id ?? (await createOrganisation(db)).id;
  const [row] = await db('mandates')
    .insert({
      title: `Mandate ${next()}`,
      type: 'advisory',
      status: 'draft',
      ...overrides,
      organisation_id: organisationId,
    })
    .returning('*');
  return row as { id: string; organisation_id: string; status: string; owner_id: string | null };
}

export async function createInteraction(
  db: Knex,
  overrides: Partial<{
    title: string;
    body: string;
    type: string;
    status: string;
    assignee_id: string | null;
    created_by: string | null;
    organisation_id: string | null;
    occurred_at: Date;
    next_action_at: Date | null;
  }> & { person_ids?: string[] } = {},
) {
  const { person_ids = [], ...fields } = overrides;
  const [row] = await db('interactions')
    .insert({
      title: `Interaction ${next()}`,
      type: 'call',
      status: 'todo',
      occurred_at: new Date(),
      ...fields,
    })
    .returning('*');
  if (person_ids.length) {
    await db('interaction_participants').insert(
      person_ids.map((person_id) => ({ interaction_id: row.id, person_id, occurred_at: row.occurred_at })),
    );
  }
  return row as { id: string; status: string; assignee_id: string | null; occurred_at: Date; title: string };
}

export async function createNotification(db: Knex, userId: string, type = 'interaction.assigned') {
  const [row] = await db('notifications')
    .insert({ user_id: userId, type, payload: JSON.stringify({ note: 'test' }) })
    .returning('*');
  return row as { id: string; user_id: string; read_at: Date | null };
}
