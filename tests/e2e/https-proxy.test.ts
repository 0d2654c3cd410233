/**
 * The HTTPS front of docker-compose.yml, for real: Caddy with `deploy/Caddyfile` (its internal CA)
 * in front of a Relais server. Plain HTTP is redirected, HTTPS reaches the API with HSTS (the API
 * trusts the proxy's X-Forwarded-Proto), /metrics is not published, and both realtime transports
 * pass through: WebSocket upgrades, and an event stream delivered as it is written, not buffered.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startTestApp, type TestApp } from '../helpers/app';
import { createUser, type TestUser } from '../helpers/factories';
import { freePort } from '../helpers/redis-server';

const CADDYFILE = new URL('../../deploy/Caddyfile', import.meta.url).pathname;

function caddyInstalled(): boolean {
  try {
    execFileSync('caddy', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
// CI installs Caddy (.ci/run); elsewhere the test runs when it is there.
const run = caddyInstalled() || process.env.CI === 'true';

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

describe.runIf(run)('HTTPS proxy (deploy/Caddyfile)', () => {
  let app: TestApp;
  let admin: TestUser;
  let caddy: ChildProcess;
  let home: string;
  let ca: Buffer;
  let httpPort: number;
  let httpsPort: number;
  let output = '';

  function get(url: string, headers: Record<string, string> = {}): Promise<Answer> {
    const client = url.startsWith('https:') ? https : http;
    return new Promise((resolve, reject) => {
      const request = client.get(url, { ca, headers }, (response) => {
        let body = '';
        response.on('data', (chunk: Buffer) => {
          body += chunk.toString();
        });
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, headers: response.headers, body }),
        );
      });
      request.on('error', reject);
    });
  }

  beforeAll(async () => {
    app = await startTestApp({ env: { TRUST_PROXY: 'true' } });
    admin = await createUser(app.db.knex, { role: 'admin' });
    [httpPort, httpsPort] = [await freePort(), await freePort()];
    home = mkdtempSync(path.join(os.tmpdir(), 'relais-caddy-'));
    caddy = spawn('caddy', ['run', '--config', CADDYFILE, '--adapter', 'caddyfile'], {
      env: {
        PATH: process.env.PATH ?? '',
        HOME: home,
        XDG_DATA_HOME: path.join(home, 'data'),
        XDG_CONFIG_HOME: path.join(home, 'config'),
        RELAIS_HOST: 'localhost',
        RELAIS_TLS: 'internal',
        RELAIS_UPSTREAM: new URL(app.url).host,
        RELAIS_HTTP_PORT: String(httpPort),
        RELAIS_HTTPS_PORT: String(httpsPort),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    caddy.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    caddy.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    // Caddy writes its internal CA, then issues the certificate for localhost.
    const root = path.join(home, 'data', 'caddy', 'pki', 'authorities', 'local', 'root.crt');
    const deadline = Date.now() + 30_000;
    for (;;) {
      try {
        ca = readFileSync(root);
        if ((await get(`https://localhost:${httpsPort}/health`)).status === 200) break;
      } catch {
        // Not there yet.
      }
      if (Date.now() > deadline)
        throw new Error(`Caddy did not serve HTTPS within 30 s:\n${output.slice(-2_000)}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  });

  afterAll(async () => {
    // Caddy's graceful stop waits for open streams without end: a test stops it at once.
    caddy?.kill('SIGKILL');
    await new Promise((resolve) =>
      caddy && caddy.exitCode === null ? caddy.once('exit', resolve) : resolve(null),
    );
    await app?.close();
    if (home) rmSync(home, { recursive: true, force: true });
  });

  it('redirects plain HTTP to HTTPS', async () => {
    const answer = await get(`http://localhost:${httpPort}/v1/people?limit=1`);
    expect(answer.status).toBe(308);
    // To the same name and path over HTTPS (the default port: in production, 443).
    expect(answer.headers.location).toMatch(/^https:\/\/localhost(:\d+)?\/v1\/people\?limit=1$/);
  });

  it('serves the API over HTTPS with HSTS, the proxy being trusted for the scheme', async () => {
    const answer = await get(`https://localhost:${httpsPort}/v1/people?limit=1`, admin.auth);
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toMatchObject({ data: expect.any(Array) });
    expect(answer.headers['strict-transport-security']).toMatch(/max-age=\d+/);
    expect(answer.headers['x-request-id']).toBeTruthy();
    // Straight to the API over plain HTTP, no HSTS: it is only sent on requests that came over HTTPS.
    const direct = await get(`${app.url}/v1/people?limit=1`, admin.auth);
    expect(direct.headers['strict-transport-security']).toBeUndefined();
  });

  it('does not publish /metrics', async () => {
    expect((await get(`https://localhost:${httpsPort}/metrics`)).status).toBe(404);
    expect((await get(`${app.url}/metrics`)).status).toBe(200);
  });

  it('passes WebSocket upgrades through', async () => {
    const socket = new WebSocket(`wss://localhost:${httpsPort}/v1/ws`, { ca, headers: admin.auth });
    const messages: Array<{ type: string }> = [];
    socket.on('message', (message) => messages.push(JSON.parse(String(message))));
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    await app.request('POST', '/v1/interactions', {
      headers: admin.auth,
      body: { type: 'call', title: 'Wss through the proxy' },
    });
    await expect
      .poll(() => messages.map((message) => message.type), { timeout: 10_000 })
      .toContain('interaction.created');
    socket.close();
  });

  it('delivers the event stream as it is written, not buffered', async () => {
    const events: string[] = [];
    const request = https.get(
      `https://localhost:${httpsPort}/v1/events`,
      { ca, headers: { ...admin.auth, Accept: 'text/event-stream' } },
      (response) => {
        response.on('data', (chunk: Buffer) => events.push(chunk.toString()));
      },
    );
    try {
      // The stream's first lines arrive before anything else is written to it.
      await expect.poll(() => events.join(''), { timeout: 5_000, interval: 50 }).toContain(': connected');
      await app.request('POST', '/v1/interactions', {
        headers: admin.auth,
        body: { type: 'call', title: 'Sse through the proxy' },
      });
      await expect
        .poll(() => events.join(''), { timeout: 5_000, interval: 50 })
        .toContain('interaction.created');
    } finally {
      request.destroy();
    }
    // Caddy logs 4xx answers (the /metrics above) at error level; any other error is the proxy's.
    const errors = output
      .split('\n')
      .filter((line) => line.includes('"level":"error"') && !line.includes('"logger":"http.log.access'));
    expect(errors).toEqual([]);
  });
});
