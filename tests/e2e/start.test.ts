/**
 * `npm start` as a new user meets it: no DATABASE_URL, no PostgreSQL of its own. The built server
 * starts an embedded cluster, serves the API, stops cleanly on Ctrl-C, reuses its data on the next
 * start, and recovers from a kill -9 that left PostgreSQL behind.
 */
import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../server/src/demo/demo-data';
import { findFreePort } from '../../server/src/platform/data/embedded-postgres';
import { startServerProcess } from '../helpers/processes';

const run = promisify(execFile);
const TSX = fileURLToPath(new URL('../../node_modules/tsx/dist/cli.mjs', import.meta.url));
let dataDir: string;
const running = new Set<ReturnType<typeof startServerProcess>>();
beforeAll(async () => {
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'relais-start-'));
  await fs.chmod(dataDir, 0o755);
});
afterAll(async () => {
  // A failed assertion must not leave a server (and its PostgreSQL) running for the next test.
  for (const server of running) server.child.kill('SIGKILL');
  await new Promise((resolve) => setTimeout(resolve, 200));
  for (const line of postgresProcessesFor(dataDir)) process.kill(Number(line.split(' ')[0]), 'SIGINT');
  await fs.rm(dataDir, { recursive: true, force: true });
});

function postgresProcessesFor(dir: string): string[] {
  try {
    return execFileSync('pgrep', ['-af', `postgres -D ${dir}`])
      .toString()
      .trim()
      .split('\n')
      .filter(Boolean);
  } catch {
    return [];
  }
}

async function startAllInOne() {
  // Both ports chosen here and distinct: left to pick its own, the embedded PostgreSQL could be
  // handed the ephemeral port just chosen for HTTP.
  const port = await findFreePort();
  let postgresPort = await findFreePort();
  while (postgresPort === port) postgresPort = await findFreePort();
  const server = startServerProcess([], {
    RELAIS_DATA_DIR: dataDir,
    PORT: String(port),
    EMBEDDED_POSTGRES_PORT: String(postgresPort),
    LOG_LEVEL: 'info',
  });
  running.add(server);
  void server.exited.then(() => running.delete(server));
  await server.waitForOutput(/Relais is running/);
  return { server, base: `http://127.0.0.1:${port}` };
}

describe('all-in-one start on the embedded database', () => {
  it('serves health, readiness, the spec and the docs, and Ctrl-C leaves no postgres behind', async () => {
    const { server, base } = await startAllInOne();
    expect(server.output()).toMatch(/initialising embedded PostgreSQL cluster/);
    expect((await fetch(`${base}/health`)).status).toBe(200);
    const ready = await fetch(`${base}/ready`);
    expect(ready.status).toBe(200);
    expect(
      ((await ready.json()) as { checks: { database: { status: string } } }).checks.database.status,
    ).toBe('ok');
    expect(((await (await fetch(`${base}/openapi.json`)).json()) as { openapi: string }).openapi).toBe(
      '3.1.0',
    );
    expect((await fetch(`${base}/docs`)).status).toBe(200);
    expect(server.output()).toMatch(/Demo sign-ins/);
    const login = await fetch(`${base}/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'admin@relais.demo', password: DEMO_PASSWORD }),
    });
    expect(login.status).toBe(200);
    expect(postgresProcessesFor(dataDir).length).toBeGreaterThan(0);

    // The demo's webhook path works at once: a secret kept in the data folder, and the demo script.
    expect(server.output()).toMatch(/Webhooks .*webhook-secret/);
    expect((await fs.stat(path.join(dataDir, 'webhook-secret'))).mode & 0o777).toBe(0o600);
    const { stdout } = await run(process.execPath, [TSX, 'examples/push-email-event.ts'], {
      env: { ...process.env, RELAIS_URL: base, RELAIS_DATA_DIR: dataDir, RELAIS_WEBHOOK_SECRET: '' },
      timeout: 60_000,
    });
    expect(stdout).toMatch(/: score [\d.]+ → [\d.]+/);
    expect(stdout).toMatch(/^interaction: Opened an email of campaign example-newsletter$/m);

    server.child.kill('SIGINT');
    expect(await server.exited).toBe(0);
    expect(postgresProcessesFor(dataDir)).toEqual([]);
  });

  it('reuses the data on the next start', async () => {
    const { server } = await startAllInOne();
    expect(server.output()).not.toMatch(/initialising/);
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
  });

  it('recovers when a kill -9 left the embedded postgres running', async () => {
    const first = await startAllInOne();
    first.server.child.kill('SIGKILL');
    await first.server.exited;
    expect(postgresProcessesFor(dataDir).length).toBeGreaterThan(0);

    const second = await startAllInOne();
    expect(second.server.output()).toMatch(/orphaned embedded PostgreSQL/);
    expect((await fetch(`${second.base}/ready`)).status).toBe(200);
    second.server.child.kill('SIGINT');
    expect(await second.server.exited).toBe(0);
    expect(postgresProcessesFor(dataDir)).toEqual([]);
  });

  it('stops at boot on a bad environment value with one line naming it', async () => {
    const server = startServerProcess([], { RELAIS_DATA_DIR: dataDir, PORT: 'eighty' });
    expect(await server.exited).toBe(1);
    const lines = server.output().trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^Invalid configuration: PORT/);
  });

  it('requires DATABASE_URL for a separate api process', async () => {
    const server = startServerProcess(['api'], { RELAIS_DATA_DIR: dataDir });
    expect(await server.exited).toBe(1);
    expect(server.output()).toMatch(/DATABASE_URL is required for the "api" role/);
  });
});
