import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemoData } from '../../server/src/demo/demo-data';
import { createLogger } from '../../server/src/platform/core/logger';
import { verifyPassword } from '../../server/src/platform/core/passwords';
import { ensureAdmin } from '../../server/src/users';
import { createTestDatabase, type TestDatabase } from '../helpers/database';

const logger = createLogger({ logLevel: 'silent' });
let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.drop());

describe('first admin and demo data', () => {
  it('creates the configured admin once, and never resets an existing password', async () => {
    expect(
      await ensureAdmin(db.knex, { email: 'It@Example.com', password: 'initial-password-1' }, logger),
    ).toBe(true);
    expect(
      await ensureAdmin(db.knex, { email: 'it@example.com', password: 'another-password-2' }, logger),
    ).toBe(false);
    const row = await db.knex('users').where({ email: 'it@example.com' }).first();
    expect(row.role).toBe('admin');
    expect(await verifyPassword(row.password_hash, 'initial-password-1')).toBe(true);
  });

  it('creates the admin once when an API and a worker start together on a fresh database', async () => {
    const admin = { email: 'race@example.com', password: 'initial-password-1' };
    const created = await Promise.all([
      ensureAdmin(db.knex, admin, logger),
      ensureAdmin(db.knex, admin, logger),
    ]);
    expect(created.filter(Boolean)).toHaveLength(1);
    expect(await db.knex('users').where({ email: admin.email }).count({ n: '*' })).toEqual([{ n: '1' }]);
  });

  it('loads one demo user per role and a French book of business, idempotently', async () => {
    await Promise.all([loadDemoData(db.knex, logger), loadDemoData(db.knex, logger)]);
    await loadDemoData(db.knex, logger);
    const rows = await db.knex('users').where('email', 'like', '%@relais.demo').select('role');
    expect(rows.map((row) => row.role).sort()).toEqual(['admin', 'manager', 'readonly', 'user']);
    const count = async (table: string) => Number((await db.knex(table).count({ n: '*' }))[0]?.n);
    expect(await count('organisations')).toBe(300);
    expect(await count('people')).toBe(1_000);
    expect(await count('person_organisations')).toBeGreaterThanOrEqual(1_000);
    expect(await count('mandates')).toBeGreaterThan(100);
    const helene = await db.knex('people').whereRaw("search_text LIKE '%helene dupre%'").first();
    expect(helene).toBeDefined();
    expect(await count('interactions')).toBeGreaterThan(3_000);
    expect(await count('interaction_participants')).toBeGreaterThan(6_000);
    const open = await db
      .knex('interactions as i')
      .join('users as u', 'u.id', 'i.assignee_id')
      .whereIn('i.status', ['todo', 'in_progress'])
      .where('u.email', 'user@relais.demo')
      .select(db.knex.raw('count(*) FILTER (WHERE i.next_action_at < now()) AS overdue, count(*) AS total'));
    expect(Number(open[0].overdue)).toBeGreaterThan(0);
    expect(Number(open[0].total)).toBeGreaterThan(10);
    // Work goes to users who may act on it: the read-only user is assigned nothing.
    const readonlyWork = await db
      .knex('interactions as i')
      .join('users as u', 'u.id', 'i.assignee_id')
      .where('u.email', 'readonly@relais.demo')
      .count({ n: '*' });
    expect(readonlyWork).toEqual([{ n: '0' }]);
    // Demo newsletters went through ingestion: scored people, some of them hot.
    expect(await count('email_events')).toBeGreaterThan(1_000);
    const hot = await db.knex('lead_scores').where({ hot: true }).count({ n: '*' });
    expect(Number(hot[0]?.n)).toBeGreaterThan(10);
    expect(await db.knex('interactions').where({ source: 'email_event' }).count({ n: '*' })).not.toEqual([
      { n: '0' },
    ]);
  });
});
