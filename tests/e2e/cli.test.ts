/**
 * The `relais` command line as a process, against a real database: help on every command, exit
 * codes with one-line reasons, accounts and keys (secrets printed once), exports streamed as CSV
 * and JSON Lines with plain progress lines when not on a terminal, and a person's export and
 * erasure — with Redis, also out of the API's shared read cache.
 */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startTestApp } from '../helpers/app';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { createPerson, createUser } from '../helpers/factories';

const CLI = fileURLToPath(new URL('../../server/dist/cli.js', import.meta.url));
const run = promisify(execFile);

let db: TestDatabase;
let admin: { email: string; id: string };

async function relais(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [CLI, ...args], {
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        DATABASE_URL: db.url,
        JWT_SECRET: 'cli-test-secret-that-is-long-enough-0123456789',
        RELAIS_ADMIN_EMAIL: admin.email,
        RELAIS_ADMIN_PASSWORD: 'not-used-by-the-cli-0123',
        ...env,
      },
      maxBuffer: 64 * 1024 * 1024,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

beforeAll(async () => {
  db = await createTestDatabase();
  const user = await createUser(db.knex, { role: 'admin' });
  admin = { email: user.email, id: user.id };
});
afterAll(() => db.drop());

describe('relais CLI', () => {
  it('has --help on every command', async () => {
    const top = await relais(['--help']);
    expect(top.code).toBe(0);
    for (const command of ['users', 'api-keys', 'export', 'person', 'scores', 'migrate', 'backup', 'restore'])
      expect(top.stdout).toContain(command);
    for (const command of [
      ['users', 'create'],
      ['users', 'list'],
      ['users', 'deactivate'],
      ['api-keys', 'create'],
      ['api-keys', 'revoke'],
      ['export'],
      ['person', 'export'],
      ['person', 'erase'],
      ['scores', 'recompute'],
    ]) {
      const help = await relais([...command, '--help']);
      expect(help.code, command.join(' ')).toBe(0);
      expect(help.stdout).toMatch(new RegExp(`^Usage: relais ${command.join(' ')}`));
    }
  });

  it('fails with exit code 1 and one line naming the reason', async () => {
    const unknown = await relais(['export', 'mandates']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr.trim().split('\n')).toEqual([
      'relais: cannot export "mandates": one of people, organisations, interactions',
    ]);
    const badRole = await relais([
      'users',
      'create',
      '--email',
      'x@example.com',
      '--name',
      'X',
      '--role',
      'boss',
    ]);
    expect(badRole.code).toBe(1);
    expect(badRole.stderr).toMatch(
      /option '--role <role>' argument 'boss' is invalid\. one of admin, manager, user, readonly/,
    );
    const unconfirmed = await relais(['person', 'erase', 'nobody@example.com']);
    expect(unconfirmed.code).toBe(1);
    expect(unconfirmed.stderr.trim()).toBe('relais: an erasure cannot be undone: add --yes to confirm');
    const duplicate = await relais([
      'users',
      'create',
      '--email',
      admin.email,
      '--name',
      'Again',
      '--role',
      'user',
    ]);
    expect(duplicate.code).toBe(1);
    expect(duplicate.stderr.trim()).toBe(`relais: A user with email ${admin.email} already exists.`);
  });

  it('creates, lists and deactivates accounts, printing a generated password once', async () => {
    const created = await relais([
      'users',
      'create',
      '--email',
      'nadia@example.com',
      '--name',
      'Nadia',
      '--role',
      'manager',
    ]);
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toMatch(
      /^Created nadia@example\.com \(manager\), id [0-9a-f-]{36}\.\nPassword \(shown once\): \S{16}\n$/,
    );
    const listed = await relais(['users', 'list', '--json']);
    expect(JSON.parse(listed.stdout).map((user: { email: string }) => user.email)).toContain(
      'nadia@example.com',
    );
    expect(JSON.parse(listed.stdout)[0]).not.toHaveProperty('password_hash');
    const deactivated = await relais(['users', 'deactivate', 'nadia@example.com']);
    expect(deactivated.code, deactivated.stderr).toBe(0);
    expect((await db.knex('users').where({ email: 'nadia@example.com' }).first()).active).toBe(false);
    const audit = await db.knex('audit_log').where({ resource: 'users', principal_id: admin.id });
    expect(audit.length).toBeGreaterThanOrEqual(2);
  });

  it('creates a key whose secret is printed once and stored only hashed, and revokes it', async () => {
    const created = await relais([
      'api-keys',
      'create',
      '--name',
      'Import',
      '--scopes',
      'people:read,people:create',
    ]);
    expect(created.code, created.stderr).toBe(0);
    const secret = /Secret \(shown once\): (rk_\S+)/.exec(created.stdout)?.[1];
    const id = /Created key ([0-9a-f-]{36})/.exec(created.stdout)?.[1];
    expect(secret).toBeTruthy();
    const stored = await db.knex('api_keys').where({ id }).first();
    expect(JSON.stringify(stored)).not.toContain(secret);
    expect((await relais(['api-keys', 'revoke', id!])).code).toBe(0);
    expect((await db.knex('api_keys').where({ id }).first()).revoked_at).not.toBeNull();
    const refused = await relais(['api-keys', 'create', '--name', 'X', '--scopes', 'people:fly']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/unknown scopes people:fly/);
  });

  it('exports CSV and JSON Lines, with plain progress lines when not on a terminal', async () => {
    const owner = await createUser(db.knex);
    await db.knex.batchInsert(
      'people',
      Array.from({ length: 2_500 }, (_, index) => ({
        first_name: `Camille${index}`,
        last_name: index === 0 ? 'Dupont, "dit le Grand"' : `Martin${index}`,
        email: `camille.${index}@example.com`,
        owner_id: owner.id,
      })),
      500,
    );
    const csv = await relais(['export', 'people']);
    expect(csv.code, csv.stderr).toBe(0);
    const lines = csv.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe(
      'id,first_name,last_name,email,phone,job_title,language,notes,organisation,owner_id,created_by,created_at,updated_at,archived_at',
    );
    expect(lines).toHaveLength(2_501);
    expect(csv.stdout).toContain('"Dupont, ""dit le Grand"""');
    expect(csv.stderr).toMatch(/^export people: 2500, \d+\/s, [\d.]+ s$/m);
    expect(csv.stderr).toMatch(/Exported 2500 people\.\n$/);

    const file = path.join(os.tmpdir(), `relais-cli-${process.pid}.jsonl`);
    const jsonl = await relais(['export', 'people', '--format', 'jsonl', '--output', file]);
    expect(jsonl.code, jsonl.stderr).toBe(0);
    const rows = (await readFile(file, 'utf8'))
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(rows).toHaveLength(2_500);
    expect(rows.find((row) => row.email === 'camille.0@example.com')).toMatchObject({
      last_name: 'Dupont, "dit le Grand"',
      organisation: null,
    });

    const excel = await relais(['export', 'organisations', '--excel']);
    expect(excel.stdout.startsWith('\uFEFFid;name;type;')).toBe(true);
    expect(excel.stdout).toContain('\r\n');
  });

  it('exports and erases a person by email', async () => {
    await createPerson(db.knex, { first_name: 'Léonie', last_name: 'Vasseur', email: 'leonie@example.com' });
    const exported = await relais(['person', 'export', 'leonie@example.com']);
    expect(exported.code, exported.stderr).toBe(0);
    expect(JSON.parse(exported.stdout).person).toMatchObject({ email: 'leonie@example.com' });
    const erased = await relais(['person', 'erase', 'leonie@example.com', '--yes']);
    expect(erased.code, erased.stderr).toBe(0);
    expect(JSON.parse(erased.stdout).removed).toMatchObject({ people: 1 });
    expect(await db.knex('people').where({ email: 'leonie@example.com' }).first()).toBeUndefined();
    const again = await relais(['person', 'erase', 'leonie@example.com', '--yes']);
    expect(again.code).toBe(1);
    expect(again.stderr.trim()).toBe('relais: no person leonie@example.com');
  });

  it('recomputes the scores in this process, reporting progress', async () => {
    const recompute = await relais(['scores', 'recompute', '--here']);
    expect(recompute.code, recompute.stderr).toBe(0);
    expect(recompute.stderr).toMatch(/Rescored \d+ people on rules v\d+\./);
  });
});

const redisUrl = inject('redisUrl');

describe.skipIf(!redisUrl)('relais CLI with the API’s Redis', () => {
  it('erases a person from the shared read cache too: the API stops serving them at once', async () => {
    const app = await startTestApp({ db, env: { REDIS_URL: redisUrl! } });
    try {
      const person = await createPerson(db.knex, {
        first_name: 'Aurèle',
        last_name: 'Fontaine',
        email: 'aurele@example.com',
      });
      const reader = await createUser(db.knex, { role: 'admin' });
      const cached = await app.request('GET', `/v1/people/${person.id}`, { headers: reader.auth });
      expect(cached.status).toBe(200);
      // The same Redis and key prefix as the API (the test app's prefix is named after its database).
      const erased = await relais(['person', 'erase', 'aurele@example.com', '--yes'], {
        REDIS_URL: redisUrl!,
        REDIS_PREFIX: `relais-test-${new URL(db.url).pathname.slice(1)}`,
      });
      expect(erased.code, erased.stderr).toBe(0);
      expect(JSON.parse(erased.stdout).redacted.cache_entries).toBeGreaterThanOrEqual(1);
      const after = await app.request('GET', `/v1/people/${person.id}`, { headers: reader.auth });
      expect(after.status).toBe(404);
    } finally {
      await app.close();
    }
  });
});
