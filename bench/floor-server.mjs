// What Relais's general layers cost: GET /v1/people/{id} doing the per-request work of the full
// stack — request id, one access-log line (pino), a duration histogram (prom-client), the security
// headers, a Bearer JWT verified once and then cached, the user read once and then cached, the id
// checked, the person and their organisations (the same two queries), an ETag — written straight
// on Express, without those layers (validation against the spec, passport, CORS, idempotency,
// the read cache's bookkeeping, Knex's pool). For crm-bench.ts, which compares it with the bare
// node:http + pg server. With FLOOR_CACHE=1 each person is read once and then served from memory
// (its text and ETag kept): the yardstick of the full stack with its read cache on.
import { createHash, randomUUID } from 'node:crypto';
import express from 'express';
import jwt from 'jsonwebtoken';
import pg from 'pg';
import pino from 'pino';
import client from 'prom-client';

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
const logger = pino({ level: 'info' });
const duration = new client.Histogram({
  name: 'http_request_duration_seconds',
  help: 'Request duration',
  labelNames: ['method', 'route', 'status'],
});
const PERSON = 'SELECT * FROM people WHERE id = $1';
const MEMBERSHIPS = `SELECT link.person_id, link.organisation_id, organisation.name AS organisation_name,
    link.role, link.is_primary, link.since, link.until
  FROM person_organisations AS link JOIN organisations AS organisation ON organisation.id = link.organisation_id
  WHERE link.person_id = ANY($1::uuid[]) ORDER BY link.is_primary DESC, organisation.name`;
/** The headers helmet sets with Relais's options. */
const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'self';base-uri 'self';font-src 'self' https: data:;form-action 'self';frame-ancestors 'self';img-src 'self' data:;object-src 'none';script-src 'self';script-src-attr 'none';style-src 'self' https: 'unsafe-inline';upgrade-insecure-requests",
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-site',
  'origin-agent-cluster': '?1',
  'referrer-policy': 'no-referrer',
  'strict-transport-security': 'max-age=31536000; includeSubDomains',
  'x-content-type-options': 'nosniff',
  'x-dns-prefetch-control': 'off',
  'x-download-options': 'noopen',
  'x-frame-options': 'SAMEORIGIN',
  'x-permitted-cross-domain-policies': 'none',
  'x-xss-protection': '0',
};

const verified = new Map();
const users = new Map();

/** The user of a Bearer token, or null (the token verified once, its expiry checked each time). */
async function userOf(authorization) {
  const token = authorization?.startsWith('Bearer ') ? authorization.slice(7) : null;
  if (!token) return null;
  let claims = verified.get(token);
  if (!claims) {
    try {
      claims = jwt.verify(token, process.env.JWT_SECRET, { issuer: 'relais', algorithms: ['HS256'] });
    } catch {
      return null;
    }
    verified.set(token, claims);
  }
  if (claims.exp * 1000 < Date.now()) return null;
  let user = users.get(claims.sub);
  if (!user) {
    user = (await pool.query('SELECT id, role, active FROM users WHERE id = $1', [claims.sub])).rows[0];
    users.set(claims.sub, user);
  }
  return user?.active ? user : null;
}

const memo = process.env.FLOOR_CACHE === '1' ? new Map() : null;

/** The person as JSON text and its ETag, or null (from memory with FLOOR_CACHE=1, once read). */
async function personOf(id) {
  const known = memo?.get(id);
  if (known) return known;
  const person = await readPerson(id);
  if (person) memo?.set(id, person);
  return person;
}

async function readPerson(id) {
  const { rows } = await pool.query(PERSON, [id]);
  if (!rows[0]) return null;
  const memberships = await pool.query(MEMBERSHIPS, [[id]]);
  const text = JSON.stringify({ ...rows[0], organisations: memberships.rows });
  return { text, etag: `"${createHash('sha256').update(text).digest('base64url').slice(0, 27)}"` };
}

function logged(id, method, url, route, status, start) {
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  duration.observe({ method, route, status: String(status) }, seconds);
  logger.info(
    {
      req: { id, method, path: url.split('?')[0] },
      res: { status },
      responseTime: Math.round(seconds * 1000),
    },
    'request completed',
  );
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function expressServer() {
  const app = express();
  app.set('etag', false);
  app.disable('x-powered-by');
  app.use(async (req, res, next) => {
    const id = randomUUID();
    const start = process.hrtime.bigint();
    res.set(SECURITY_HEADERS).set('x-request-id', id);
    res.once('finish', () => logged(id, req.method, req.originalUrl, req.route?.path, res.statusCode, start));
    req.user = await userOf(req.headers.authorization);
    if (!req.user) return res.status(401).json({ title: 'Unauthorized' });
    next();
  });
  app.get('/v1/people/:id', async (req, res) => {
    if (!UUID.test(req.params.id)) return res.status(400).json({ title: 'Bad request' });
    const person = await personOf(req.params.id);
    if (!person) return res.status(404).json({ title: 'Not found' });
    res.set('etag', person.etag).type('application/json').send(person.text);
  });
  app.listen(Number(process.env.PORT), '127.0.0.1');
}

expressServer();
