/**
 * The read cache under a Zipf read mix, against one API process and a Redis of its own (so it can
 * be stopped mid-run). Targets: hit ratio ≥ 85% with 2% writes; 0 stale reads in 10,000
 * write-then-read pairs; 200 concurrent misses on one key → 1 database read; Redis stopped
 * mid-run → 0 errors.
 *
 *   npx tsx bench/cache-bench.ts [requests=30000] [pairs=10000] [concurrency=8]
 *
 * Needs `npm run build` and the `redis-server` binary.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { openSync } from 'node:fs';
import os from 'node:os';
import { hashPassword } from '../server/src/platform/core/passwords';
import { signAccessToken } from '../server/src/platform/web/tokens';
import { insertUser } from '../server/src/users/user-repository';
import { OwnRedis } from '../tests/helpers/redis-server';
import { openBenchDatabase, waitForHealth, writeBenchSection } from './bench-database';

const [REQUESTS = 30_000, PAIRS = 10_000, CONCURRENCY = 8] = process.argv.slice(2).map(Number);
const PEOPLE = 2_000;
const ORGANISATIONS = 200;
const SECRET = 'bench-secret-that-is-long-enough-0123456789';
const PORT = 4311;
const BASE = `http://127.0.0.1:${PORT}`;

/** Draws 0..n-1 with probability ∝ 1/(k+1)^s. */
function zipf(n: number, s = 1.1): () => number {
  const cumulative: number[] = [];
  let total = 0;
  for (let k = 1; k <= n; k += 1) {
    total += 1 / k ** s;
    cumulative.push(total);
  }
  return () => {
    const target = Math.random() * total;
    let low = 0;
    let high = n - 1;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (cumulative[mid]! < target) low = mid + 1;
      else high = mid;
    }
    return low;
  };
}

