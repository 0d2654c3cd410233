/**
 * Interactions at scale: 1,000,000 interactions and 5,000,000 participants on top of the CRM bench
 * data (loaded first if needed), with one person in 10,000 interactions and one user with 5,000
 * open items. Measures:
 * - database time (EXPLAIN ANALYZE) of a person's timeline, first page, and of the inbox with
 *   counts (all its queries) — targets p95 ≤ 15 ms and ≤ 20 ms;
 * - POST /v1/interactions with 5 participants through the full stack (autocannon -c 50, the median
 *   of 3 rounds of 10 s) — ≥ 500/s; with `BENCH_BASELINE=<another checkout's server/dist/main.js>`,
 *   rounds alternate with that build's (an A/B on the same database, in one run).
 *
 *   npm run build && npx tsx bench/interactions-bench.ts
 */
import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import autocannon from 'autocannon';
import pg from 'pg';
import { getInbox } from '../server/src/interactions/inbox-service';
import { personTimeline } from '../server/src/interactions/timeline-service';
import { hashPassword } from '../server/src/platform/core/passwords';
import type { Knex } from '../server/src/platform/data/db';
import { knownTimeZones } from '../server/src/platform/data/time-zone';
import { signAccessToken } from '../server/src/platform/web/tokens';
import {
  captureQueries,
  databaseTime,
  openBenchDatabase,
  progress,
  startBuilds,
  waitForHealth,
  writeBenchSection,
} from './bench-database';
import { loadBenchData } from './load-bench-data';

const INTERACTIONS = 1_000_000;
const BATCH = 50_000;
const JWT_SECRET = 'bench-secret-that-is-long-enough-0123456789';

export async function loadInteractions(db: Knex): Promise<{ heavyPerson: string; busyUser: string }> {
  const meta = await db('relais_meta').where({ key: 'bench:interactions' }).first();
  if (meta) return meta.value;
  const [busyUser] = await db('users')
    .insert({
      email: `busy-${Date.now()}@bench.example`,
      name: 'Busy',
      role: 'user',
      password_hash: await hashPassword('bench-password-123'),
    })
    .returning('id');
  const [heavyPerson] = await db('people')
    .insert({ first_name: 'Heavy', last_name: 'Bench', email: `heavy-${Date.now()}@bench.example` })
    .returning('id');
  // People numbered 1..N, so each participant is found by key, not by OFFSET.
  await db.raw('DROP TABLE IF EXISTS bench_people');
  await db.raw(
    'CREATE UNLOGGED TABLE bench_people AS SELECT row_number() OVER (ORDER BY id) AS n, id FROM people',
  );
  await db.raw('ALTER TABLE bench_people ADD PRIMARY KEY (n)');
  const people = Number((await db('bench_people').count({ n: '*' }))[0]?.n);
  const started = Date.now();
  for (let from = 1; from <= INTERACTIONS; from += BATCH) {
    const to = Math.min(from + BATCH - 1, INTERACTIONS);
    // Every interaction: the busy user as organiser and four people; every 100th has the heavy
    // person among them (10k), every 200th is open and assigned to the busy user (5k).
    await db.raw(
      `WITH source AS MATERIALIZED (
         SELECT i, gen_random_uuid() AS id, now() - make_interval(mins => (i % 1051200)::int) AS occurred_at
         FROM generate_series(?::bigint, ?::bigint) AS i
       ), inserted AS (
         INSERT INTO interactions (id, type, title, occurred_at, status, assignee_id, next_action_at, created_by, source)
         SELECT id, (ARRAY['call','email','meeting','video_call','note'])[1 + (i % 5)::int], 'Bench interaction ' || i, occurred_at,
                CASE WHEN i % 200 = 0 THEN 'todo' ELSE 'done' END,
                CASE WHEN i % 200 = 0 THEN ?::uuid END,
                CASE WHEN i % 200 = 0 THEN now() + make_interval(hours => (i % 720)::int - 240) END,
                ?::uuid, 'import'
         FROM source
         RETURNING id
       )
       INSERT INTO interaction_participants (interaction_id, person_id, user_id, role, occurred_at)
       SELECT source.id,
              CASE WHEN k = 0 THEN NULL WHEN k = 1 AND source.i % 100 = 0 THEN ?::uuid ELSE person.id END,
              CASE WHEN k = 0 THEN ?::uuid END,
              CASE WHEN k = 0 THEN 'organiser' ELSE 'attendee' END,
              source.occurred_at
       FROM source
       CROSS JOIN generate_series(0, 4) AS k
       LEFT JOIN bench_people AS person ON k > 0 AND person.n = 1 + ((source.i * 7 + k * 104729) % ?)`,
      [from, to, busyUser.id, busyUser.id, heavyPerson.id, busyUser.id, people],
    );
    progress('interactions', to, INTERACTIONS, started);
  }
  await db.raw('DROP TABLE bench_people');
  // As a live table would be: visibility map and hint bits set, so reads measure reads, and
  // autovacuum does not start on the new rows in the middle of a benchmark.
  await db.raw('VACUUM (ANALYZE) interactions, interaction_participants, search_words');
  const value = { heavyPerson: heavyPerson.id as string, busyUser: busyUser.id as string };
  await db('relais_meta').insert({ key: 'bench:interactions', value: JSON.stringify(value) });
  return value;
}

