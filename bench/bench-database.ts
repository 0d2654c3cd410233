/**
 * The database benchmarks run against: BENCH_DATABASE_URL, or an embedded PostgreSQL kept in
 * `.relais/bench` (so the 1M-row data set is loaded once and reused).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import type pg from 'pg';
import { createLogger } from '../server/src/platform/core/logger';
import { hashPassword } from '../server/src/platform/core/passwords';
import { createDatabase, type Knex, migrateLatest } from '../server/src/platform/data/db';
import {
  type EmbeddedPostgresHandle,
  findFreePort,
  startEmbeddedPostgres,
} from '../server/src/platform/data/embedded-postgres';
import { signAccessToken } from '../server/src/platform/web/tokens';

export const logger = createLogger({ logLevel: 'warn' });

/**
 * The embedded cluster runs with the settings docs/operations.md recommends for a production
 * server of this size (24 GiB, SSD), not PostgreSQL's 128 MB defaults.
 */
export const BENCH_POSTGRES_SETTINGS = {
  shared_buffers: '4GB',
  effective_cache_size: '16GB',
  work_mem: '16MB',
  maintenance_work_mem: '1GB',
  max_wal_size: '8GB',
  checkpoint_timeout: '15min',
  random_page_cost: '1.1',
  // Statement times for the benches that say where a request's time goes (create-bench.ts).
  shared_preload_libraries: 'pg_stat_statements',
  'pg_stat_statements.track': 'all',
};

export async function openBenchDatabase(
  database = 'relais_bench',
): Promise<{ url: string; db: Knex; close(): Promise<void> }> {
  let embedded: EmbeddedPostgresHandle | null = null;
  let url = process.env.BENCH_DATABASE_URL ?? '';
  if (!url) {
    embedded = await startEmbeddedPostgres({
      dataDir: '.relais/bench',
      port: 0,
      database,
      logger,
      settings: BENCH_POSTGRES_SETTINGS,
    });
    url = embedded.url;
  }
  const db = createDatabase({ url, poolMax: 10, logger });
  await migrateLatest(db);
  return {
    url,
    db,
    close: async () => {
      await db.destroy();
      await embedded?.stop();
    },
  };
}

/**
 * Starts the API of a built server (`main`: this checkout's `server/dist/main.js`, or another's for
 * an A/B) in production mode. Its errors go to this process's stderr, or everything it writes to
 * `log` (a file descriptor) when given; `env` adds settings. `BENCH_CPU_PROF=<dir>`: a CPU profile
 * of the server, written when it stops.
 */