async function main() {
  const redis = await OwnRedis.start();
  const bench = await openBenchDatabase('relais_cache_bench');
  const { db } = bench;
  await db.raw(
    'TRUNCATE notifications, interaction_participants, interactions, person_organisations, people, organisations, lead_scores CASCADE',
  );
  const hash = await hashPassword('bench-password-0123');
  const stamp = Date.now();
  const [user, admin] = await Promise.all(
    (['manager', 'admin'] as const).map((role) =>
      insertUser(db, {
        email: `${role}-${stamp}@bench.invalid`,
        name: role,
        role,
        active: true,
        time_zone: 'Europe/Paris',
        password_hash: hash,
      }),
    ),
  );
  const tokens = { secret: SECRET, issuer: 'relais' };
  const auth = { Authorization: `Bearer ${signAccessToken(tokens, user!, 7_200).token}` };
  const adminAuth = { Authorization: `Bearer ${signAccessToken(tokens, admin!, 7_200).token}` };

  const organisations: string[] = (
    await db
      .batchInsert<Record<string, unknown>>(
        'organisations',
        Array.from({ length: ORGANISATIONS }, (_, index) => ({ name: `Org ${index}`, type: 'client' })),
        500,
      )
      .returning('id' as never)
  ).map((row) => (row as { id: string }).id);
  const people: string[] = (
    await db
      .batchInsert<Record<string, unknown>>(
        'people',
        Array.from({ length: PEOPLE }, (_, index) => ({
          first_name: 'Person',
          last_name: `${index}`,
          email: `p${index}-${stamp}@bench.invalid`,
        })),
        500,
      )
      .returning('id' as never)
  ).map((row) => (row as { id: string }).id);
  await db.batchInsert(
    'person_organisations',
    people.map((id, index) => ({ person_id: id, organisation_id: organisations[index % ORGANISATIONS] })),
    1_000,
  );
  const interactions = (await db
    .batchInsert<Record<string, unknown>>(
      'interactions',
      Array.from({ length: PEOPLE * 2 }, (_, index) => ({
        type: 'call',
        title: `Call ${index}`,
        occurred_at: new Date(Date.now() - index * 60_000),
        organisation_id: organisations[index % ORGANISATIONS],
      })),
      1_000,
    )
    .returning(['id', 'occurred_at'] as never)) as unknown as Array<{ id: string; occurred_at: Date }>;
  await db.batchInsert(
    'interaction_participants',
    interactions.map((row, index) => ({
      interaction_id: row.id,
      person_id: people[index % PEOPLE],
      occurred_at: row.occurred_at,
    })),
    1_000,
  );
  const interactionOf = (person: number) => interactions[person]!.id;

  const server: ChildProcess = spawn(process.execPath, ['server/dist/main.js', 'api'], {
    env: {
      PATH: process.env.PATH ?? '',
      DATABASE_URL: bench.url,
      REDIS_URL: redis.url,
      JWT_SECRET: SECRET,
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      PORT: String(PORT),
      HOST: '127.0.0.1',
    },
    stdio: ['ignore', openSync('bench/results/cache-server.log', 'w'), 'inherit'],
  });
  try {
    await waitForHealth(BASE, 'bench/results/cache-server.log');

    let errors = 0;
    const errorKinds = new Map<string, number>();
    let stale = 0;
    let checked = 0;
    const call = async (method: string, path: string, body?: object) => {
      try {
        const response = await fetch(`${BASE}${path}`, {
          method,
          headers: { ...auth, ...(body ? { 'content-type': 'application/json' } : {}) },
          body: body ? JSON.stringify(body) : undefined,
        });
        // biome-ignore lint/suspicious/noExplicitAny: the bench reads response bodies loosely.
        const json = (await response.json()) as Record<string, any>;
        if (response.status >= 400) {
          errors += 1;
          const key = `${method} ${path.replace(/[0-9a-f-]{36}/g, '{id}')} ${response.status}`;
          errorKinds.set(key, (errorKinds.get(key) ?? 0) + 1);
        }
        return json;
      } catch {
        errors += 1;
        return {};
      }
    };
    const stats = async () =>
      (await (await fetch(`${BASE}/v1/cache/stats`, { headers: adminAuth })).json()) as {
        mode: string;
        prefixes: Record<string, { hits: number; misses: number; loads: number; bypassed: number }>;
      };
    const totals = (snapshot: Awaited<ReturnType<typeof stats>>) =>
      Object.values(snapshot.prefixes).reduce(
        (sum, counts) => ({
          hits: sum.hits + counts.hits,
          misses: sum.misses + counts.misses,
          bypassed: sum.bypassed + counts.bypassed,
        }),
        { hits: 0, misses: 0, bypassed: 0 },
      );
    let version = 0;
    /** One write, then the read that must show it. */
    const writeThenRead = async (person: number) => {
      version += 1;
      const name = `v${version}`;
      if (version % 4 === 0) {
        const interaction = interactionOf(person);
        await call('PATCH', `/v1/interactions/${interaction}`, { title: name });
        const timeline = await call('GET', `/v1/people/${people[person]}/timeline?limit=50`);
        const item = (timeline.data ?? []).find((entry: { id: string }) => entry.id === interaction);
        checked += 1;
        if (item?.interaction.title !== name) stale += 1;
      } else {
        await call('PATCH', `/v1/people/${people[person]}`, { last_name: name });
        const read = await call('GET', `/v1/people/${people[person]}`);
        checked += 1;
        if (read.last_name !== name) stale += 1;
      }
    };
    const pick = zipf(PEOPLE);
    // Each client writes only its own share of the people, so no other write lands between its
    // write and its read: a read that does not show the write is stale, not overtaken.
    const ownPerson = (worker: number, person: number) =>
      person - (person % CONCURRENCY) + worker < PEOPLE ? person - (person % CONCURRENCY) + worker : worker;
    const mixedRequest = async (worker: number) => {
      const person = pick();
      const draw = Math.random();
      if (draw < 0.02) return writeThenRead(ownPerson(worker, person));
      if (draw < 0.57) return call('GET', `/v1/people/${people[person]}`);
      if (draw < 0.82) return call('GET', `/v1/people/${people[person]}/timeline?limit=50`);
      if (draw < 0.92) return call('GET', `/v1/organisations/${organisations[person % ORGANISATIONS]}`);
      if (draw < 0.96) return call('GET', '/v1/dashboard');
      return call('GET', '/v1/lead-scores?min_score=15');
    };
    const run = async (count: number, task: (worker: number) => Promise<unknown>) => {
      let next = 0;
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async (_, worker) => {
          while (next < count) {
            next += 1;
            await task(worker);
          }
        }),
      );
    };

    // 1. The Zipf mix (after one warm-up pass of the same size / 3).
    await run(Math.floor(REQUESTS / 3), mixedRequest);
    const before = totals(await stats());
    const mixStarted = performance.now();
    await run(REQUESTS, mixedRequest);
    const mixSeconds = (performance.now() - mixStarted) / 1000;
    const after = totals(await stats());
    const hits = after.hits - before.hits;
    const misses = after.misses - before.misses;
    const hitRatio = hits / (hits + misses);
    const mixErrors = errors;

    // 2. Write-then-read pairs.
    stale = 0;
    checked = 0;
    await run(PAIRS, (worker) => writeThenRead(ownPerson(worker, Math.floor(Math.random() * PEOPLE))));
    const pairStale = stale;
    const pairChecked = checked;

    // 3. 200 concurrent misses on one key.
    const [{ id: fresh }] = await db('people')
      .insert({ first_name: 'Never', last_name: 'Read', email: `fresh-${stamp}@bench.invalid` })
      .returning('id');
    const loadsBefore = (await stats()).prefixes.person?.loads ?? 0;
    await Promise.all(Array.from({ length: 200 }, () => call('GET', `/v1/people/${fresh}`)));
    const loads = ((await stats()).prefixes.person?.loads ?? 0) - loadsBefore;

    // 4. Redis stopped mid-run, then back.
    errors = 0;
    stale = 0;
    checked = 0;
    const outageStarted = performance.now();
    let outageRequests = 0;
    const outage = (async () => {
      await new Promise((resolve) => setTimeout(resolve, 4_000));
      await redis.stop();
      await new Promise((resolve) => setTimeout(resolve, 4_000));
      await redis.start();
    })();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async (_, worker) => {
        while (performance.now() - outageStarted < 14_000) {
          outageRequests += 1;
          await mixedRequest(worker);
          if (Math.random() < 0.1) await writeThenRead(ownPerson(worker, pick()));
        }
      }),
    );
    await outage;
    const outageErrors = errors;
    const outageStale = stale;
    const outageChecked = checked;
    const modeAfter = (await stats()).mode;

    const machine = `${os.cpus().length} × ${os.cpus()[0]?.model}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
    const date = new Date().toISOString().slice(0, 10);
    const mark = (ok: boolean) => (ok ? '✓' : '✗');
    const section = `<!-- cache:start -->
