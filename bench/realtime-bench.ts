/**
 * Realtime across instances: two API processes and one Redis. Notifications are created through
 * instance A (an interaction assigned to a user) and received by that user's SSE client connected
 * to instance B. Latency is measured from the moment the request to A is sent to the moment the
 * event is parsed on B's stream — so it includes the write itself. Target: p95 ≤ 50 ms.
 *
 *   npx tsx bench/realtime-bench.ts [seconds=30] [rate/s=50] [recipients=20]
 *
 * Needs `npm run build` and a Redis (BENCH_REDIS_URL, default redis://127.0.0.1:6379).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { openSync } from 'node:fs';
import os from 'node:os';
import { EventSourceParserStream } from 'eventsource-parser/stream';
import { createClient } from 'redis';
import { hashPassword } from '../server/src/platform/core/passwords';
import { signAccessToken } from '../server/src/platform/web/tokens';
import { insertUser } from '../server/src/users/user-repository';
import { openBenchDatabase, waitForHealth, writeBenchSection } from './bench-database';

const [SECONDS = 30, RATE = 50, RECIPIENTS = 20] = process.argv.slice(2).map(Number);
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const SECRET = 'bench-secret-that-is-long-enough-0123456789';
const PORTS = [4301, 4302] as const;

async function main() {
  const probe = createClient({ url: REDIS_URL });
  probe.on('error', () => undefined);
  await probe.connect().catch(() => {
    throw new Error(`Redis does not answer at ${REDIS_URL}; set BENCH_REDIS_URL.`);
  });
  await probe.close();

  const bench = await openBenchDatabase('relais_realtime_bench');
  const { db } = bench;
  await db.raw('TRUNCATE notifications, interaction_participants, interactions CASCADE');
  const hash = await hashPassword('bench-password-0123');
  const tokens = { secret: SECRET, issuer: 'relais' };
  const stamp = Date.now();
  const sender = await insertUser(db, {
    email: `sender-${stamp}@bench.invalid`,
    name: 'Sender',
    role: 'manager',
    active: true,
    time_zone: 'Europe/Paris',
    password_hash: hash,
  });
  const recipients = await Promise.all(
    Array.from({ length: RECIPIENTS }, (_, index) =>
      insertUser(db, {
        email: `recipient-${stamp}-${index}@bench.invalid`,
        name: `Recipient ${index}`,
        role: 'user',
        active: true,
        time_zone: 'Europe/Paris',
        password_hash: hash,
      }),
    ),
  );

  const servers: ChildProcess[] = PORTS.map((port, index) =>
    spawn(process.execPath, ['server/dist/main.js', 'api'], {
      env: {
        PATH: process.env.PATH ?? '',
        DATABASE_URL: bench.url,
        REDIS_URL,
        REDIS_PREFIX: `relais-bench-${process.pid}`,
        JWT_SECRET: SECRET,
        NODE_ENV: 'production',
        LOG_LEVEL: 'warn',
        PORT: String(port),
        HOST: '127.0.0.1',
      },
      stdio: ['ignore', openSync(`bench/results/realtime-server-${index}.log`, 'w'), 'inherit'],
    }),
  );
  try {
    for (const port of PORTS)
      await waitForHealth(`http://127.0.0.1:${port}`, 'bench/results/realtime-server-*.log');
    const [a, b] = PORTS.map((port) => `http://127.0.0.1:${port}`) as [string, string];

    const sentAt = new Map<string, number>();
    const latencies: number[] = [];
    const aborts: AbortController[] = [];
    let received = 0;
    await Promise.all(
      recipients.map(async (recipient) => {
        const abort = new AbortController();
        aborts.push(abort);
        const token = signAccessToken(tokens, recipient, 3_600).token;
        const response = await fetch(`${b}/v1/events`, {
          headers: { Authorization: `Bearer ${token}` },
          signal: abort.signal,
        });
        const reader = response
          .body!.pipeThrough(new TextDecoderStream())
          .pipeThrough(new EventSourceParserStream())
          .getReader();
        void (async () => {
          try {
            for (;;) {
              const { done, value } = await reader.read();
              if (done) return;
              const event = JSON.parse(value.data) as {
                type: string;
                data: { payload?: { title?: string } };
              };
              const title = event.data.payload?.title;
              const started = title ? sentAt.get(title) : undefined;
              if (event.type === 'notification.created' && started !== undefined) {
                latencies.push(performance.now() - started);
                received += 1;
              }
            }
          } catch {
            // Closed at the end.
          }
        })();
      }),
    );

    const senderAuth = `Bearer ${signAccessToken(tokens, sender, 3_600).token}`;
    const total = SECONDS * RATE;
    const errors = new Map<number, number>();
    const started = performance.now();
    const inFlight: Promise<void>[] = [];
    for (let index = 0; index < total; index += 1) {
      const due = started + (index * 1_000) / RATE;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      const title = `bench ${stamp} ${index}`;
      const assignee = recipients[index % recipients.length]!;
      sentAt.set(title, performance.now());
      inFlight.push(
        fetch(`${a}/v1/interactions`, {
          method: 'POST',
          headers: { Authorization: senderAuth, 'content-type': 'application/json' },
          body: JSON.stringify({ type: 'call', title, assignee_id: assignee.id }),
        }).then(async (response) => {
          await response.arrayBuffer();
          if (response.status !== 201) errors.set(response.status, (errors.get(response.status) ?? 0) + 1);
        }),
      );
    }
    await Promise.all(inFlight);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    for (const abort of aborts) abort.abort();

    latencies.sort((x, y) => x - y);
    const at = (p: number) =>
      latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? NaN;
    const ms = (value: number) => `${value.toFixed(1)} ms`;
    const p95 = at(95);
    const machine = `${os.cpus().length} × ${os.cpus()[0]?.model}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
    const date = new Date().toISOString().slice(0, 10);
    const lost = total - received;
    const section = `<!-- realtime:start -->
## Realtime across instances (\`bench/realtime-bench.ts\`)

\`npx tsx bench/realtime-bench.ts ${SECONDS} ${RATE} ${RECIPIENTS}\` — ${date} · ${machine} · embedded PostgreSQL (unless BENCH_DATABASE_URL), Redis ${REDIS_URL.replace(/\/\/.*@/, '//')} · two API processes, Redis and the load generator on the same machine.

${total} notifications (interactions assigned through instance A, ${RATE}/s for ${SECONDS} s) to ${RECIPIENTS} users, each with an SSE stream open on instance B. Latency from sending the request to A to parsing the event on B (the write included):

| received | lost | request errors | p50 | p95 | p99 | max | target p95 ≤ 50 ms |
|---:|---:|---:|---:|---:|---:|---:|:--:|
| ${received} | ${lost} | ${[...errors.values()].reduce((sum, n) => sum + n, 0)} | ${ms(at(50))} | ${ms(p95)} | ${ms(at(99))} | ${ms(latencies.at(-1) ?? NaN)} | ${p95 <= 50 && lost === 0 ? '✓' : '✗'} |
<!-- realtime:end -->`;
    process.stdout.write(`${section}\n`);
    await writeBenchSection('realtime', section);
    if (p95 > 50 || lost > 0) process.exitCode = 1;
  } finally {
    for (const server of servers) server.kill('SIGTERM');
    await Promise.all(servers.map((server) => new Promise((resolve) => server.once('exit', resolve))));
    await bench.close();
  }
}

await main();
