/**
 * Backups: `pg_dump -Fc` files in a folder, each with its SHA-256 in `manifest.json` and a row in
 * `backups` (whose age `/metrics` shows), the oldest pruned past a retention count; and restores
 * that check the file against its manifest and refuse a database that already holds data unless
 * forced. `pg_dump` and `pg_restore` come from the PostgreSQL client tools on the PATH, of the
 * server's major version or newer.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Knex } from '../platform/data/db';

const run = promisify(execFile);

export interface BackupEntry {
  file: string;
  sha256: string;
  bytes: number;
  created_at: string;
}

export class BackupError extends Error {}

/** Dumps the database into `dir`, records it, and keeps only the `keep` newest. */
export async function backupDatabase(
  db: Knex,
  options: { databaseUrl: string; dir: string; keep: number; now?: Date },
): Promise<BackupEntry> {
  await fs.mkdir(options.dir, { recursive: true, mode: 0o700 });
  const stamp = (options.now ?? new Date()).toISOString().replace(/[:.]/g, '-');
  const file = `relais-${stamp}.dump`;
  const target = path.join(options.dir, file);
  await tool('pg_dump', [
    '--format=custom',
    '--no-owner',
    '--no-privileges',
    `--file=${target}`,
    options.databaseUrl,
  ]);
  const entry: BackupEntry = {
    file,
    sha256: await sha256Of(target),
    bytes: (await fs.stat(target)).size,
    created_at: new Date().toISOString(),
  };
  const manifest = [...(await readManifest(options.dir)).filter((known) => known.file !== file), entry].sort(
    (a, b) => a.created_at.localeCompare(b.created_at),
  );
  const kept = manifest.slice(-Math.max(1, options.keep));
  for (const old of manifest.slice(0, manifest.length - kept.length)) {
    await fs.rm(path.join(options.dir, old.file), { force: true });
  }
  await writeManifest(options.dir, kept);
  await db('backups').insert({ file: entry.file, sha256: entry.sha256, bytes: entry.bytes });
  return entry;
}

/**
 * Restores `file` into the database. Refuses a file whose checksum differs from its manifest, and
 * a database that already has Relais tables unless `force` (which then replaces their contents).
 */
export async function restoreDatabase(
  db: Knex,
  options: { databaseUrl: string; file: string; force?: boolean },
): Promise<{ tables: number }> {
  const listed = (await readManifest(path.dirname(options.file))).find(
    (entry) => entry.file === path.basename(options.file),
  );
  if (listed && listed.sha256 !== (await sha256Of(options.file)))
    throw new BackupError(`${options.file} does not match the checksum in its manifest: it is damaged.`);
  const tables = await tableCount(db);
  if (tables > 0 && !options.force)
    throw new BackupError(
      `The database already has ${tables} tables; restore into an empty database, or pass --force to replace them.`,
    );
  await tool('pg_restore', [
    '--no-owner',
    '--no-privileges',
    '--exit-on-error',
    ...(tables > 0 ? ['--clean', '--if-exists'] : []),
    `--dbname=${options.databaseUrl}`,
    options.file,
  ]);
  return { tables: await tableCount(db) };
}

async function tableCount(db: Knex): Promise<number> {
  const { rows } = await db.raw<{ rows: { n: string }[] }>(
    "SELECT count(*) AS n FROM information_schema.tables WHERE table_schema = 'public'",
  );
  return Number(rows[0]?.n ?? 0);
}

/** Seconds since the last recorded backup, or null when there is none. */
export async function lastBackupAgeSeconds(db: Knex): Promise<number | null> {
  const row = await db('backups').max({ at: 'created_at' }).first();
  return row?.at ? (Date.now() - new Date(row.at as string).getTime()) / 1000 : null;
}

async function tool(name: string, args: string[]): Promise<void> {
  try {
    await run(name, args, { maxBuffer: 16 * 1024 * 1024 });
  } catch (error) {
    const failure = error as NodeJS.ErrnoException & { stderr?: string };
    if (failure.code === 'ENOENT')
      throw new BackupError(
        `${name} is not installed: install the PostgreSQL client tools (postgresql-client).`,
      );
    throw new BackupError(`${name} failed: ${(failure.stderr ?? failure.message).trim().split('\n')[0]}`);
  }
}

function sha256Of(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(file)
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => resolve(hash.digest('hex')));
  });
}

async function readManifest(dir: string): Promise<BackupEntry[]> {
  try {
    return JSON.parse(await fs.readFile(path.join(dir, 'manifest.json'), 'utf8')) as BackupEntry[];
  } catch {
    return [];
  }
}

async function writeManifest(dir: string, entries: BackupEntry[]): Promise<void> {
  const file = path.join(dir, 'manifest.json');
  await fs.writeFile(`${file}.tmp`, `${JSON.stringify(entries, null, 2)}\n`);
  await fs.rename(`${file}.tmp`, file);
}