const ROUNDS = 3;

async function createThroughput(url: string, token: string, people: string[], seconds: number) {
  let index = 0;
  const body = () =>
    JSON.stringify({
      type: 'call',
      title: `Bench call ${index}`,
      participants: people
        .slice((index++ * 5) % (people.length - 5), (((index - 1) * 5) % (people.length - 5)) + 5)
        .map((person_id) => ({ person_id })),
    });
  const result = await autocannon({
    url,
    connections: 50,
    duration: seconds,
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    requests: [
      {
        method: 'POST',
        path: '/v1/interactions',
        setupRequest: (request) => ({ ...request, body: body() }),
      },
    ],
  });
  return {
    creates_per_second: Math.round(result.requests.average),
    latency_p50_ms: result.latency.p50,
    latency_p99_ms: result.latency.p99,
    non_2xx: result.non2xx,
  };
}

async function main() {
  const bench = await openBenchDatabase();
  await loadBenchData(bench.db);
  const { heavyPerson, busyUser } = await loadInteractions(bench.db);
  const { db } = bench;
  const pool = new pg.Pool({ connectionString: bench.url, max: 1 });
  const now = new Date();
  const timeline = await databaseTime(
    pool,
    await captureQueries(db, () => personTimeline(db, heavyPerson, { limit: 25 }, now)),
  );
  process.stderr.write(`timeline p95 ${timeline.p95} ms (${timeline.queries} queries)\n`);
  // The time zones PostgreSQL knows are read once per process (`platform/data/time-zone.ts`, about
  // 20 ms on the Intel host); an inbox request after the first does not read them again.
  await knownTimeZones(db);
  const inbox = await databaseTime(
    pool,
    await captureQueries(db, () =>
      getInbox(db, { userId: busyUser, timeZone: 'Europe/Paris', limit: 25, now }),
    ),
  );
  process.stderr.write(`inbox p95 ${inbox.p95} ms (${inbox.queries} queries)\n`);
  await pool.end();

  const user = await db('users').where({ id: busyUser }).first();
  const token = signAccessToken({ secret: JWT_SECRET, issuer: 'relais' }, user, 3_600).token;
  const people = (await db('people').select('id').limit(5_000)).map((row) => row.id as string);
  const servers = (await startBuilds(bench.url, JWT_SECRET)).map((server) => ({
    ...server,
    rounds: [] as Awaited<ReturnType<typeof createThroughput>>[],
  }));
  try {
    for (const server of servers) {
      await waitForHealth(server.url, 'its stderr above');
      await createThroughput(server.url, token, people, 3);
    }
    for (let round = 1; round <= ROUNDS; round += 1)
      for (const server of servers) {
        const result = await createThroughput(server.url, token, people, 10);
        server.rounds.push(result);
        process.stderr.write(`round ${round}, ${server.name}: ${result.creates_per_second} creates/s\n`);
      }
    /** A build's median round, with every round's rate. */
    const summarise = ({ rounds }: (typeof servers)[number]) => ({
      ...[...rounds].sort((a, b) => a.creates_per_second - b.creates_per_second)[
        Math.floor(rounds.length / 2)
      ]!,
      rounds: rounds.map((round) => round.creates_per_second),
    });
    const create = summarise(servers[0]!);
    const baseline = servers[1] && summarise(servers[1]);
    const results = {
      date: new Date().toISOString(),
      machine: `${os.cpus().length} × ${os.cpus()[0]?.model}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
      timeline_ms: timeline,
      inbox_ms: inbox,
      create,
      ...(baseline ? { baseline } : {}),
    };
    await writeFile('bench/results/interactions.json', `${JSON.stringify(results, null, 2)}\n`);
    const section = `<!-- interactions-bench:start -->
### Interactions at 1M interactions / 5M participants (\`npx tsx bench/interactions-bench.ts\`)

${results.date.slice(0, 10)} · ${results.machine} · embedded PostgreSQL.

| measure | result | target |
|---|---|---|
| a person's timeline, first page (person in 10,000 interactions), database time of its ${timeline.queries} queries | p50 ${timeline.p50} ms, p95 ${timeline.p95} ms | p95 ≤ 15 ms |
| inbox with counts (user with 5,000 open items), database time of its ${inbox.queries} queries | p50 ${inbox.p50} ms, p95 ${inbox.p95} ms | p95 ≤ 20 ms |
| \`POST /v1/interactions\` with 5 participants, full stack, autocannon -c 50, median of ${ROUNDS} rounds of 10 s (${create.rounds.join(', ')}) | ${create.creates_per_second}/s (p50 ${create.latency_p50_ms} ms, p99 ${create.latency_p99_ms} ms, non-2xx ${create.non_2xx}) | ≥ 500/s |${baseline ? `\n| the same creates on the baseline build (\`BENCH_BASELINE\`), rounds alternating with the above (${baseline.rounds.join(', ')}) | ${baseline.creates_per_second}/s (p50 ${baseline.latency_p50_ms} ms, p99 ${baseline.latency_p99_ms} ms, non-2xx ${baseline.non_2xx}) | |` : ''}
<!-- interactions-bench:end -->`;
    await writeBenchSection('interactions-bench', section);
  } finally {
    for (const server of servers) server.process.kill('SIGTERM');
    await bench.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
