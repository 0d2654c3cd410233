/**
 * The restore drill: load data through the API, back up with pg_dump, drop the database, restore
 * into a fresh one, and find every table with the same rows (count and content checksum); then
 * sign in and read a timeline on the restored database. Also: a damaged file and a non-empty
 * target are refused, and retention keeps the newest files.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BackupError,
  backupDatabase,
  lastBackupAgeSeconds,
  restoreDatabase,
} from '../../server/src/backups/backup-service';
import type { Knex } from '../../server/src/platform/data/db';
import { startTestApp, type TestApp } from '../helpers/app';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { createPerson, createUser, FACTORY_PASSWORD, type TestUser } from '../helpers/factories';
import { startServerProcess } from '../helpers/processes';
import { postSignedEvents } from '../helpers/webhooks';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

/** pg_dump must be of the server's major version or newer (an embedded PostgreSQL 18 needs 18). */
function dumpToolsFit(db: TestDatabase): Promise<boolean> {
  return db.knex
    .raw<{ rows: { v: string }[] }>("SELECT current_setting('server_version_num') AS v")
    .then(({ rows }) => {
      try {
        const tool = execFileSync('pg_dump', ['--version']).toString();
        const toolMajor = Number(/(\d+)\./.exec(tool)?.[1] ?? 0);
        return toolMajor >= Math.floor(Number(rows[0]?.v ?? 0) / 10_000);
      } catch {
        return false;
      }
    });
}

/** Each table's row count and a checksum of its whole content. */
async function fingerprint(knex: Knex): Promise<Record<string, string>> {
  const { rows } = await knex.raw<{ rows: { table_name: string }[] }>(
    "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1",
  );
  const result: Record<string, string> = {};
  for (const { table_name: table } of rows) {
    const { rows: sums } = await knex.raw<{ rows: { n: string; sum: string | null }[] }>(
      `SELECT count(*) AS n, md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) AS sum FROM "${table}" t`,
    );
    result[table] = `${sums[0]?.n} ${sums[0]?.sum}`;
  }
  return result;
}

let source: TestDatabase;
let fits = false;
let app: TestApp;
let user: TestUser;
let personId: string;
let dir: string;

beforeAll(async () => {
  source = await createTestDatabase();
  fits = await dumpToolsFit(source);
  app = await startTestApp({ db: source, env: { RELAIS_WEBHOOK_SECRET: SECRET } });
  user = await createUser(source.knex, { role: 'manager' });
  const person = await createPerson(source.knex, {
    email: 'drill@example.com',
    first_name: 'Dora',
    last_name: 'Drill',
  });
  personId = person.id;
  for (let index = 0; index < 5; index += 1) {
    const created = await app.request('POST', '/v1/interactions', {
      headers: user.auth,
      body: { type: 'call', title: `Drill ${index}`, participants: [{ person_id: person.id }] },
    });
    expect(created.status).toBe(201);
  }
  await postSignedEvents(
    app,
    ['sent', 'opened'].map((type, index) => ({
      id: `00000000-0000-4000-8000-00000000000${index}`,
      type,
      email: 'drill@example.com',
      occurred_at: new Date().toISOString(),
      message_id: 'drill-message',
    })),
    { secret: SECRET, now: new Date() },
  );
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'relais-backups-'));
});

afterAll(async () => {
  await app?.close().catch(() => undefined);
  await source?.drop();
  if (dir) await fs.rm(dir, { recursive: true, force: true });
});

