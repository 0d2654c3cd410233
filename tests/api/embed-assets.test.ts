/**
 * `/embed/…` (the web components' module) and `/demo` (the widgets on demo data, never in
 * production): headers a cross-origin module needs, cache lifetimes, SRI, and the demo's token.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/src/config';
import { loadDemoData } from '../../server/src/demo/demo-data';
import { createLogger } from '../../server/src/platform/core/logger';
import { startTestApp, type TestApp } from '../helpers/app';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ env: { RELAIS_DEMO_DATA: 'true' } });
  await loadDemoData(app.db.knex, createLogger(loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent' })));
});
afterAll(() => app.close());

describe('GET /embed/{file}', () => {
  it('serves the module to any page, cached five minutes, and names its pinned URL and integrity', async () => {
    const module = await fetch(`${app.url}/embed/relais-elements.js`, {
      headers: { Origin: 'https://elsewhere.example' },
    });
    expect(module.status).toBe(200);
    expect(module.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(module.headers.get('access-control-allow-origin')).toBe('*');
    expect(module.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    expect(module.headers.get('cache-control')).toBe('public, max-age=300');
    const code = Buffer.from(await module.arrayBuffer());
    expect(code.toString()).toContain('relais-timeline');

    const manifest = await app.request('GET', '/embed/relais-elements.json');
    expect(manifest.status).toBe(200);
    expect(manifest.body.integrity).toBe(`sha384-${createHash('sha384').update(code).digest('base64')}`);
    expect(manifest.body.url).toMatch(/^\/embed\/relais-elements\.[0-9a-f]{16}\.js$/);

    const pinned = await fetch(`${app.url}${manifest.body.url}`);
    expect(pinned.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(Buffer.from(await pinned.arrayBuffer()).equals(code)).toBe(true);
  });

  it('answers a stale pinned name 404 and any other name 400, as problem documents', async () => {
    const stale = await app.request('GET', '/embed/relais-elements.0123456789abcdef.js');
    expect(stale.status).toBe(404);
    expect(stale.headers.get('content-type')).toMatch(/problem\+json/);
    const other = await app.request('GET', '/embed/..%2F..%2Fpackage.json');
    expect(other.status).toBe(400);
  });
});

describe('GET /demo', () => {
  it('serves the four widgets under a strict CSP, with a token that works from this origin only', async () => {
    const page = await fetch(`${app.url}/demo`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toBe(
      "default-src 'self'; script-src 'self'; connect-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; frame-ancestors 'none'",
    );
    const html = await page.text();
    for (const tag of ['relais-inbox', 'relais-timeline', 'relais-lead-score', 'relais-hot-leads'])
      expect(html).toContain(`<${tag}`);
    expect(html).not.toMatch(/<script>|style="/);

    const { token } = (await (await fetch(`${app.url}/demo/token`)).json()) as { token: string };
    const personId = /person-id="([^"]+)"/.exec(html)?.[1];
    const bearer = { Authorization: `Bearer ${token}` };
    // A same-origin page's GET carries no Origin, only Sec-Fetch-Site.
    const sameOrigin = await app.request('GET', `/v1/people/${personId}/timeline`, {
      headers: { ...bearer, 'Sec-Fetch-Site': 'same-origin' },
    });
    expect(sameOrigin.status).toBe(200);
    expect(sameOrigin.body.data.length).toBeGreaterThan(0);
    for (const headers of [
      { 'Sec-Fetch-Site': 'cross-site' },
      { Origin: 'https://elsewhere.example' },
      {},
    ] as Record<string, string>[]) {
      const refused = await app.request('GET', `/v1/people/${personId}/timeline`, {
        headers: { ...bearer, ...headers },
      });
      expect(refused.status).toBe(403);
    }
  });
});
