/**
 * The web components as an intranet page embeds them: real Chromium, a host page on another origin
 * with a strict Content-Security-Policy and one script tag, its backend minting embed tokens with
 * the SDK, and a real Relais server. Rendering, live updates, token expiry, forbidden tokens,
 * keyboard use, two copies of the script, and axe-core in every state, theme and language.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRelaisClient, type RelaisClient } from '../../sdk/src';
import { startTestApp, type TestApp } from '../helpers/app';
import { chromiumPath, launchChromium } from '../helpers/browser';
import { createApiKey, createPerson, createUser, type TestUser } from '../helpers/factories';
import { type HostPage, startHostPage } from '../helpers/host-page';
import { postSignedEvents } from '../helpers/webhooks';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const SHOTS = 'coverage/elements';
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const ALL = ['timeline', 'inbox', 'lead-score', 'hot-leads'] as const;

describe.skipIf(!chromiumPath)('the web components in an intranet page', () => {
  let app: TestApp;
  let host: HostPage & { useApi(url: string): void };
  let browser: Browser;
  let manager: TestUser;
  let idle: TestUser;
  let writer: RelaisClient;
  let minter: RelaisClient;
  let anne: { id: string };
  let bruno: { id: string };
  let quiet: { id: string };

  const mint = (
    overrides: Partial<{ widgets: (typeof ALL)[number][]; person: string; user: string }> = {},
  ) => {
    return async () =>
      (
        await minter.embedTokens.create({
          widgets: [...(overrides.widgets ?? ALL)],
          subject: { type: 'person', id: overrides.person ?? anne.id },
          origins: [host.origin],
          user_id: overrides.user ?? manager.id,
        })
      ).token;
  };

  const emailEvent = (email: string, type: 'opened' | 'clicked') => ({
    id: randomUUID(),
    type,
    email,
    occurred_at: new Date().toISOString(),
    message_id: `m-${randomUUID()}`,
    campaign: 'autumn-letter',
  });

  beforeAll(async () => {
    host = await startHostPage();
    [app, browser] = await Promise.all([
      startTestApp({ env: { CORS_ORIGINS: host.origin, RELAIS_WEBHOOK_SECRET: SECRET } }),
      launchChromium(),
    ]);
    host.useApi(app.url);
    const db = app.db.knex;
    const [admin, m, i] = await Promise.all([
      createUser(db, { role: 'admin' }),
      createUser(db, { role: 'manager', name: 'Louise Martin' }),
      createUser(db, { role: 'user' }),
    ]);
    manager = m;
    idle = i;
    writer = createRelaisClient({ baseUrl: app.url, token: admin.token });
    const key = await createApiKey(db, admin, [
      'embed_tokens:create',
      'email_events:read',
      'interactions:read',
      'interactions:update',
      'lead_scores:read',
      'people:read',
    ]);
    minter = createRelaisClient({ baseUrl: app.url, apiKey: key.key });
    anne = await createPerson(db, {
      first_name: 'Anne',
      last_name: 'Dupré',
      email: 'anne@dupre.example',
      owner_id: manager.id,
    });
    bruno = await createPerson(db, {
      first_name: 'Bruno',
      last_name: 'Roux',
      email: 'bruno@roux.example',
      owner_id: manager.id,
    });
    quiet = await createPerson(db, { first_name: 'Claire', last_name: 'Calme' });
    const day = 86_400_000;
    for (let index = 0; index < 24; index += 1) {
      await writer.interactions.create({
        type: index % 3 === 0 ? 'meeting' : index % 3 === 1 ? 'call' : 'note',
        title: `Suivi ${index + 1}`,
        occurred_at: new Date(Date.now() - (index + 1) * day).toISOString(),
        participants: [{ person_id: anne.id }],
      });
    }
    const work = [
      { title: 'Relancer Anne', next: -2 * day },
      { title: 'Préparer la revue', next: 3 * day },
      { title: 'Envoyer le mandat', next: 6 * day },
      { title: 'Classer les notes', next: null },
    ];
    for (const item of work) {
      await writer.interactions.create({
        type: 'call',
        title: item.title,
        assignee_id: manager.id,
        next_action_at: item.next === null ? null : new Date(Date.now() + item.next).toISOString(),
        participants: [{ person_id: anne.id }],
      });
    }
    const now = new Date();
    await postSignedEvents(
      app,
      [
        emailEvent('anne@dupre.example', 'clicked'),
        emailEvent('anne@dupre.example', 'clicked'),
        emailEvent('anne@dupre.example', 'opened'),
        emailEvent('anne@dupre.example', 'opened'),
        emailEvent('bruno@roux.example', 'opened'),
      ],
      { secret: SECRET, now },
    );
    mkdirSync(SHOTS, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    await host?.close();
    await app?.close();
  });

  async function open(
    body: string,
    options: { lang?: string; scheme?: 'light' | 'dark'; scripts?: string[] } = {},
  ) {
    const context = await browser.newContext({
      colorScheme: options.scheme ?? 'light',
      viewport: { width: 1200, height: 900 },
    });
    const page = await context.newPage();
    const problems: string[] = [];
    const warnings: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
      if (message.type() === 'warning') warnings.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(error.message));
    await page.goto(host.url({ body, lang: options.lang, scripts: options.scripts }));
    return { page, problems, warnings, close: () => context.close() };
  }

  const four = () => `<relais-inbox></relais-inbox>
<relais-timeline person-id="${anne.id}"></relais-timeline>
<relais-lead-score person-id="${anne.id}"></relais-lead-score>
<relais-hot-leads limit="5"></relais-hot-leads>`;

  const readyCount = (page: Page) =>
    page.evaluate(
      () =>
        (window as unknown as { relaisEvents: { name: string }[] }).relaisEvents.filter(
          (e) => e.name === 'relais-ready',
        ).length,
    );

  it('renders the four elements with data, in English and French, light and dark, under a strict CSP', async () => {
    host.setToken(mint());
    for (const [lang, scheme] of [
      ['en', 'light'],
      ['fr', 'light'],
      ['en', 'dark'],
      ['fr', 'dark'],
    ] as const) {
      const { page, problems, close } = await open(four(), { lang, scheme });
      try {
        await page.locator('relais-timeline article', { hasText: 'Suivi 1' }).first().waitFor();
        await page.locator('relais-inbox li[data-id]', { hasText: 'Relancer Anne' }).waitFor();
        await page.locator('relais-hot-leads li', { hasText: 'Anne Dupré' }).waitFor();
        await page.locator('relais-lead-score [part="score"]').waitFor();
        await expect.poll(() => readyCount(page)).toBeGreaterThanOrEqual(4);
        const heading = await page.locator('relais-inbox h2').textContent();
        expect(heading).toBe(lang === 'fr' ? 'À traiter' : 'Inbox');
        expect(await page.locator('relais-inbox [part="count"]').first().textContent()).toMatch(
          lang === 'fr' ? /En retard\s*1/ : /Overdue\s*1/,
        );
        expect(await page.locator('relais-hot-leads [part="owner"]').first().textContent()).toContain(
          'Louise Martin',
        );
        await page.screenshot({ path: `${SHOTS}/four-${lang}-${scheme}.png`, fullPage: true });
        expect(problems).toEqual([]);
      } finally {
        await close();
      }
    }
  });

  it('loads more of a timeline as it scrolls (ARIA feed), 20 at a time', async () => {
    host.setToken(mint());
    const { page, close } = await open(`<relais-timeline person-id="${anne.id}"></relais-timeline>`);
    try {
      await page.locator('relais-timeline article').first().waitFor();
      expect(await page.locator('relais-timeline article').count()).toBe(20);
      expect(await page.locator('relais-timeline [role="feed"]').getAttribute('aria-busy')).toBe('false');
      const total = (await writer.people.timeline(anne.id).toArray({ limit: 1_000 })).length;
      expect(total).toBeGreaterThan(20);
      await page.locator('relais-timeline [part~="more"]').scrollIntoViewIfNeeded();
      await expect.poll(() => page.locator('relais-timeline article').count()).toBe(total);
      expect(await page.locator('relais-timeline article').last().getAttribute('aria-posinset')).toBe(
        String(total),
      );
    } finally {
      await close();
    }
  });

  it('is live: a new interaction tops the timeline, a done item leaves another page’s inbox, an email open moves the score and the hot leads', async () => {
    host.setToken(mint());
    const first = await open(`<relais-timeline person-id="${anne.id}"></relais-timeline>
<relais-lead-score person-id="${anne.id}"></relais-lead-score>
<relais-hot-leads limit="5"></relais-hot-leads>`);
    const second = await open('<relais-inbox></relais-inbox>');
    const third = await open('<relais-inbox></relais-inbox>');
    try {
      await first.page.locator('relais-timeline article').first().waitFor();
      await first.page.locator('relais-hot-leads li').first().waitFor();
      await third.page.locator('relais-inbox li[data-id]', { hasText: 'Préparer la revue' }).waitFor();
      await second.page.locator('relais-inbox li[data-id]', { hasText: 'Préparer la revue' }).waitFor();

      await writer.interactions.create({
        type: 'meeting',
        title: 'Déjeuner en direct',
        participants: [{ person_id: anne.id }],
      });
      await first.page
        .locator('relais-timeline article', { hasText: 'Déjeuner en direct' })
        .first()
        .waitFor({ timeout: 10_000 });
      expect(await first.page.locator('relais-timeline [part="announcer"]').textContent()).toBe('1 new item');

      await second.page
        .locator('relais-inbox li[data-id]', { hasText: 'Préparer la revue' })
        .getByRole('button', { name: 'Done' })
        .click();
      await third.page
        .locator('relais-inbox li[data-id]', { hasText: 'Préparer la revue' })
        .waitFor({ state: 'detached', timeout: 10_000 });

      const before = await first.page.locator('relais-lead-score [part="score"]').textContent();
      expect(await first.page.locator('relais-hot-leads [part="name"]').first().textContent()).toBe(
        'Anne Dupré',
      );
      const clicks = Array.from({ length: 4 }, () => emailEvent('bruno@roux.example', 'clicked'));
      await postSignedEvents(app, [...clicks, emailEvent('anne@dupre.example', 'opened')], {
        secret: SECRET,
        now: new Date(),
      });
      await expect
        .poll(() => first.page.locator('relais-hot-leads [part="name"]').first().textContent(), {
          timeout: 10_000,
        })
        .toBe('Bruno Roux');
      await expect
        .poll(() => first.page.locator('relais-lead-score [part="score"]').textContent(), { timeout: 10_000 })
        .not.toBe(before);
      expect(await first.page.locator('relais-lead-score [part="announcer"]').textContent()).toMatch(
        /^Score changed from/,
      );
      for (const { problems } of [first, second, third]) expect(problems).toEqual([]);
    } finally {
      await Promise.all([first.close(), second.close(), third.close()]);
    }
  });

  it('keeps what it shows when its token is revoked mid-session: one refresh, and it goes on', async () => {
    host.setToken(mint());
    const { page, problems, close } = await open(
      `<relais-timeline person-id="${anne.id}"></relais-timeline>`,
    );
    try {
      await page.locator('relais-timeline article').first().waitFor();
      await page.locator('relais-timeline [part~="more"]').scrollIntoViewIfNeeded();
      await expect.poll(() => page.locator('relais-timeline article').count()).toBeGreaterThan(20);
      const shown = await page.locator('relais-timeline article').count();
      const calls = host.tokenCalls;
      // Signing out everywhere revokes every token the manager's widgets hold.
      await createRelaisClient({ baseUrl: app.url, token: manager.token }).auth.logoutEverywhere();
      const skeletons: number[] = [];
      const watch = setInterval(() => {
        void page
          .locator('relais-timeline [part="skeleton"]')
          .count()
          .then(
            (n) => skeletons.push(n),
            () => undefined,
          );
      }, 50);
      await writer.interactions.create({
        type: 'note',
        title: 'Après révocation',
        participants: [{ person_id: anne.id }],
      });
      await page
        .locator('relais-timeline article', { hasText: 'Après révocation' })
        .first()
        .waitFor({ timeout: 15_000 });
      clearInterval(watch);
      expect(await page.locator('relais-timeline article').count()).toBe(shown + 1);
      expect(skeletons.every((n) => n === 0)).toBe(true);
      expect(host.tokenCalls - calls).toBeGreaterThanOrEqual(1);
      expect(host.tokenCalls - calls).toBeLessThanOrEqual(2);
      expect(problems.filter((p) => !/401/.test(p))).toEqual([]);
    } finally {
      await close();
    }
  });

  it('shows the forbidden state, never data, for a token of another subject or without the widget', async () => {
    host.setToken(mint({ person: bruno.id, widgets: ['timeline', 'inbox'] }));
    const { page, close } = await open(`<relais-timeline person-id="${anne.id}"></relais-timeline>
<relais-lead-score person-id="${bruno.id}"></relais-lead-score>`);
    try {
      await page.locator('relais-timeline [part="forbidden"]').waitFor();
      await page.locator('relais-lead-score [part="forbidden"]').waitFor();
      expect(await page.locator('relais-timeline article').count()).toBe(0);
      expect(await page.locator('relais-lead-score [part="score"]').count()).toBe(0);
      const codes = await page.evaluate(() =>
        (window as unknown as { relaisEvents: { name: string; detail: { code: string } }[] }).relaisEvents
          .filter((e) => e.name === 'relais-error')
          .map((e) => e.detail.code),
      );
      expect(codes).toEqual(['forbidden', 'forbidden']);
    } finally {
      await close();
    }
  });

  it('works the inbox from the keyboard alone: move, mark done, snooze, and a host veto', async () => {
    host.setToken(mint());
    const { page, problems, close } = await open('<relais-inbox></relais-inbox>');
    const focusedTitle = () =>
      page.evaluate(() => {
        const root = document.querySelector('relais-inbox')?.shadowRoot;
        return root?.activeElement?.querySelector('[part="item-title"]')?.textContent ?? null;
      });
    const status = async (title: string) =>
      (await app.db.knex('interactions').where({ title }).first('status', 'next_action_at')) as {
        status: string;
        next_action_at: Date | null;
      };
    try {
      await page.locator('relais-inbox li[data-id]').first().waitFor();
      await page.keyboard.press('Tab');
      expect(await focusedTitle()).toBe('Relancer Anne');
      await page.keyboard.press('ArrowDown');
      const second = await focusedTitle();
      expect(second).not.toBe('Relancer Anne');
      await page.keyboard.press('ArrowUp');
      expect(await focusedTitle()).toBe('Relancer Anne');

      // A host may veto an action before anything is written.
      await page.evaluate(() => {
        (window as unknown as { veto: (e: Event) => void }).veto = (event: Event) => event.preventDefault();
        document.addEventListener('relais-action', (window as unknown as { veto: (e: Event) => void }).veto);
      });
      await page.keyboard.press('d');
      expect(await focusedTitle()).toBe('Relancer Anne');
      expect((await status('Relancer Anne')).status).toBe('todo');
      await page.evaluate(() =>
        document.removeEventListener(
          'relais-action',
          (window as unknown as { veto: (e: Event) => void }).veto,
        ),
      );

      await page.keyboard.press('d');
      await page
        .locator('relais-inbox li[data-id]', { hasText: 'Relancer Anne' })
        .waitFor({ state: 'detached' });
      await expect.poll(async () => (await status('Relancer Anne')).status).toBe('done');
      await expect
        .poll(() => page.locator('relais-inbox [part="message"]').textContent())
        .toContain('marked done');

      const target = (await focusedTitle()) ?? '';
      const before = (await status(target)).next_action_at;
      await page.keyboard.press('s');
      await page.locator('relais-inbox [part="snooze-menu"]').waitFor();
      await page.keyboard.press('Tab');
      await page.keyboard.press('Tab');
      await page.keyboard.press('Tab');
      await page.keyboard.press('Tab');
      await page.keyboard.press('Enter');
      await expect.poll(async () => String((await status(target)).next_action_at)).not.toBe(String(before));
      expect(problems).toEqual([]);
    } finally {
      await close();
    }
  });

  it('rolls an optimistic action back with a message when the server refuses it (409)', async () => {
    host.setToken(mint());
    const { page, close } = await open('<relais-inbox></relais-inbox>');
    try {
      await page.locator('relais-inbox li[data-id]', { hasText: 'Envoyer le mandat' }).waitFor();
      // Cancelled behind the page's back (no event announces it): done is no longer a legal move.
      await app.db.knex('interactions').where({ title: 'Envoyer le mandat' }).update({ status: 'cancelled' });
      await page
        .locator('relais-inbox li[data-id]', { hasText: 'Envoyer le mandat' })
        .getByRole('button', { name: 'Done' })
        .click();
      await expect
        .poll(() => page.locator('relais-inbox [part="message"]').textContent())
        .toContain('changed this item meanwhile');
      expect(await page.locator('relais-inbox li[data-id]', { hasText: 'Envoyer le mandat' }).count()).toBe(
        1,
      );
    } finally {
      await close();
    }
  });

  it('opens one event stream and asks for one token for 50 elements on a page', async () => {
    host.setToken(mint());
    const calls = host.tokenCalls;
    const context = await browser.newContext();
    const page = await context.newPage();
    const streams: string[] = [];
    page.on('request', (request) => {
      if (request.url().includes('/v1/events')) streams.push(request.url());
    });
    try {
      const body = Array.from({ length: 50 }, (_, index) =>
        index % 2
          ? `<relais-lead-score person-id="${anne.id}"></relais-lead-score>`
          : `<relais-timeline person-id="${anne.id}"></relais-timeline>`,
      ).join('\n');
      await page.goto(host.url({ body }));
      await expect
        .poll(() => page.locator('relais-lead-score [part="score"]').count(), { timeout: 20_000 })
        .toBe(25);
      await expect
        .poll(() => page.locator('relais-timeline [role="feed"]').count(), { timeout: 20_000 })
        .toBe(25);
      expect(streams).toHaveLength(1);
      expect(host.tokenCalls - calls).toBe(1);
    } finally {
      await context.close();
    }
  });

  it('works with two copies of the script on one page: a warning, no error', async () => {
    host.setToken(mint());
    const manifest = (await (await fetch(`${app.url}/embed/relais-elements.json`)).json()) as { url: string };
    const { page, problems, close } = await open(
      `<relais-lead-score person-id="${anne.id}"></relais-lead-score>`,
      {
        scripts: [`${app.url}${manifest.url}`],
      },
    );
    const warnings: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'warning') warnings.push(message.text());
    });
    try {
      await page.locator('relais-lead-score [part="score"]').waitFor();
      expect(problems).toEqual([]);
    } finally {
      await close();
    }
  });

  it('axe-core sees inside the elements’ shadow roots (a planted violation is found)', async () => {
    host.setToken(mint());
    const { page, close } = await open(`<relais-lead-score person-id="${anne.id}"></relais-lead-score>`);
    try {
      await page.locator('relais-lead-score [part="score"]').waitFor();
      await page.evaluate(AXE);
      const ids = await page.evaluate(async () => {
        const element = document.querySelector('relais-lead-score') as HTMLElement;
        element.shadowRoot?.append(document.createElement('button'));
        const axe = (
          window as unknown as { axe: { run(context: Element): Promise<{ violations: { id: string }[] }> } }
        ).axe;
        return (await axe.run(element)).violations.map((violation) => violation.id);
      });
      expect(ids).toContain('button-name');
    } finally {
      await close();
    }
  });

  describe('axe-core finds nothing, in every state, theme and language', () => {
    const states: [string, () => Promise<string>, (page: Page) => Promise<void>][] = [
      [
        'data',
        () => mint()(),
        async (page) => {
          await page.locator('relais-timeline article').first().waitFor();
          await page.locator('relais-hot-leads li').first().waitFor();
          await page.locator('relais-lead-score [part="score"]').waitFor();
          await page.locator('relais-inbox li[data-id]').first().waitFor();
        },
      ],
      [
        'empty',
        () => mint({ person: quiet.id, user: idle.id, widgets: ['timeline', 'inbox'] })(),
        async (page) => {
          await page.locator('relais-timeline [part="empty"]').waitFor();
          await page.locator('relais-inbox [part="empty"]').waitFor();
        },
      ],
      [
        'error',
        async () => {
          throw new Error('the host cannot mint a token now');
        },
        async (page) => {
          await page.locator('relais-timeline [part="error"]').waitFor();
          await page.locator('relais-inbox [part="error"]').waitFor();
        },
      ],
      [
        'forbidden',
        () => mint({ person: bruno.id, widgets: ['timeline', 'inbox'] })(),
        async (page) => {
          await page.locator('relais-timeline [part="forbidden"]').waitFor();
          await page.locator('relais-lead-score [part="forbidden"]').waitFor();
          await page.locator('relais-hot-leads [part="forbidden"]').waitFor();
        },
      ],
      [
        'loading',
        () => new Promise<string>(() => undefined),
        async (page) => void (await page.locator('relais-timeline [part="skeleton"]').waitFor()),
      ],
    ];
    for (const [state, token, ready] of states) {
      for (const [lang, scheme] of [
        ['en', 'light'],
        ['fr', 'dark'],
        ['fr', 'light'],
        ['en', 'dark'],
      ] as const) {
        it(`${state}, ${lang}, ${scheme}`, async () => {
          host.setToken(token);
          const body =
            state === 'empty'
              ? `<relais-inbox></relais-inbox><relais-timeline person-id="${quiet.id}"></relais-timeline>`
              : four();
          const { page, close } = await open(body, { lang, scheme });
          try {
            await ready(page);
            await page.evaluate(AXE);
            const violations = await page.evaluate(async () => {
              const found: string[] = [];
              const axe = (
                window as unknown as {
                  axe: {
                    run(
                      context: Element,
                      options?: object,
                    ): Promise<{ violations: { id: string; nodes: { target: unknown }[] }[] }>;
                  };
                }
              ).axe;
              for (const element of document.querySelectorAll(
                'relais-inbox, relais-timeline, relais-lead-score, relais-hot-leads',
              )) {
                const result = await axe.run(element, { resultTypes: ['violations'] });
                for (const violation of result.violations)
                  found.push(
                    `${element.localName}: ${violation.id} at ${JSON.stringify(violation.nodes.map((n) => n.target))}`,
                  );
              }
              return found;
            });
            expect(violations).toEqual([]);
          } finally {
            await close();
          }
        });
      }
    }
  });
});
