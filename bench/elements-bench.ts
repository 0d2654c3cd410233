/**
 * The web components in real Chromium against the all-in-one server on demo data (`/demo`, the
 * four elements under a strict CSP). Measured from the moment the module has defined the elements:
 * the skeleton (target ≤ 50 ms) and the first paint with data (≤ 300 ms) of each element; a live
 * update — an interaction created through the API until it shows in the open timeline (p95 ≤
 * 500 ms); and how many event streams 50 elements on one page open (one).
 *
 *   npx tsx bench/elements-bench.ts [loads=15] [updates=30]
 *
 * Needs `npm run build` and Debian's Chromium (/usr/bin/chromium).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, openSync, readFileSync } from 'node:fs';
import os from 'node:os';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { createRelaisClient } from '../sdk/src';
import { openBenchDatabase, round, waitForHealth, writeBenchSection } from './bench-database';

const [LOADS = 15, UPDATES = 30] = process.argv.slice(2).map(Number);
const PORT = 4311;
const BASE = `http://127.0.0.1:${PORT}`;
const TAGS = ['relais-inbox', 'relais-timeline', 'relais-lead-score', 'relais-hot-leads'] as const;

// Runs in the page before its scripts: when the module defined the elements, when each showed its
// skeleton, and when each was ready.
const INSTRUMENT = `(() => {
  const marks = (window.__marks = { ready: {}, skeleton: {} });
  customElements.whenDefined('relais-timeline').then(() => { marks.defined = performance.now(); });
  document.addEventListener('relais-ready', (event) => {
    const tag = event.target.localName;
    marks.ready[tag] ??= performance.now();
  });
  const look = () => {
    for (const element of document.querySelectorAll('relais-inbox, relais-timeline, relais-lead-score, relais-hot-leads')) {
      if (!marks.skeleton[element.localName] && element.shadowRoot?.querySelector('[part="skeleton"], [part="container"]'))
        marks.skeleton[element.localName] = performance.now();
    }
    if (Object.keys(marks.ready).length < 4) setTimeout(look, 0);
  };
  setTimeout(look, 0);
})();`;

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
};

async function main() {
  const bench = await openBenchDatabase('relais_elements_bench');
  mkdirSync('.relais', { recursive: true });
  const log = '.relais/elements-bench-server.log';
  const server: ChildProcess = spawn(process.execPath, ['server/dist/main.js'], {
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      DATABASE_URL: bench.url,
      JWT_SECRET: 'bench-secret-that-is-long-enough-0123456789',
      HOST: '127.0.0.1',
      PORT: String(PORT),
      RELAIS_DEMO_DATA: 'true',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', openSync(log, 'w'), openSync(log, 'a')],
  });
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  try {
    await waitForHealth(BASE, log, 120_000);
    // Page loads: skeleton and data, per element, from the module's definitions.
    const skeleton: number[] = [];
    const ready: Record<string, number[]> = Object.fromEntries(TAGS.map((tag) => [tag, []]));
    for (let run = 0; run < LOADS + 2; run += 1) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      const page = await context.newPage();
      await page.addInitScript(INSTRUMENT);
      await page.goto(`${BASE}/demo?lang=fr`);
      await page.waitForFunction(
        () => Object.keys((window as never as { __marks: { ready: object } }).__marks.ready).length === 4,
        undefined,
        { timeout: 15_000 },
      );
      const marks = await page.evaluate(
        () =>
          (
            window as never as {
              __marks: { defined: number; ready: Record<string, number>; skeleton: Record<string, number> };
            }
          ).__marks,
      );
      await context.close();
      if (run < 2) continue; // warm-up: server caches and Chromium's disk cache
      for (const tag of TAGS) {
        skeleton.push((marks.skeleton[tag] ?? Number.NaN) - marks.defined);
        ready[tag]!.push((marks.ready[tag] ?? Number.NaN) - marks.defined);
      }
    }

    // Live updates: written through the API, seen in another page's timeline.
    const page = await browser.newPage();
    await page.goto(`${BASE}/demo`);
    await page.locator('relais-timeline article').first().waitFor();
    const personId = await page.locator('relais-timeline').getAttribute('person-id');
    const writer = createRelaisClient({ baseUrl: BASE });
    await writer.auth.login('admin@relais.demo', 'relais-demo-password');
    const live: number[] = [];
    for (let index = 0; index < UPDATES; index += 1) {
      const title = `Bench live ${Date.now()} ${index}`;
      const seen = page.waitForFunction(
        (wanted) =>
          [
            ...(document.querySelector('relais-timeline')?.shadowRoot?.querySelectorAll('article') ?? []),
          ].some((article) => article.textContent?.includes(wanted)) && Date.now(),
        title,
        { polling: 'raf', timeout: 10_000 },
      );
      const sent = Date.now();
      await writer.interactions.create({
        type: 'note',
        title,
        participants: [{ person_id: personId ?? '' }],
      });
      live.push(Number(await (await seen).jsonValue()) - sent);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }

    // Fifty elements on one page.
    const crowded = await browser.newPage();
    const streams: string[] = [];
    crowded.on('request', (request) => {
      if (request.url().includes('/v1/events')) streams.push(request.url());
    });
    await crowded.goto(`${BASE}/demo`);
    await crowded.evaluate((id) => {
      for (let index = 0; index < 46; index += 1) {
        const element = document.createElement(index % 2 ? 'relais-lead-score' : 'relais-timeline');
        element.setAttribute('person-id', id ?? '');
        document.querySelector('main')?.append(element);
      }
    }, personId);
    await crowded.waitForFunction(() => document.querySelectorAll('relais-lead-score').length === 24);
    await crowded.waitForTimeout(3_000);

    const size = gzipSync(readFileSync('sdk/dist/browser/relais-elements.js'), { level: 9 }).length;
    const rows = TAGS.map(
      (tag) =>
        `| \`<${tag}>\` data painted, median / p95 | ${round(percentile(ready[tag]!, 50))} / ${round(percentile(ready[tag]!, 95))} ms | ${percentile(ready[tag]!, 95) <= 300 ? 'met' : 'missed'} |`,
    );
    const date = new Date().toISOString().slice(0, 10);
    const section = `<!-- elements:start -->
### Web components in Chromium (\`elements-bench.ts\`)

${date}, ${os.cpus()[0]?.model ?? 'unknown CPU'} × ${os.cpus().length}, Chromium (Debian) headless, the all-in-one
server on demo data (\`/demo\`, one page with the four elements, strict CSP), ${LOADS} page loads after
2 warm-ups, ${UPDATES} live updates. Times from the module defining the elements.

| target | result | |
|---|---|---|
| skeleton ≤ 50 ms (every element, p95) | ${round(percentile(skeleton, 95))} ms | ${percentile(skeleton, 95) <= 50 ? 'met' : 'missed'} |
${rows.join('\n')}
| live update (API write → visible in another page's timeline) p95 ≤ 500 ms | median ${round(percentile(live, 50))} ms, p95 ${round(percentile(live, 95))} ms | ${percentile(live, 95) <= 500 ? 'met' : 'missed'} |
| 50 elements on one page: event streams | ${streams.length} | ${streams.length === 1 ? 'met' : 'missed'} |
| the module, four elements + Lit + SDK, min + gzip ≤ 30 kB | ${round(size / 1024)} kB (checked by \`npm test\`) | met |
<!-- elements:end -->`;
    process.stdout.write(`${section}\n`);
    await writeBenchSection('elements', section);
  } finally {
    await browser.close();
    server.kill('SIGTERM');
    await new Promise((resolve) => server.once('exit', resolve));
    await bench.close();
  }
}

await main();
