/**
 * CRM benchmark at 1M people (loads the bench data first if needed):
 * - database time (planning + execution, from EXPLAIN ANALYZE) of the exact SQL the repositories
 *   generate for: the people list at page 1 and at depth 500k, and searches;
 * - single-record GET /v1/people/{id} through the full stack (auth, validation, logging, ETag)
 *   against a bare node:http + pg server running the same queries, with autocannon, -c 50; for
 *   information, the same per-request work written straight on Express (bench/floor-server.mjs):
 *   what Relais's general layers cost on top of it.
 *
 * Writes bench/results/crm.json and the results section of bench/README.md.
 *
 *   npm run build && npx tsx bench/crm-bench.ts
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import autocannon from 'autocannon';
import pg from 'pg';
import { listOrganisations } from '../server/src/organisations/organisation-service';
import { listPeople } from '../server/src/people/person-service';
import { findFreePort } from '../server/src/platform/data/embedded-postgres';
import {
  benchAccessToken,
  captureQueries,
  DATABASE_TIME_RUNS,
  databaseTime,
  openBenchDatabase,
  round,
} from './bench-database';
import { loadBenchData } from './load-bench-data';

const HTTP_SECONDS = Number(process.env.BENCH_HTTP_SECONDS ?? 8);
/** Bare and full runs alternate, so drift on a shared machine hits both alike. */
const HTTP_ROUNDS = 5;
/** Rounds of the full stack with its read cache on, alternating with Express serving from memory. */
const CACHED_ROUNDS = 3;
/** Seconds of load each server gets before the rounds, so that every one is measured warm (JIT). */
const WARM_UP_SECONDS = 8;
const JWT_SECRET = 'bench-secret-that-is-long-enough-0123456789';
const FRAMEWORKS = ['express'] as const;
type Framework = (typeof FRAMEWORKS)[number];

/** The middle one of `items` ordered by `by` (of an even count, the upper one). */
function medianBy<T>(items: readonly T[], by: (item: T) => number): T {
  return [...items].sort((a, b) => by(a) - by(b))[Math.floor(items.length / 2)]!;
}

