/**
 * The React examples in Chromium: React 19 using the tags directly (attributes, and `onrelais-*`
 * listeners), and the @lit/react wrappers of `@relais/sdk/react` (written for React 18; React 18
 * itself is not installed here, so they run under React 19 in this test). Each example is bundled
 * with esbuild and served by a host page that carries no Relais script tag of its own.
 */
import { build } from 'esbuild';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRelaisClient } from '../../sdk/src';
import { startTestApp, type TestApp } from '../helpers/app';
import { chromiumPath, launchChromium } from '../helpers/browser';
import { createApiKey, createPerson, createUser, type TestUser } from '../helpers/factories';
import { type HostPage, startHostPage } from '../helpers/host-page';

async function bundle(entry: string): Promise<string> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    jsx: 'automatic',
    define: { 'process.env.NODE_ENV': '"production"' },
    write: false,
    logLevel: 'silent',
  });
  return result.outputFiles[0]!.text;
}

describe.skipIf(!chromiumPath)('the React examples', () => {
  let app: TestApp;
  let host: HostPage & { useApi(url: string): void };
  let browser: Browser;
  let manager: TestUser;
  let person: { id: string };

  beforeAll(async () => {
    host = await startHostPage();
    [app, browser] = await Promise.all([
      startTestApp({ env: { CORS_ORIGINS: host.origin } }),
      launchChromium(),
    ]);
    host.useApi(app.url);
    const [admin, m] = await Promise.all([
      createUser(app.db.knex, { role: 'admin' }),
      createUser(app.db.knex, { role: 'manager' }),
    ]);
    manager = m;
    person = await createPerson(app.db.knex, { first_name: 'Rita', last_name: 'React' });
    const writer = createRelaisClient({ baseUrl: app.url, token: admin.token });
    await writer.interactions.create({
      type: 'call',
      title: 'Rappeler Rita',
      assignee_id: manager.id,
      next_action_at: new Date(Date.now() + 86_400_000).toISOString(),
      participants: [{ person_id: person.id }],
    });
    const key = await createApiKey(app.db.knex, admin, [
      'embed_tokens:create',
      'email_events:read',
      'interactions:read',
      'lead_scores:read',
    ]);
    const minter = createRelaisClient({ baseUrl: app.url, apiKey: key.key });
    host.setToken(async () => {
      const embed = await minter.embedTokens.create({
        widgets: ['timeline', 'inbox', 'lead-score', 'hot-leads'],
        subject: { type: 'person', id: person.id },
        origins: [host.origin],
        user_id: manager.id,
      });
      return embed.token;
    });
    host.serve('/react19.js', await bundle('examples/react/react19.tsx'));
    host.serve('/react18.js', await bundle('examples/react/react18.tsx'));
  });

  afterAll(async () => {
    await browser?.close();
    await host?.close();
    await app?.close();
  });

  const root = () =>
    `<div id="root" data-relais="${app.url}" data-token-url="/token" data-person-id="${person.id}"></div>`;

  it('React 19 renders the tags and hears relais-open through onrelais-open', async () => {
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
    await page.goto(host.url({ body: root(), scripts: ['/react19.js'], module: false }));
    await page.locator('relais-lead-score [part="score"]').waitFor();
    const article = page.locator('relais-timeline article', { hasText: 'Rappeler Rita' });
    await article.click();
    await expect.poll(() => page.locator('#opened').textContent()).toMatch(/^[0-9a-f-]{36}$/);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('the @lit/react wrappers set properties and call onOpen', async () => {
    const page = await browser.newPage();
    await page.goto(host.url({ body: root(), scripts: ['/react18.js'], module: false }));
    await page.locator('relais-hot-leads').waitFor();
    expect(
      await page
        .locator('relais-hot-leads')
        .evaluate((element) => (element as HTMLElement & { limit: number }).limit),
    ).toBe(5);
    const row = page.locator('relais-inbox li[data-id]', { hasText: 'Rappeler Rita' });
    await row.getByRole('button', { name: 'Open' }).click();
    await expect.poll(() => page.locator('#opened').textContent()).toBe('Rappeler Rita');
    await page.close();
  });
});
