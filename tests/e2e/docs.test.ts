import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app';
import { chromiumPath, launchChromium } from '../helpers/browser';

describe.skipIf(!chromiumPath)('the API reference in a browser', () => {
  let app: TestApp;
  let browser: Browser;
  beforeAll(async () => {
    [app, browser] = await Promise.all([startTestApp(), launchChromium()]);
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('renders the spec with no request leaving the server', async () => {
    const page = await browser.newPage();
    // Redoc's footer asks for a logo from its CDN; the page's CSP must stop it in the browser.
    const isForeign = (url: string) => !url.startsWith(app.url) && !/^(blob|data):/.test(url);
    const foreign: string[] = [];
    const blocked: string[] = [];
    page.on('requestfinished', (request) => {
      if (isForeign(request.url())) foreign.push(request.url());
    });
    page.on('requestfailed', (request) => {
      if (isForeign(request.url())) blocked.push(`${request.url()} ${request.failure()?.errorText}`);
    });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${app.url}/docs`);
    await page
      .getByRole('heading', { name: /Relais API/ })
      .first()
      .waitFor({ timeout: 15_000 });
    await page.getByText('Readiness probe').first().waitFor({ state: 'attached' });
    expect(await page.locator('body').textContent()).toContain('/ready');
    expect(foreign).toEqual([]);
    for (const attempt of blocked) expect(attempt).toMatch(/ (csp|net::ERR_BLOCKED_BY_CSP)$/);
    expect(errors).toEqual([]);
  });
});