function startProcess(args: string[], env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, args, {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

async function waitFor(url: string, headers: Record<string, string> = {}): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt += 1) {
    try {
      if ((await fetch(url, { headers })).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${url} did not come up`);
}

type LoadResult = Awaited<ReturnType<typeof load>>;

async function load(url: string, ids: string[], headers: Record<string, string>, seconds: number) {
  let index = 0;
  const run = (duration: number) =>
    autocannon({
      url,
      connections: 50,
      pipelining: 1,
      duration,
      headers,
      requests: [
        {
          setupRequest: (request) => ({
            ...request,
            path: `/v1/people/${ids[index++ % ids.length]}`,
          }),
        },
      ],
    });
  const result = await run(seconds);
  return {
    requests_per_second: Math.round(result.requests.average),
    latency_p50_ms: result.latency.p50,
    latency_p99_ms: result.latency.p99,
    non_2xx: result.non2xx,
    errors: result.errors,
  };
}

async function main() {
  const bench = await openBenchDatabase();
  await loadBenchData(bench.db);
  const { db } = bench;

  const deepCursorRow = await db('people')
    .select('sort_name', 'id')
    .orderBy(['sort_name', 'id'])
    .offset(500_000)
    .first();
  const deepCursor = Buffer.from(
    JSON.stringify(['people:name:asc', deepCursorRow.sort_name, deepCursorRow.id]),
  ).toString('base64url');
  const someone = await db('people').select('email').where('email', 'like', '%.500000@%').first();
  const emailFragment = String(someone?.email ?? 'dupre').split('@')[0]!;
  const lefevrePage2 =
    (await listPeople(db, { q: 'lefevre' }, { limit: 25, sort: 'name' })).next_cursor ?? undefined;
  const cases: Record<string, () => Promise<unknown>> = {
    'people list, page 1 (sort=name)': () => listPeople(db, {}, { limit: 25, sort: 'name' }),
    'people list, depth 500k (sort=name)': () =>
      listPeople(db, {}, { limit: 25, sort: 'name', cursor: deepCursor }),
    'people list, page 1 (sort=-updated_at)': () => listPeople(db, {}, { limit: 25, sort: '-updated_at' }),
    'people search q=helene': () => listPeople(db, { q: 'helene' }, { limit: 25, sort: 'name' }),
    'people search q=dupre': () => listPeople(db, { q: 'dupre' }, { limit: 25, sort: 'name' }),
    'people search q=martin (common name)': () =>
      listPeople(db, { q: 'martin' }, { limit: 25, sort: 'name' }),
    'people search q=lefevre, page 2': () =>
      listPeople(db, { q: 'lefevre' }, { limit: 25, sort: 'name', cursor: lefevrePage2 }),
    'people search q=lefvre (a typo: close words)': () =>
      listPeople(db, { q: 'lefvre' }, { limit: 25, sort: 'name' }),
    'people search by email fragment': () =>
      listPeople(db, { q: emailFragment }, { limit: 25, sort: 'name' }),
    'organisations search q=generale': () =>
      listOrganisations(db, { q: 'generale' }, { limit: 25, sort: 'name' }),
  };
  const database: Record<string, unknown> = {};
  const pool = new pg.Pool({ connectionString: bench.url, max: 1 });
  for (const [name, run] of Object.entries(cases)) {
    const listQueries = (await captureQueries(db, run)).filter((query) =>
      /from "(people|organisations)"/.test(query.sql),
    );
    database[name] = await databaseTime(pool, listQueries);
    process.stderr.write(`${name}: p95 ${(database[name] as { p95: number }).p95} ms\n`);
  }

  await pool.end();
  const token = await benchAccessToken(db, 'readonly', JWT_SECRET);
  const ids = (await db('people').select('id').orderByRaw('random()').limit(2_000)).map(
    (row) => row.id as string,
  );

  const [fullPort, cachedPort, barePort] = [await findFreePort(), await findFreePort(), await findFreePort()];
  const serverEnv = { DATABASE_URL: bench.url, JWT_SECRET, LOG_LEVEL: 'info', NODE_ENV: 'production' };
  // The comparison runs the same queries on both sides: the full stack with its read cache off.
  const full = startProcess(['server/dist/main.js', 'api'], {
    ...serverEnv,
    PORT: String(fullPort),
    CACHE_TTL_SECONDS: '0',
  });
  const cached = startProcess(['server/dist/main.js', 'api'], { ...serverEnv, PORT: String(cachedPort) });
  const bare = startProcess(['bench/bare-server.mjs'], { DATABASE_URL: bench.url, PORT: String(barePort) });
  const cachedFloorPort = String(await findFreePort());
  const cachedFloor = startProcess(['bench/floor-server.mjs'], {
    DATABASE_URL: bench.url,
    JWT_SECRET,
    PORT: cachedFloorPort,
    FLOOR_CACHE: '1',
  });
  const floors: { framework: Framework; url: string; process: ChildProcess; ratios: number[] }[] = [];
  for (const framework of FRAMEWORKS) {
    const port = String(await findFreePort());
    floors.push({
      framework,
      url: `http://127.0.0.1:${port}`,
      process: startProcess(['bench/floor-server.mjs'], {
        DATABASE_URL: bench.url,
        JWT_SECRET,
        PORT: port,
      }),
      ratios: [],
    });
  }
  const auth = { authorization: `Bearer ${token}` };
  try {
    await waitFor(`http://127.0.0.1:${fullPort}/v1/people/${ids[0]}`, auth);
    await waitFor(`http://127.0.0.1:${barePort}/v1/people/${ids[0]}`);
    await waitFor(`http://127.0.0.1:${cachedPort}/v1/people/${ids[0]}`, auth);
    for (const floor of floors) {
      await waitFor(`${floor.url}/v1/people/${ids[0]}`, auth);
      await load(floor.url, ids, auth, WARM_UP_SECONDS);
    }
    const bareUrl = `http://127.0.0.1:${barePort}`;
    const fullUrl = `http://127.0.0.1:${fullPort}`;
    await load(bareUrl, ids, {}, WARM_UP_SECONDS);
    await load(fullUrl, ids, auth, WARM_UP_SECONDS);
    const rounds: { bare: LoadResult; full: LoadResult }[] = [];
    for (let index = 0; index < HTTP_ROUNDS; index += 1) {
      const bareRound = await load(bareUrl, ids, {}, HTTP_SECONDS);
      const fullRound = await load(fullUrl, ids, auth, HTTP_SECONDS);
      rounds.push({ bare: bareRound, full: fullRound });
      process.stderr.write(
        `round ${index + 1}: full ${fullRound.requests_per_second} req/s, bare ${bareRound.requests_per_second} req/s\n`,
      );
      for (const floor of floors) {
        const floorRound = await load(floor.url, ids, auth, HTTP_SECONDS);
        floor.ratios.push(floorRound.requests_per_second / bareRound.requests_per_second);
        process.stderr.write(`  ${floor.framework} alone: ${floorRound.requests_per_second} req/s\n`);
      }
    }
    const ratioOf = (pair: { bare: LoadResult; full: LoadResult }) =>
      pair.full.requests_per_second / pair.bare.requests_per_second;
    const middle = medianBy(rounds, ratioOf);
    const http = {
      full_stack: middle.full,
      bare_node_pg: middle.bare,
      ratio: round(ratioOf(middle)),
      rounds: rounds.map((pair) => ({
        full: pair.full.requests_per_second,
        bare: pair.bare.requests_per_second,
      })),
      framework_alone: Object.fromEntries(
        floors.map(({ framework, ratios }) => {
          const sorted = [...ratios].sort((a, b) => a - b);
          return [framework, { median_ratio: round(medianBy(sorted, Number)), ratios: sorted.map(round) }];
        }),
      ) as Record<Framework, { median_ratio: number; ratios: number[] }>,
    };
    process.stderr.write(`median ratio ${http.ratio}\n`);
    // With the read cache on, against the same per-request work on Express serving from memory.
    const cachedUrl = `http://127.0.0.1:${cachedPort}`;
    const cachedFloorUrl = `http://127.0.0.1:${cachedFloorPort}`;
    await waitFor(`${cachedFloorUrl}/v1/people/${ids[0]}`, auth);
    await load(cachedUrl, ids, auth, WARM_UP_SECONDS);
    await load(cachedFloorUrl, ids, auth, WARM_UP_SECONDS);
    const cachedRounds: { full: LoadResult; floor: LoadResult }[] = [];
    for (let index = 0; index < CACHED_ROUNDS; index += 1) {
      const fullRound = await load(cachedUrl, ids, auth, HTTP_SECONDS);
      const floorRound = await load(cachedFloorUrl, ids, auth, HTTP_SECONDS);
      cachedRounds.push({ full: fullRound, floor: floorRound });
      process.stderr.write(
        `cached round ${index + 1}: full ${fullRound.requests_per_second} req/s, Express from memory ${floorRound.requests_per_second} req/s\n`,
      );
    }
    const withCache = medianBy(cachedRounds, (pair) => pair.full.requests_per_second).full;
    const bareMedian = medianBy(rounds, (pair) => pair.bare.requests_per_second).bare.requests_per_second;
    const cached = {
      full: withCache,
      rounds: cachedRounds.map((pair) => ({
        full: pair.full.requests_per_second,
        express_from_memory: pair.floor.requests_per_second,
      })),
      bare_median: bareMedian,
      ratio_to_bare: round(withCache.requests_per_second / bareMedian),
      express_from_memory_ratio_to_bare: round(
        medianBy(cachedRounds, (pair) => pair.floor.requests_per_second).floor.requests_per_second /
          bareMedian,
      ),
    };
    const results = {
      date: new Date().toISOString(),
      machine: `${os.cpus().length} × ${os.cpus()[0]?.model}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${os.type()} ${os.release()}, Node ${process.version}`,
      postgres: (await db.raw('SHOW server_version')).rows[0].server_version,
      database_ms: database,
      http: { ...http, full_stack_with_cache: cached },
    };
    await writeFile('bench/results/crm.json', `${JSON.stringify(results, null, 2)}\n`);
    await writeReadme(results);
  } finally {
    full.kill('SIGTERM');
    cached.kill('SIGTERM');
    cachedFloor.kill('SIGTERM');
    bare.kill('SIGTERM');
    for (const floor of floors) floor.process.kill('SIGTERM');
    await bench.close();
  }
}

