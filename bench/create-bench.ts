/**
 * Creates at 1M people: `POST /v1/people` through the full stack (JWT, validation, the person,
 * its audit entry, the check for email events waiting for the address, the cache tags), with
 * unique emails, autocannon `-c 50`, alternating rounds against another build when one is given
 * (`BENCH_BASELINE=<path to another checkout's server/dist/main.js>`: an A/B on the same database,
 * in one run). Where one create's time goes: the server process's CPU per create, and each SQL
 * statement's database time per create (pg_stat_statements, triggers and foreign-key checks
 * included).
 *
 * Writes the create section of bench/README.md.
 *
 *   npm run build && npx tsx bench/create-bench.ts
 */
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import autocannon from 'autocannon';
import {
  benchAccessToken,
  openBenchDatabase,
  startBuilds,
  waitForHealth,
  writeBenchSection,
} from './bench-database';
import { loadBenchData } from './load-bench-data';

const SECONDS = Number(process.env.BENCH_HTTP_SECONDS ?? 10);
const ROUNDS = 3;
const JWT_SECRET = 'bench-secret-that-is-long-enough-0123456789';
const BASELINE = process.env.BENCH_BASELINE;

/** CPU seconds (user + system) a process has used so far, from /proc. */
async function cpuSeconds(pid: number): Promise<number> {
  const fields = (await readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

let sequence = 0;
async function creates(baseUrl: string, token: string, seconds: number) {
  const run = Date.now().toString(36);
  const result = await autocannon({
    url: `${baseUrl}/v1/people`,
    connections: 50,
    pipelining: 1,
    duration: seconds,
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    requests: [
      {
        setupRequest: (request) => {
          sequence += 1;
          return {
            ...request,
            body: JSON.stringify({
              first_name: 'Bench',
              last_name: `Création ${sequence}`,
              email: `bench.${run}.${sequence}@creations.example`,
              job_title: 'Directrice financière',
            }),
          };
        },
      },
    ],
  });
  return {
    creates_per_second: Math.round(result.requests.average),
    latency_p50_ms: result.latency.p50,
    latency_p99_ms: result.latency.p99,
    non_2xx: result.non2xx,
    errors: result.errors,
  };
}

async function main(): Promise<void> {
  const bench = await openBenchDatabase();
  await loadBenchData(bench.db);
  const { db } = bench;
  const token = await benchAccessToken(db, 'admin', JWT_SECRET);
  const servers = (await startBuilds(bench.url, JWT_SECRET)).map((server) => ({
    ...server,
    rounds: [] as number[],
  }));
  try {
    for (const server of servers) {
      await waitForHealth(server.url, server.main);
      await creates(server.url, token, 5);
    }
    // Loaded by the embedded cluster (BENCH_POSTGRES_SETTINGS); on another server, when it is.
    const hasStatements = await db.raw('CREATE EXTENSION IF NOT EXISTS pg_stat_statements').then(
      () => true,
      () => false,
    );
    if (hasStatements) await db.raw('SELECT pg_stat_statements_reset()');
    const primary = servers[0]!;
    const cpuBefore = await cpuSeconds(primary.process.pid!);
    let primaryCreates = 0;
    let last: Awaited<ReturnType<typeof creates>> | null = null;
    for (let index = 0; index < ROUNDS; index += 1) {
      for (const server of servers) {
        const round = await creates(server.url, token, SECONDS);
        server.rounds.push(round.creates_per_second);
        if (server === primary) {
          primaryCreates += round.creates_per_second * SECONDS;
          last = round;
        }
        process.stderr.write(`round ${index + 1}, ${server.name}: ${round.creates_per_second} creates/s\n`);
      }
    }
    const cpuPerCreateMs = ((await cpuSeconds(primary.process.pid!)) - cpuBefore) * (1_000 / primaryCreates);
    // Database time per create, by statement, while only the primary build's rounds count.
    const statements = hasStatements
      ? (
          await db.raw(
            `SELECT regexp_replace(query, '\\s+', ' ', 'g') AS query, calls, total_exec_time AS ms, toplevel
               FROM pg_stat_statements WHERE total_exec_time > 0 ORDER BY total_exec_time DESC LIMIT 14`,
          )
        ).rows
      : [];
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
    const totalCreates = servers.reduce(
      (sum, server) => sum + server.rounds.reduce((a, b) => a + b, 0) * SECONDS,
      0,
    );
    const lines = [
      '<!-- create-bench:start -->',
      '### Creates at 1M people (`create-bench.ts`)',
      '',
      `${new Date().toISOString().slice(0, 10)}, ${os.cpus()[0]?.model ?? 'unknown CPU'} (${os.cpus().length} cores), the bench database (production settings above), 1,000,000 people. \`POST /v1/people\` with a unique email, autocannon \`-c 50\`, ${ROUNDS} rounds of ${SECONDS} s${BASELINE ? ', alternating with the baseline build' : ''}; server, PostgreSQL and load generator share the cores.`,
      '',
      '| build | creates/s (median round) | rounds | p50 ms | p99 ms | non-2xx |',
      '|---|---|---|---|---|---|',
      ...servers.map(
        (server) =>
          `| ${server.name} | ${median(server.rounds)} | ${server.rounds.join(', ')} | ${server === primary ? last?.latency_p50_ms : ''} | ${server === primary ? last?.latency_p99_ms : ''} | ${server === primary ? last?.non_2xx : ''} |`,
      ),
      '',
      `Server process CPU per create: ${cpuPerCreateMs.toFixed(2)} ms.${BASELINE ? ' Database times below cover both builds’ creates.' : ''}`,
      '',
      '| statement | calls | database ms per create |',
      '|---|---|---|',
      ...statements.map(
        (row: { query: string; calls: string; ms: number; toplevel: boolean }) =>
          `| ${row.toplevel ? '' : '(inside) '}\`${row.query.slice(0, 110).replace(/\|/g, '\\|')}${row.query.length > 110 ? '…' : ''}\` | ${row.calls} | ${(row.ms / totalCreates).toFixed(3)} |`,
      ),
      '<!-- create-bench:end -->',
    ];
    await writeBenchSection('create-bench', lines.join('\n'));
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    for (const server of servers) server.process.kill('SIGTERM');
    await bench.close();
  }
}

await main();
