/**
 * `/demo` (never in production): the four web components on demo data, for the demo manager,
 * under the strict Content-Security-Policy a host page would set — the page carries no inline
 * script or style, and gets its embed token from `/demo/token` as a host's backend would mint it.
 */

import { NotFoundError } from '../platform/core/errors';
import { WIDGETS } from '../platform/core/principal';
import type { Knex } from '../platform/data/db';
import { publicRoute } from '../platform/web/access';
import type { TokenSettings } from '../platform/web/auth';
import { ownOrigin, Routes } from '../platform/web/routes';
import { signEmbedToken } from '../platform/web/tokens';

const DEMO_USER = 'manager@relais.demo';
const TOKEN_TTL_SECONDS = 900;

/** What a host page needs and nothing more: scripts and data from this origin only. */
export const STRICT_CSP =
  "default-src 'self'; script-src 'self'; connect-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; frame-ancestors 'none'";

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

export function demoRoutes(db: Knex, tokens: TokenSettings): Routes {
  const routes = new Routes();

  routes.get('/demo', publicRoute, async (req, reply) => {
    const person = await demoPerson(db);
    const lang = req.query.lang === 'en' ? 'en' : 'fr';
    const theme = req.query.theme === 'dark' ? 'dark' : 'light';
    reply
      .header('Content-Security-Policy', STRICT_CSP)
      .header('Cache-Control', 'no-store')
      .type('text/html; charset=utf-8')
      .send(demoHtml(ownOrigin(req), person, lang, theme));
  });

  routes.get('/demo/demo.css', publicRoute, (_req, reply) => {
    reply.type('text/css; charset=utf-8').send(DEMO_CSS);
  });

  routes.get('/demo/token', publicRoute, async (req, reply) => {
    const user = await db('users').where({ email: DEMO_USER, active: true }).first('id', 'token_version');
    const person = await demoPerson(db);
    if (!user || !person) throw new NotFoundError('No demo data here: start with RELAIS_DEMO_DATA=true.');
    const signed = signEmbedToken(
      tokens,
      {
        userId: user.id,
        widgets: [...WIDGETS],
        subject: { type: 'person', id: person.id },
        origins: [ownOrigin(req)],
        tokenVersion: user.token_version,
      },
      TOKEN_TTL_SECONDS,
    );
    reply.header('Cache-Control', 'no-store').send({ token: signed.token });
  });

  return routes;
}

/** The demo's hottest lead (the most telling timeline and score), else anyone. */
async function demoPerson(
  db: Knex,
): Promise<{ id: string; first_name: string; last_name: string } | undefined> {
  return db('people')
    .leftJoin('lead_scores', 'lead_scores.person_id', 'people.id')
    .whereNull('people.archived_at')
    .orderByRaw('lead_scores.weighted DESC NULLS LAST, people.id')
    .first('people.id', 'people.first_name', 'people.last_name');
}

function demoHtml(
  origin: string,
  person: { id: string; first_name: string; last_name: string } | undefined,
  lang: 'fr' | 'en',
  theme: 'light' | 'dark',
): string {
  const id = escapeHtml(person?.id ?? '');
  const name = escapeHtml(person ? `${person.first_name} ${person.last_name}` : '');
  const title = lang === 'fr' ? 'Relais — démonstration des widgets' : 'Relais — widgets demo';
  return `<!doctype html>
<html lang="${lang}" class="${theme}">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>${title}</title>
    <link rel="icon" href="data:," />
    <link rel="stylesheet" href="/demo/demo.css" />
    <script type="module" src="/embed/relais-elements.js"></script>
  </head>
  <body>
    <relais-config base-url="${escapeHtml(origin)}" token-url="/demo/token"></relais-config>
    <header>
      <h1>${title}</h1>
      <p>${name} · <a href="/demo?lang=${lang === 'fr' ? 'en' : 'fr'}&amp;theme=${theme}">${lang === 'fr' ? 'English' : 'Français'}</a> · <a href="/demo?lang=${lang}&amp;theme=${theme === 'dark' ? 'light' : 'dark'}">${theme === 'dark' ? 'Light' : 'Dark'}</a></p>
    </header>
    <main>
      <div class="column">
        <relais-lead-score person-id="${id}" theme="${theme}"></relais-lead-score>
        <relais-hot-leads limit="6" theme="${theme}"></relais-hot-leads>
      </div>
      <relais-inbox theme="${theme}"></relais-inbox>
      <relais-timeline person-id="${id}" theme="${theme}"></relais-timeline>
    </main>
  </body>
</html>
`;
}

const DEMO_CSS = `body { margin: 0; font-family: system-ui, sans-serif; background: #eef1f5; color: #1d2330; }
html.dark body { background: #0d1016; color: #e7eaf0; }
html.dark a { color: #8ab4ff; }
header { padding: 1rem 1.5rem 0; }
h1 { font-size: 1.3rem; margin: 0 0 .25rem; }
main { display: grid; grid-template-columns: repeat(auto-fit, minmax(22rem, 1fr)); gap: 1rem; padding: 1rem 1.5rem; align-items: start; }
.column { display: grid; gap: 1rem; }
`;
