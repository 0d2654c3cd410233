/**
 * Email-event ingestion under load: 50 concurrent senders post Standard-Webhooks-signed batches
 * to the built server (`server/dist/main.js api`) for 2 minutes at an offered rate (each sender
 * paces itself, as a provider does; a server that cannot keep up shows it as latency and a lower
 * achieved rate), with 10% of batches delivered twice and 5% held back and delivered late (out of
 * order). Targets: ≥ 1,500 events/s sustained, p99 ≤ 100 ms. The first 10 s after the server starts
 * (same senders, same rate) warm it up — its code compiled, its connections opened and their
 * statements prepared — and are reported apart; the targets are read on the 2 minutes after.
 * Afterwards every person's score must equal an independent replay of the unique events the
 * senders produced; the script exits 1 when it does not.
 *
 *   npm run build && npx tsx bench/ingest-bench.ts [seconds=120] [senders=50] [batch=20] [rate=1600]
 *
 * `BENCH_BASELINE=<another checkout's server/dist/main.js>` runs that build instead, for an A/B
 * against this one on the same database (runs taken in turns); its results are printed only.
 */
import { randomUUID } from 'node:crypto';
import { openSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import { secretKey, signWebhook } from '../server/src/marketing/standard-webhooks';
import { currentRules } from '../server/src/scoring/scoring-rules';
import { type ReplayEvent, replayScores } from '../tests/helpers/scoring-replay';
import { openBenchDatabase, startApiServer, waitForHealth, writeBenchSection } from './bench-database';

const SECONDS = Number(process.argv[2] ?? 120);
/** Seconds at the offered rate right after the server starts, reported apart from the run. */
const WARM_UP_SECONDS = 10;
const SENDERS = Number(process.argv[3] ?? 50);
const BATCH = Number(process.argv[4] ?? 20);
/** Offered load in events per second, shared by the senders (each paces itself). */
const RATE = Number(process.argv[5] ?? 1_600);
const PEOPLE = 20_000;
const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const PORT = 3917;
const BASELINE = process.env.BENCH_BASELINE;
const TYPES: [string, number][] = [
  ['sent', 0.22],
  ['delivered', 0.22],
  ['opened', 0.3],
  ['clicked', 0.12],
  ['deferred', 0.04],
  ['bounced', 0.04],
  ['unsubscribed', 0.03],
  ['spam_complaint', 0.01],
  ['resubscribed', 0.02],
];

interface BenchEvent {
  id: string;
  type: string;
  email: string;
  occurred_at: string;
  message_id: string;
  bounce_type?: 'hard' | 'soft';
  machine_open?: boolean;
}

function pick(): string {
  let roll = Math.random();
  for (const [type, weight] of TYPES) {
    roll -= weight;
    if (roll < 0) return type;
  }
  return 'sent';
}

function makeEvent(now: number): BenchEvent {
  const known = Math.random() < 0.9;
  const n = Math.floor(Math.random() * PEOPLE);
  const type = pick();
  return {
    id: randomUUID(),
    type,
    email: known ? `ingest-${n}@bench.invalid` : `stranger-${n}@bench.invalid`,
    // Within the last 30 days, so decay and daily caps both matter.
    occurred_at: new Date(now - Math.floor(Math.random() * 30 * 86_400_000)).toISOString(),
    message_id: `m-${n}-${Math.floor(Math.random() * 8)}`,
    ...(type === 'bounced'
      ? { bounce_type: Math.random() < 0.5 ? ('hard' as const) : ('soft' as const) }
      : {}),
    ...(type === 'opened' && Math.random() < 0.1 ? { machine_open: true } : {}),
  };
}

async function main() {
  const bench = await openBenchDatabase('relais_ingest_bench');
  const { db } = bench;
  await db.raw(
    'TRUNCATE email_events, email_messages, lead_score_entries, lead_scores, email_open_interactions, notifications, webhook_replay_tokens CASCADE',
  );
  await db('interactions').where({ source: 'email_event' }).delete();
  await db.raw(
    `INSERT INTO people (first_name, last_name, email)
     SELECT 'Ingest', 'Bench ' || i, 'ingest-' || i || '@bench.invalid' FROM generate_series(0, ?) AS i
     ON CONFLICT DO NOTHING`,
    [PEOPLE - 1],
  );
  const personByEmail = new Map<string, string>(
    (await db('people').where('email', 'like', 'ingest-%@bench.invalid').select('id', 'email')).map(
      (row: { id: string; email: string }) => [row.email, row.id],
    ),
  );

  const log = openSync('bench/results/ingest-server.log', 'w');
  const server = startApiServer(
    BASELINE ?? 'server/dist/main.js',
    PORT,
    bench.url,
    'bench-secret-that-is-long-enough-0123456789',
    {
      env: { LOG_LEVEL: 'warn', HOST: '127.0.0.1', RELAIS_WEBHOOK_SECRET: SECRET },
      log,
    },
  );
  const url = `http://127.0.0.1:${PORT}/v1/marketing/email/ingest`;
  await waitForHealth(`http://127.0.0.1:${PORT}`, 'bench/results/ingest-server.log');

  const key = secretKey(SECRET);
  // node:http with keep-alive: the load generator shares the two cores, so it should be cheap.
  const agent = new http.Agent({ keepAlive: true, maxSockets: SENDERS });
  const post = (payload: string, headers: Record<string, string>) =>
    new Promise<{ status: number }>((resolve, reject) => {
      const req = http.request(url, { method: 'POST', agent, headers }, (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0 }));
      });
      req.on('error', reject);
      req.end(payload);
    });
  const unique = new Map<string, BenchEvent>();
  const latencies: number[] = [];
  const warmUpLatencies: number[] = [];
  /** Latencies per 10 s of the run, to see when the slow requests happen. */
  const windows: number[][] = [];
  const statuses = new Map<number, number>();
  let delivered = 0;
  let duplicatesSent = 0;
  let lateSent = 0;
  const late: BenchEvent[][] = [];
  const sent: BenchEvent[][] = [];

  const deliver = async (batch: BenchEvent[]) => {
    const payload = JSON.stringify(batch);
    const id = `msg_${randomUUID()}`;
    const timestamp = Math.floor(Date.now() / 1000);
    const started = performance.now();
    const response = await post(payload, {
      'content-type': 'application/json',
      'content-length': String(Buffer.byteLength(payload)),
      'webhook-id': id,
      'webhook-timestamp': String(timestamp),
      'webhook-signature': signWebhook(key, id, timestamp, payload),
    });
    const latency = performance.now() - started;
    statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
    if (Date.now() < measuredFrom) {
      warmUpLatencies.push(latency);
      return;
    }
    latencies.push(latency);
    const window = Math.floor((Date.now() - measuredFrom) / 10_000);
    const bucket = windows[window] ?? [];
    bucket.push(latency);
    windows[window] = bucket;
    if (response.status === 200) delivered += batch.length;
  };

  const started = Date.now();
  const measuredFrom = started + WARM_UP_SECONDS * 1000;
  const deadline = measuredFrom + SECONDS * 1000;
  const intervalMs = (BATCH * SENDERS * 1000) / RATE;
  const sender = async (index: number) => {
    // Senders start spread over one interval, then each sends one batch per interval.
    let next = started + (index * intervalMs) / SENDERS;
    while (Date.now() < deadline) {
      const wait = next - Date.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      next += intervalMs;
      const roll = Math.random();
      if (roll < 0.1 && sent.length > 0) {
        // A redelivery of an earlier batch.
        duplicatesSent += 1;
        await deliver(sent[Math.floor(Math.random() * sent.length)]!);
      } else if (roll < 0.15 && late.length > 0) {
        // A batch held back earlier arrives now, after later events.
        lateSent += 1;
        await deliver(late.shift()!);
      } else {
        const batch = Array.from({ length: BATCH }, () => makeEvent(Date.now()));
        for (const event of batch) unique.set(event.id, event);
        if (Math.random() < 0.05) late.push(batch);
        else {
          sent.push(batch);
          if (sent.length > 2_000) sent.shift();
          await deliver(batch);
        }
      }
    }
  };
  const progress = setInterval(() => {
    const elapsed = (Date.now() - measuredFrom) / 1000;
    process.stderr.write(
      elapsed < 0
        ? '\rwarming up'
        : `\r${elapsed.toFixed(0)}s ${Math.round(delivered / elapsed)} events/s   `,
    );
  }, 1000);
  await Promise.all(Array.from({ length: SENDERS }, (_, index) => sender(index)));
  clearInterval(progress);
  const seconds = (Date.now() - measuredFrom) / 1000;
  // Whatever is still held back is delivered now, so every unique event has arrived.
  while (late.length) await deliver(late.shift()!);
  process.stderr.write('\n');
  server.kill('SIGTERM');
  agent.destroy();

  const p99s = windows.map((window) => {
    const sorted = [...window].sort((a, b) => a - b);
    return Math.round(sorted[Math.floor(sorted.length * 0.99)] ?? 0);
  });
  process.stderr.write(`p99 per 10 s: ${p99s.join(' ')} ms\n`);
  const quantileOf = (values: number[]) => {
    const sorted = [...values].sort((a, b) => a - b);
    return (q: number) => Math.round(sorted[Math.floor(sorted.length * q)]! * 10) / 10;
  };
  const quantile = quantileOf(latencies);
  const warmUp = quantileOf(warmUpLatencies);
  const rate = Math.round(delivered / seconds);

  // The independent replay of every unique event the senders produced.
  const rules = await currentRules(db);
  const stored = new Map<string, { dedupe_key: string }>();
  for (const row of await db('email_events').select('dedupe_key')) stored.set(row.dedupe_key, row);
  const missing = [...unique.keys()].filter((id) => !stored.has(id)).length;
  const replay = replayScores(
    [...unique.values()].map(
      (event): ReplayEvent => ({
        id: event.id,
        person_id: personByEmail.get(event.email) ?? null,
        provider: 'generic',
        dedupe_key: event.id,
        type: event.type,
        bounce_type: event.bounce_type ?? null,
        machine_open: event.machine_open ?? false,
        message_id: event.message_id,
        occurred_at: new Date(event.occurred_at),
      }),
    ),
    rules,
  );
  const scores = await db('lead_scores').select('person_id', 'weighted', 'points', 'entries');
  let mismatches = 0;
  const people = new Set([...replay.keys(), ...scores.map((row: { person_id: string }) => row.person_id)]);
  const byPerson = new Map(scores.map((row: { person_id: string }) => [row.person_id, row]));
  for (const personId of people) {
    const expected = replay.get(personId) ?? { points: 0, entries: 0, weighted: 0 };
    const actual = byPerson.get(personId) as
      | { weighted: string; points: number; entries: number }
      | undefined;
    const weighted = Number(actual?.weighted ?? 0);
    const close = Math.abs(weighted - expected.weighted) <= 1e-9 * Math.max(1, Math.abs(expected.weighted));
    if (!actual || actual.points !== expected.points || actual.entries !== expected.entries || !close)
      mismatches += 1;
  }
  const summary = `${rate} events/s over ${Math.round(seconds)} s; p50 ${quantile(0.5)} ms, p99 ${quantile(0.99)} ms; statuses ${JSON.stringify(Object.fromEntries(statuses))}; ${unique.size} unique events, ${missing} missing; ${mismatches} people whose score differs from the replay (of ${people.size})`;
  process.stderr.write(`${summary}\n`);

  const date = new Date().toISOString().slice(0, 10);
  const machine = `${os.cpus().length} × ${os.cpus()[0]?.model}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
  const section = `<!-- ingest-bench:start -->