describe('the restore drill', () => {
  it('backs up, drops, restores into a fresh database: every table the same, and it serves', async (context) => {
    if (!fits && process.env.CI !== 'true') return context.skip();
    const before = await fingerprint(source.knex);
    expect(Object.keys(before).length).toBeGreaterThan(20);
    const entry = await backupDatabase(source.knex, { databaseUrl: source.url, dir, keep: 3 });
    expect(entry.sha256).toMatch(/^[0-9a-f]{64}$/);
    const manifest = JSON.parse(await fs.readFile(path.join(dir, 'manifest.json'), 'utf8'));
    expect(manifest).toEqual([entry]);
    expect(await lastBackupAgeSeconds(source.knex)).toBeLessThan(60);
    const metrics = await fetch(`${app.url}/metrics`).then((response) => response.text());
    expect(metrics).toMatch(/^relais_backup_age_seconds \d+$/m);

    await app.close();
    await source.drop();

    const target = await createTestDatabase({ empty: true });
    try {
      await restoreDatabase(target.knex, { databaseUrl: target.url, file: path.join(dir, entry.file) });
      const after = await fingerprint(target.knex);
      // The backups table gained its row after the dump: everything else is identical.
      const { backups: _dumped, ...beforeRest } = before;
      const { backups: _restored, ...afterRest } = after;
      expect(afterRest).toEqual(beforeRest);

      app = await startTestApp({ db: target });
      const login = await app.request('POST', '/v1/auth/login', {
        body: { email: user.email, password: FACTORY_PASSWORD },
      });
      expect(login.status).toBe(200);
      const timeline = await app.request('GET', `/v1/people/${personId}/timeline`, {
        headers: { Authorization: `Bearer ${login.body.access_token}` },
      });
      expect(timeline.status).toBe(200);
      expect(timeline.body.data.length).toBeGreaterThanOrEqual(5);

      // A database that holds data is not overwritten without --force.
      await expect(
        restoreDatabase(target.knex, { databaseUrl: target.url, file: path.join(dir, entry.file) }),
      ).rejects.toThrow(/already has \d+ tables/);
      // A damaged file is refused before anything is touched.
      const damaged = path.join(dir, entry.file);
      const bytes = await fs.readFile(damaged);
      bytes[bytes.length - 10] = (bytes[bytes.length - 10] ?? 0) ^ 0xff;
      await fs.writeFile(damaged, bytes);
      await expect(
        restoreDatabase(target.knex, { databaseUrl: target.url, file: damaged, force: true }),
      ).rejects.toBeInstanceOf(BackupError);
    } finally {
      await app.close();
      source = target;
    }
  });

  it('npm run backup and restore: the operator commands, with one-line refusals', async (context) => {
    if (!fits && process.env.CI !== 'true') return context.skip();
    const own = await createTestDatabase();
    const cliDir = await fs.mkdtemp(path.join(os.tmpdir(), 'relais-cli-backups-'));
    const env = { DATABASE_URL: own.url, BACKUP_DIR: cliDir, LOG_LEVEL: 'warn', JWT_SECRET: 'x'.repeat(40) };
    try {
      const backup = startServerProcess(['backup'], env);
      expect(await backup.exited).toBe(0);
      expect(backup.output()).toMatch(
        /^Backed up to .*relais-.*\.dump \(\d+ bytes, sha256 [0-9a-f]{64}\)\.$/m,
      );
      const [file] = (await fs.readdir(cliDir)).filter((name) => name.endsWith('.dump'));
      const refused = startServerProcess(['restore', path.join(cliDir, file!)], env);
      expect(await refused.exited).toBe(1);
      expect(refused.output().trim()).toMatch(
        /already has \d+ tables; restore into an empty database, or pass --force/,
      );
      const forced = startServerProcess(['restore', path.join(cliDir, file!), '--force'], env);
      expect(await forced.exited).toBe(0);
      expect(forced.output()).toMatch(/^Restored .*: \d+ tables\.$/m);
    } finally {
      await own.drop();
      await fs.rm(cliDir, { recursive: true, force: true });
    }
  });

  it('keeps only the newest files past the retention count', async (context) => {
    if (!fits && process.env.CI !== 'true') return context.skip();
    const own = await createTestDatabase();
    const keepDir = await fs.mkdtemp(path.join(os.tmpdir(), 'relais-retention-'));
    try {
      for (let index = 0; index < 4; index += 1)
        await backupDatabase(own.knex, {
          databaseUrl: own.url,
          dir: keepDir,
          keep: 2,
          now: new Date(Date.UTC(2026, 0, 1 + index)),
        });
      const files = (await fs.readdir(keepDir)).filter((file) => file.endsWith('.dump')).sort();
      expect(files).toHaveLength(2);
      expect(files[1]).toContain('2026-01-04');
      expect(JSON.parse(await fs.readFile(path.join(keepDir, 'manifest.json'), 'utf8'))).toHaveLength(2);
    } finally {
      await own.drop();
      await fs.rm(keepDir, { recursive: true, force: true });
    }
  });
});
