/**
 * An intranet tool embedding Relais's four web components: an Express app that holds an API key
 * server-side, mints an embed token per visitor with the SDK, and serves a page with the widgets
 * under a strict Content-Security-Policy.
 *
 *   CORS_ORIGINS=http://localhost:8080 npm start          # Relais, all-in-one, with demo data
 *   npx tsx examples/intranet/server.ts                    # then open http://localhost:8080
 *
 * RELAIS_URL (default http://127.0.0.1:3000) and RELAIS_API_KEY (an `rk_…` key with the scopes
 * below) point it at another Relais; without a key it creates one, signed in as the demo admin.
 * A real intranet knows its visitor from its own sign-in; here `?as=<email>` picks a demo user.
 */
import express from 'express';
import { createRelaisClient, type RelaisClient } from '../../sdk/src';

const RELAIS_URL = process.env.RELAIS_URL ?? 'http://127.0.0.1:3000';
const PORT = Number(process.env.PORT ?? 8080);
const ORIGIN = `http://localhost:${PORT}`;
const SCOPES = [
  'embed_tokens:create',
  'users:read',
  'people:read',
  'interactions:read',
  'email_events:read',
  'lead_scores:read',
] as const;

/** The server-side client: an API key, never sent to the browser. */
async function relaisForServer(): Promise<RelaisClient> {
  if (process.env.RELAIS_API_KEY)
    return createRelaisClient({ baseUrl: RELAIS_URL, apiKey: process.env.RELAIS_API_KEY });
  const admin = createRelaisClient({ baseUrl: RELAIS_URL });
  await admin.auth.login('admin@relais.demo', 'relais-demo-password');
  const { key } = await admin.apiKeys.create({ name: 'intranet example', scopes: [...SCOPES] });
  return createRelaisClient({ baseUrl: RELAIS_URL, apiKey: key });
}

const relais = await relaisForServer();
const app = express();

/** The Relais user a visitor is, by email (a real intranet maps its own sign-in). */
async function visitorId(email: string): Promise<string> {
  for await (const user of relais.users.list({ active: true })) if (user.email === email) return user.id;
  throw new Error(`No active Relais user ${email}`);
}

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

app.get('/', async (req, res, next) => {
  try {
    const as = String(req.query.as ?? 'manager@relais.demo');
    const [lead] = await relais.leadScores.list({ limit: 1 }).toArray({ limit: 1 });
    const personId = lead?.person_id ?? '';
    res
      .set(
        'Content-Security-Policy',
        `default-src 'self'; script-src 'self' ${RELAIS_URL}; connect-src 'self' ${RELAIS_URL}; style-src 'self'; img-src 'self' data:`,
      )
      .type('html')
      .send(`<!doctype html>
<html lang="fr">
<head>
  <meta charset="utf-8">
  <title>Intranet — suivi client</title>
  <link rel="icon" href="data:,">
  <script type="module" src="${RELAIS_URL}/embed/relais-elements.js"></script>
</head>
<body>
  <relais-config base-url="${RELAIS_URL}" token-url="/relais-token?as=${encodeURIComponent(as)}"></relais-config>
  <h1>Suivi client — ${escapeHtml(lead ? `${lead.person.first_name} ${lead.person.last_name}` : '')}</h1>
  <relais-lead-score person-id="${personId}"></relais-lead-score>
  <relais-hot-leads limit="5"></relais-hot-leads>
  <relais-inbox></relais-inbox>
  <relais-timeline person-id="${personId}"></relais-timeline>
</body>
</html>`);
  } catch (error) {
    next(error);
  }
});

/** Called by the widgets (through `<relais-config token-url>`): a 15-minute token for this visitor. */
app.get('/relais-token', async (req, res, next) => {
  try {
    const [lead] = await relais.leadScores.list({ limit: 1 }).toArray({ limit: 1 });
    const embed = await relais.embedTokens.create({
      user_id: await visitorId(String(req.query.as ?? 'manager@relais.demo')),
      widgets: ['timeline', 'inbox', 'lead-score', 'hot-leads'],
      subject: { type: 'person', id: lead?.person_id ?? '' },
      origins: [ORIGIN],
    });
    res.set('Cache-Control', 'no-store').json({ token: embed.token });
  } catch (error) {
    next(error);
  }
});

app.listen(PORT, '127.0.0.1', () => process.stdout.write(`Intranet example on ${ORIGIN}\n`));