## Read cache (\`bench/cache-bench.ts\`)

\`npx tsx bench/cache-bench.ts ${REQUESTS} ${PAIRS} ${CONCURRENCY}\` — ${date} · ${machine} · embedded PostgreSQL (unless BENCH_DATABASE_URL), a redis-server of its own · API process, Redis and load generator on the same machine.

${PEOPLE} people (Zipf s = 1.1), ${ORGANISATIONS} organisations, ${PEOPLE * 2} interactions. Mix: 55% person, 25% person timeline, 10% organisation, 4% dashboard, 4% hot leads (\`min_score=15\`), 2% writes (each followed by the read that must show it); ${CONCURRENCY} concurrent clients.

| measure | result | target |
|---|---:|:--:|
| hit ratio over ${REQUESTS} mixed requests (after a warm-up) | ${(hitRatio * 100).toFixed(1)}% (${hits} hits, ${misses} misses; ${Math.round(REQUESTS / mixSeconds)} requests/s, ${mixErrors} errors) | ≥ 85% ${mark(hitRatio >= 0.85)} |
| stale reads in write-then-read pairs (person, or interaction → timeline) | ${pairStale} of ${pairChecked} | 0 ${mark(pairStale === 0)} |
| database reads for 200 concurrent misses on one person | ${loads} | 1 ${mark(loads === 1)} |
| Redis stopped at 4 s, back at 8 s, 14 s of load (${outageRequests} mixed requests) | ${outageErrors} errors, ${outageStale} stale of ${outageChecked} pairs, mode afterwards \`${modeAfter}\` | 0 errors ${mark(outageErrors === 0 && outageStale === 0)} |
<!-- cache:end -->`;
    process.stdout.write(`${section}\n`);
    if (errorKinds.size) process.stderr.write(`errors: ${JSON.stringify([...errorKinds])}\n`);
    await writeBenchSection('cache', section);
    if (hitRatio < 0.85 || pairStale > 0 || loads !== 1 || outageErrors > 0 || outageStale > 0)
      process.exitCode = 1;
  } finally {
    server.kill('SIGTERM');
    await new Promise((resolve) => server.once('exit', resolve));
    await redis.stop();
    await bench.close();
  }
}

await main();