async function writeReadme(results: {
  date: string;
  machine: string;
  postgres: string;
  database_ms: Record<string, unknown>;
  http: {
    full_stack: Record<string, number>;
    full_stack_with_cache: {
      full: LoadResult;
      rounds: { full: number; express_from_memory: number }[];
      bare_median: number;
      ratio_to_bare: number;
      express_from_memory_ratio_to_bare: number;
    };
    bare_node_pg: Record<string, number>;
    ratio: number;
    rounds: { full: number; bare: number }[];
    framework_alone: Record<Framework, { median_ratio: number }>;
  };
}) {
  const rows = Object.entries(
    results.database_ms as Record<string, { p50: number; p95: number; max: number }>,
  )
    .map(([name, time]) => `| ${name} | ${time.p50} | ${time.p95} | ${time.max} |`)
    .join('\n');
  const plans = Object.entries(results.database_ms as Record<string, { plan: string }>)
    .map(([name, time]) => `<details><summary>${name}</summary>\n\n\`\`\`\n${time.plan}\n\`\`\`\n</details>`)
    .join('\n\n');
  const { full_stack: full, bare_node_pg: bare, full_stack_with_cache: cached } = results.http;
  const withCache = cached.full;
  const section = `<!-- crm-bench:start -->
### CRM at 1M people (\`npx tsx bench/crm-bench.ts\`)

${results.date.slice(0, 10)} · ${results.machine} · PostgreSQL ${results.postgres} (embedded unless BENCH_DATABASE_URL) · 100,000 organisations, 1,000,000 people.

Database time (planning + execution, EXPLAIN ANALYZE, ${DATABASE_TIME_RUNS} runs) of the SQL the repositories generate — targets: list p95 ≤ 10 ms, search p95 ≤ 50 ms:

| query | p50 ms | p95 ms | max ms |
|---|---|---|---|
${rows}

Single-record \`GET /v1/people/{id}\` (person + organisations), autocannon \`-c 50\`, no pipelining, ${HTTP_ROUNDS} alternating rounds of ${HTTP_SECONDS} s after a ${WARM_UP_SECONDS} s warm-up of each server (the round with the median ratio shown; per-round req/s full/bare: ${results.http.rounds.map((r) => `${r.full}/${r.bare}`).join(', ')}), server, PostgreSQL and load generator sharing the machine's 2 cores — targets: read cache off, full stack ≥ 90% of the same per-request work straight on Express; read cache on, ≥ 3× bare:

| server | req/s | p50 ms | p99 ms | non-2xx |
|---|---|---|---|---|
| full stack (JWT auth with the cached user, validation, logging, ETag), read cache off (\`CACHE_TTL_SECONDS=0\`): the same queries | ${full.requests_per_second} | ${full.latency_p50_ms} | ${full.latency_p99_ms} | ${full.non_2xx} |
| bare node:http + pg | ${bare.requests_per_second} | ${bare.latency_p50_ms} | ${bare.latency_p99_ms} | ${bare.non_2xx} |
| **ratio to bare** | **${Math.round(results.http.ratio * 100)}%** | | | |
| the same per-request work (request id, access-log line, metrics, security headers, cached JWT and user, id check, the two queries, ETag) written straight on Express, without Relais's general layers (\`bench/floor-server.mjs\`), median ratio to bare | ${FRAMEWORKS.map((framework) => `${Math.round(results.http.framework_alone[framework].median_ratio * 100)}%`).join(' / ')} | | | |
| **full stack ÷ the same work on Express** | **${FRAMEWORKS.map((framework) => `${Math.round((results.http.ratio / results.http.framework_alone[framework].median_ratio) * 100)}%`).join(' / ')}** | | | |
| full stack with its read cache on (the default; in process, no Redis), median of ${CACHED_ROUNDS} rounds (${cached.rounds.map((r) => r.full).join(', ')} req/s) | ${withCache.requests_per_second} | ${withCache.latency_p50_ms} | ${withCache.latency_p99_ms} | ${withCache.non_2xx} |
| **read cache on ÷ bare (median ${cached.bare_median} req/s)** | **${cached.ratio_to_bare}×** | | | |
| the same per-request work on Express serving each person from memory once read (\`FLOOR_CACHE=1\`), alternating with the above (${cached.rounds.map((r) => r.express_from_memory).join(', ')} req/s) ÷ bare | ${cached.express_from_memory_ratio_to_bare}× | | | |

Query plans:

${plans}
<!-- crm-bench:end -->`;
  const readme = await readFile('bench/README.md', 'utf8');
  const updated = readme.includes('<!-- crm-bench:start -->')
    ? readme.replace(/<!-- crm-bench:start -->[\s\S]*<!-- crm-bench:end -->/, section)
    : `${readme.trimEnd()}\n\n${section}\n`;
  await writeFile('bench/README.md', updated);
}

await main();