### Email-event ingestion (\`npx tsx bench/ingest-bench.ts ${SECONDS} ${SENDERS} ${BATCH} ${RATE}\`)

${date} · ${machine} · embedded PostgreSQL (unless BENCH_DATABASE_URL) · server, database and load generator on the same machine.

${SENDERS} concurrent senders offering ${RATE.toLocaleString('en')} events/s together, Standard-Webhooks-signed batches of ${BATCH} events over keep-alive connections (node:http), ${SECONDS} s after the ${WARM_UP_SECONDS} s that follow the server's start; 10% of batches redelivered, 5% held back and delivered late; ${PEOPLE.toLocaleString('en')} known people plus 10% of events for unknown addresses.

| measure | result | target |
|---|---|---|
| events acknowledged per second (redeliveries included) | ${rate} | ≥ 1,500 |
| request latency p50 / p99 | ${quantile(0.5)} / ${quantile(0.99)} ms | p99 ≤ 100 ms |
| p99 by 10 s of the run | ${p99s.join(', ')} ms | |
| request latency p50 / p99 in the first ${WARM_UP_SECONDS} s after the server starts (not counted above) | ${warmUp(0.5)} / ${warmUp(0.99)} ms | |
| responses (the first ${WARM_UP_SECONDS} s included) | ${[...statuses].map(([status, count]) => `${count} × ${status}`).join(', ')} (${duplicatesSent} redeliveries, ${lateSent} late batches) | all 200 |
| unique events stored | ${unique.size - missing} of ${unique.size} | all |
| people whose score ≠ the replay of the unique events | ${mismatches} of ${people.size} | 0 |
<!-- ingest-bench:end -->`;
  if (BASELINE) process.stdout.write(`${section}\n`);
  else await writeBenchSection('ingest-bench', section);
  await bench.close();
  if (mismatches > 0 || missing > 0) process.exit(1);
}

await main();