export function startApiServer(
  main: string,
  port: number,
  databaseUrl: string,
  jwtSecret: string,
  options: { env?: Record<string, string>; log?: number } = {},
): ChildProcess {
  const profile = process.env.BENCH_CPU_PROF
    ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`]
    : [];
  return spawn(process.execPath, [...profile, main, 'api'], {
    env: {
      PATH: process.env.PATH ?? '',
      DATABASE_URL: databaseUrl,
      JWT_SECRET: jwtSecret,
      PORT: String(port),
      NODE_ENV: 'production',
      LOG_LEVEL: 'info',
      ...options.env,
    },
    stdio: options.log === undefined ? ['ignore', 'ignore', 'inherit'] : ['ignore', options.log, options.log],
  });
}

/** A build serving the API for a bench: its name, its `main`, its base URL and its process. */
export interface BenchServer {
  name: string;
  main: string;
  url: string;
  process: ChildProcess;
}

/**
 * This checkout's build and, with `BENCH_BASELINE=<another checkout's server/dist/main.js>`, that
 * build too, each serving the API on a free port of one database: for rounds taken in turns.
 */
export async function startBuilds(databaseUrl: string, jwtSecret: string): Promise<BenchServer[]> {
  const builds = [{ name: 'this build', main: 'server/dist/main.js' }];
  if (process.env.BENCH_BASELINE) builds.push({ name: 'baseline', main: process.env.BENCH_BASELINE });
  return Promise.all(
    builds.map(async (build) => {
      const port = await findFreePort();
      return {
        ...build,
        url: `http://127.0.0.1:${port}`,
        process: startApiServer(build.main, port, databaseUrl, jwtSecret),
      };
    }),
  );
}

/** Resolves once the server at `baseUrl` answers `/health`; throws after `timeoutMs`, naming `log`. */
export async function waitForHealth(baseUrl: string, log: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const ok = await fetch(`${baseUrl}/health`).then(
      (response) => response.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the server at ${baseUrl} did not start; see ${log}`);
}

/** A one-line progress bar on stderr. */
export function progress(label: string, done: number, total: number, started: number): void {
  const width = 30;
  const filled = Math.round((done / total) * width);
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  process.stderr.write(
    `\r${label.padEnd(14)} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done}/${total} ${seconds}s`,
  );
  if (done === total) process.stderr.write('\n');
}

/** Replaces (or appends) a script's section of bench/README.md, between its start and end markers. */
export async function writeBenchSection(name: string, section: string): Promise<void> {
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  const readme = await readFile('bench/README.md', 'utf8');
  const from = readme.indexOf(start);
  const to = readme.indexOf(end);
  await writeFile(
    'bench/README.md',
    from >= 0 && to > from
      ? readme.slice(0, from) + section + readme.slice(to + end.length)
      : `${readme.trimEnd()}\n\n${section}\n`,
  );
}

/** Runs per database-time measure (after five warm-up runs). */
export const DATABASE_TIME_RUNS = 60;

/** The SQL (with bindings) of every query `run` sends. */
export async function captureQueries(
  db: Knex,
  run: () => Promise<unknown>,
): Promise<{ sql: string; bindings: unknown[] }[]> {
  const captured: { sql: string; bindings: unknown[] }[] = [];
  const listener = (query: { sql: string; bindings: unknown[] }) => {
    captured.push({ sql: query.sql, bindings: query.bindings ?? [] });
  };
  db.on('query', listener);
  try {
    await run();
  } finally {
    db.removeListener('query', listener);
  }
  return captured;
}

/**
 * Replays captured queries (native $n placeholders) under EXPLAIN ANALYZE; a run's time is the sum
 * over all of them (a search may need two or three). Five warm-up runs are not counted; the plans
 * of one more run, with buffers, come back as text.
 */
export async function databaseTime(pool: pg.Pool, queries: { sql: string; bindings: unknown[] }[]) {
  const times: number[] = [];
  for (let run = 0; run < DATABASE_TIME_RUNS + 5; run += 1) {
    let total = 0;
    for (const query of queries) {
      const result = await pool.query(`EXPLAIN (ANALYZE, FORMAT JSON) ${query.sql}`, query.bindings);
      const [plan] = result.rows[0]['QUERY PLAN'];
      total += plan['Planning Time'] + plan['Execution Time'];
    }
    if (run >= 5) times.push(total);
  }
  const plans: string[] = [];
  for (const query of queries) {
    const text = await pool.query(`EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) ${query.sql}`, query.bindings);
    plans.push(text.rows.map((row: { 'QUERY PLAN': string }) => row['QUERY PLAN']).join('\n'));
  }
  return {
    queries: queries.length,
    ...percentiles(times),
    plan: plans.join('\n\n-- then --\n\n'),
  };
}

function percentiles(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
  return { p50: round(at(50)), p95: round(at(95)), max: round(sorted[sorted.length - 1]!) };
}
export const round = (value: number) => Math.round(value * 100) / 100;

/** A new staff account of `role` in the bench database, and an access token (an hour) signed with `secret`. */
export async function benchAccessToken(db: Knex, role: string, secret: string): Promise<string> {
  const [user] = await db('users')
    .insert({
      email: `bench-${Date.now()}-${Math.random().toString(36).slice(2)}@example.com`,
      name: 'Bench',
      role,
      password_hash: await hashPassword('bench-password-123'),
    })
    .returning(['id', 'role']);
  return signAccessToken({ secret, issuer: 'relais' }, user, 3_600).token;
}
