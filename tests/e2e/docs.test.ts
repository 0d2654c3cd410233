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
    const foreign: string[] = [];
    page.on('request', (request) => {
      if (!request.url().startsWith(app.url) && !request.url().startsWith('blob:') && !request.url().startsWith('data:')) {
        foreign.push(request.url());
      }
    });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${app.url}/docs`);
    await page.getByRole('heading', { name: /Relais API/ }).first().waitFor({ timeout: 15_000 });
    await page.getByText('Readiness probe').first().waitFor({ state: 'attached' });
    expect(await page.locator('body').innerText()).toContain('/ready');
    expect(foreign).toEqual([]);
    expect(errors).toEqual([]);
  });
});
