/**
 * Invariant 5: bad input never produces a 500 and never a partial write. Every operation of the
 * spec gets hostile path parameters, query strings and bodies from an admin (who passes every
 * permission check, so the input reaches the deepest code); each answer must be a 4xx (or a
 * success), and no row may change on a refusal.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OpenApiValidator } from '../../server/src/platform/web/openapi';
import { startTestApp, type TestApp } from '../helpers/app';
import { createUser, type TestUser } from '../helpers/factories';

const HOSTILE_IDS = [
  "1' OR '1'='1",
  '%00',
  '..%2F..%2Fetc%2Fpasswd',
  'x'.repeat(2_000),
  '00000000-0000-4000-8000-000000000000',
];
const HOSTILE_BODIES: unknown[] = [
  [],
  'a string',
  42,
  null,
  { name: '\u0000', first_name: 'a\u0000b', last_name: 'x', type: 'client', title: 't', email: 'a@b.c' },
  { name: 'Nul\u0000SA', type: 'client' },
  { first_name: 'a\u0000b', last_name: 'x' },
  { name: 'x'.repeat(100_000), type: 'client' },
  { deep: JSON.parse(`${'{"a":'.repeat(200)}1${'}'.repeat(200)}`) },
  { __proto__: { admin: true }, constructor: { prototype: { role: 'admin' } } },
  { organisation_id: "' OR 1=1 --", title: 'x', type: 'advisory' },
  { scopes: ['users:read'], name: ['array', 'not', 'string'] },
];
const HOSTILE_QUERIES = [
  '?limit=-1',
  '?limit=1e9',
  '?cursor=%27%3B%20DROP%20TABLE%20users%3B--',
  '?q=%00%00%00',
  '?sort=name;DROP',
  '?updated_since=yesterday',
];
const TABLES = [
  'users',
  'api_keys',
  'organisations',
  'people',
  'person_organisations',
  'mandates',
  'interactions',
  'interaction_participants',
  'notifications',
];

const operations = new OpenApiValidator().operations.filter((operation) =>
  operation.pathTemplate.startsWith('/v1/'),
);

let app: TestApp;
let admin: TestUser;
beforeAll(async () => {
  app = await startTestApp();
  admin = await createUser(app.db.knex, { role: 'admin' });
});
afterAll(() => app.close());

const snapshot = async () =>
  JSON.stringify(await Promise.all(TABLES.map((table) => app.db.knex(table).select('*').orderBy(1))));

describe.each(operations.map((operation) => [operation.id, operation] as const))('%s', (_id, operation) => {
  const method = operation.method.toUpperCase();
  const paths = operation.pathTemplate.includes('{')
    ? HOSTILE_IDS.map((id) => operation.pathTemplate.replace(/\{[^}]+\}/g, encodeURIComponent(id)))
    : [operation.pathTemplate];

  it('answers hostile path parameters and queries without a 500', async () => {
    for (const path of paths) {
      for (const query of ['', ...HOSTILE_QUERIES]) {
        const response = await app.request(method, `${path}${query}`, {
          headers: admin.auth,
          unchecked: true,
        });
        expect(response.status, `${method} ${path}${query}: ${response.text.slice(0, 200)}`).toBeLessThan(
          500,
        );
      }
    }
  });

  if (!operation.body) return;
  it('refuses hostile bodies without a 500 or a write', async () => {
    for (const body of HOSTILE_BODIES) {
      const before = await snapshot();
      const response = await app.request(method, paths[0]!, {
        headers: { ...admin.auth, 'content-type': 'application/json' },
        rawBody: JSON.stringify(body),
        unchecked: true,
      });
      expect(
        response.status,
        `${method} ${paths[0]} ${JSON.stringify(body).slice(0, 80)}: ${response.text.slice(0, 200)}`,
      ).toBeLessThan(500);
      if (response.status >= 400) expect(await snapshot()).toEqual(before);
    }
  });
});
