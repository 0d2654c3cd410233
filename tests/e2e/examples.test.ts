/**
 * The SDK examples, run as a user runs them (`npx tsx examples/<name>.ts`) against the all-in-one
 * server with demo data: they are type-checked by `npm run typecheck` and must run here, so they
 * cannot rot.
 */
import { execFile, spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_JWT_SECRET } from '../helpers/app';
import { chromiumPath, launchChromium } from '../helpers/browser';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { type ServerProcess, startServerProcess } from '../helpers/processes';
import { freePort } from '../helpers/redis-server';

const run = promisify(execFile);
const TSX = fileURLToPath(new URL('../../node_modules/tsx/dist/cli.mjs', import.meta.url));
const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

let db: TestDatabase;
let server: ServerProcess;
let baseUrl: string;
let intranetPort: number;
beforeAll(async () => {
  db = await createTestDatabase();
  intranetPort = await freePort();
  const port = await freePort();
  baseUrl = `http://127.0.0.1:${port}`;
  server = startServerProcess([], {
    DATABASE_URL: db.url,
    JWT_SECRET: TEST_JWT_SECRET,
    HOST: '127.0.0.1',
    PORT: String(port),
    LOG_LEVEL: 'warn',
    RELAIS_DEMO_DATA: 'true',
    RELAIS_WEBHOOK_SECRET: SECRET,
    CORS_ORIGINS: `http://localhost:8080,http://localhost:${intranetPort}`,
  });
  await server.waitForOutput(/Relais is running/);
});
afterAll(async () => {
  server?.child.kill('SIGTERM');
  await server?.exited;
  await db?.drop();
});

async function example(name: string, ...args: string[]): Promise<string> {
  const { stdout } = await run(process.execPath, [TSX, `examples/${name}.ts`, ...args], {
    cwd: fileURLToPath(new URL('../..', import.meta.url)),
    env: { ...process.env, RELAIS_URL: baseUrl, RELAIS_WEBHOOK_SECRET: SECRET },
    timeout: 60_000,
  });
  return stdout;
}

describe('examples/ against the all-in-one server', () => {
  it('sdk-health: alive and ready', async () => {
    const { stdout } = await run(process.execPath, [TSX, 'examples/sdk-health.ts', baseUrl], {
      cwd: fileURLToPath(new URL('../..', import.meta.url)),
    });
    expect(stdout).toMatch(/: (ok|degraded) \(database ok\)/);
  });

  it('list-people: walks every page, then takes the first three', async () => {
    const output = await example('list-people');
    const count = Number(/^(\d+) people$/m.exec(output)?.[1]);
    expect(count).toBeGreaterThan(0);
    expect(count).toBe(
      await db
        .knex('people')
        .whereNull('archived_at')
        .count({ n: '*' })
        .then(([row]) => Number(row?.n)),
    );
    expect(output).toMatch(/^first three: [^,]+, [^,]+, [^,]+$/m);
  });

  it('work-an-interaction: three participants, todo → in_progress → done, then a 409 with the allowed moves', async () => {
    const output = await example('work-an-interaction');
    expect(output).toMatch(/^created "Quarterly review" with .+, .+, .+$/m);
    expect(output).toContain('status: todo → in_progress → done');
    expect(output).toContain('refused (409): from done, allowed: todo');
  });

  it('follow-events: reads the note it caused from the stream', async () => {
    expect(await example('follow-events')).toMatch(/^interaction\.created: Note .+ \(event \d+-\d+\)$/m);
  });

  it('mint-embed-token: mints a token and reads the timeline with it', async () => {
    const output = await example('mint-embed-token');
    expect(output).toMatch(/^embed token for timeline \+ lead-score of .+, until \d{4}-/m);
    expect(output).toMatch(/^the widget reads \d+ timeline entries$/m);
  });

  it('push-email-event: a signed sequence is ingested and scored', async () => {
    const output = await example('push-email-event');
    expect(output).toMatch(/^ingested: /m);
    expect(output).toMatch(/: score [\d.]+ → [\d.]+/);
    expect(output).toMatch(/^interaction: Opened an email of campaign example-newsletter$/m);
    expect(await db.knex('email_events').where({ campaign: 'example-newsletter' }).count({ n: '*' })).toEqual(
      [{ n: '3' }],
    );
  });
});

describe.skipIf(!chromiumPath)('/demo: the four widgets on demo data, under a strict CSP', () => {
  it.each([
    ['fr', 'light'],
    ['en', 'light'],
    ['fr', 'dark'],
    ['en', 'dark'],
  ])('renders in %s, %s, with no console error', async (lang, theme) => {
    const browser = await launchChromium();
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      const problems: string[] = [];
      page.on('console', (message) => {
        if (message.type() === 'error') problems.push(message.text());
      });
      page.on('pageerror', (error) => problems.push(error.message));
      await page.goto(`${baseUrl}/demo?lang=${lang}&theme=${theme}`);
      await page.locator('relais-timeline article').first().waitFor({ timeout: 15_000 });
      await page.locator('relais-inbox li[data-id]').first().waitFor();
      await page.locator('relais-lead-score [part="score"]').waitFor();
      await page.locator('relais-hot-leads li').first().waitFor();
      mkdirSync('coverage/demo', { recursive: true });
      await page.screenshot({ path: `coverage/demo/demo-${lang}-${theme}.png` });
      expect(problems).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});

describe.skipIf(!chromiumPath)('examples/intranet: an Express tool embedding the four widgets', () => {
  it('mints a token per visitor with the SDK and shows the widgets on its own page', async () => {
    const intranet = spawn(process.execPath, [TSX, 'examples/intranet/server.ts'], {
      cwd: fileURLToPath(new URL('../..', import.meta.url)),
      env: { ...process.env, RELAIS_URL: baseUrl, PORT: String(intranetPort) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    intranet.stdout.on('data', (chunk) => {
      output += chunk;
    });
    intranet.stderr.on('data', (chunk) => {
      output += chunk;
    });
    const browser = await launchChromium();
    try {
      await expect.poll(() => output, { timeout: 30_000 }).toContain('Intranet example on');
      const page = await browser.newPage();
      const problems: string[] = [];
      page.on('console', (message) => {
        if (message.type() === 'error') problems.push(message.text());
      });
      await page.goto(`http://localhost:${intranetPort}/?as=user@relais.demo`);
      await page.locator('relais-timeline article').first().waitFor({ timeout: 15_000 });
      await page.locator('relais-inbox li[data-id]').first().waitFor();
      await page.locator('relais-lead-score [part="score"]').waitFor();
      await page.locator('relais-hot-leads li').first().waitFor();
      expect(problems).toEqual([]);
    } finally {
      await browser.close();
      intranet.kill('SIGTERM');
    }
  });
});
