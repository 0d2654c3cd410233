/**
 * OWASP API3 (broken object property level authorization): a client may not set a server-owned
 * field. Every `readOnly` property of every request body in the spec is sent once, and each time
 * the request is refused with a 400 naming it, and nothing is written. Operations with read-only
 * fields must have a valid example here, or this file fails.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OpenApiValidator, openApiDocument } from '../../server/src/platform/web/openapi';
import { startTestApp, type TestApp } from '../helpers/app';
import {
  createInteraction,
  createMandate,
  createOrganisation,
  createPerson,
  createUser,
  type TestUser,
} from '../helpers/factories';

type Schema = {
  $ref?: string;
  properties?: Record<string, Schema & { readOnly?: boolean }>;
  allOf?: Schema[];
};

function resolve(schema: Schema): Schema {
  if (!schema.$ref) return schema;
  const name = schema.$ref.split('/').pop()!;
  return resolve(openApiDocument.components.schemas?.[name] as Schema);
}

function readOnlyProperties(schema: Schema): string[] {
  const resolved = resolve(schema);
  const own = Object.entries(resolved.properties ?? {})
    .filter(([, property]) => property.readOnly)
    .map(([name]) => name);
  return [...own, ...(resolved.allOf ?? []).flatMap(readOnlyProperties)];
}

let app: TestApp;
let admin: TestUser;
let organisationId = '';

interface Example {
  body: () => object;
  /** The path to call (a fresh record for updates); the operation's own path when absent. */
  path?: () => Promise<string>;
  /** Tables that must be unchanged after a refusal. */
  tables: string[];
}

const EXAMPLES: Record<string, Example> = {
  createUser: {
    body: () => ({
      email: `mass-${Date.now()}@example.com`,
      name: 'Mass',
      role: 'user',
      password: 'a-long-enough-password',
    }),
    tables: ['users', 'audit_log'],
  },
  updateUser: {
    body: () => ({ name: 'Renamed' }),
    path: async () => `/v1/users/${admin.id}`,
    tables: ['users', 'audit_log'],
  },
  updateMe: { body: () => ({ name: 'Renamed' }), tables: ['users', 'audit_log'] },
  createApiKey: { body: () => ({ name: 'k', scopes: ['users:read'] }), tables: ['api_keys', 'audit_log'] },
  createOrganisation: {
    body: () => ({ name: 'Mass SA', type: 'client' }),
    tables: ['organisations', 'audit_log'],
  },
  updateOrganisation: {
    body: () => ({ name: 'Renamed SA' }),
    path: async () => `/v1/organisations/${(await createOrganisation(app.db.knex)).id}`,
    tables: ['organisations', 'audit_log'],
  },
  createPerson: { body: () => ({ first_name: 'Ana', last_name: 'Mass' }), tables: ['people', 'audit_log'] },
  updatePerson: {
    body: () => ({ job_title: 'CFO' }),
    path: async () => `/v1/people/${(await createPerson(app.db.knex)).id}`,
    tables: ['people', 'audit_log'],
  },
  createMandate: {
    body: () => ({ organisation_id: organisationId, title: 'Mass mandate', type: 'advisory' }),
    tables: ['mandates', 'audit_log'],
  },
  createInteraction: {
    body: () => ({ type: 'call', title: 'Mass call' }),
    tables: ['interactions', 'audit_log'],
  },
  updateInteraction: {
    body: () => ({ title: 'Renamed call' }),
    path: async () => `/v1/interactions/${(await createInteraction(app.db.knex)).id}`,
    tables: ['interactions', 'audit_log'],
  },
  updateMandate: {
    body: () => ({ title: 'Renamed mandate' }),
    path: async () => `/v1/mandates/${(await createMandate(app.db.knex)).id}`,
    tables: ['mandates', 'audit_log'],
  },
};

const operations = new OpenApiValidator().operations;
const cases = operations.flatMap((operation) => {
  const schema = (operation.definition.requestBody?.content['application/json']?.schema ?? {}) as Schema;
  return readOnlyProperties(schema).map((field) => ({ operation, field }));
});

beforeAll(async () => {
  app = await startTestApp();
  admin = await createUser(app.db.knex, { role: 'admin' });
  organisationId = (await createOrganisation(app.db.knex)).id;
});
afterAll(() => app.close());

const snapshot = async (tables: string[]) =>
  Promise.all(
    tables.map(async (table) => JSON.stringify(await app.db.knex(table).select('*').orderBy('id'))),
  );

describe('server-owned fields', () => {
  it('every operation with read-only fields has an example here', () => {
    const missing = [...new Set(cases.map((item) => item.operation.id))].filter((id) => !EXAMPLES[id]);
    expect(missing).toEqual([]);
    expect(cases.length).toBeGreaterThan(30);
  });

  it.each(cases.map((item) => [item.operation.id, item.field, item] as const))(
    '%s refuses %s',
    async (_id, field, { operation }) => {
      const example = EXAMPLES[operation.id]!;
      const path = (await example.path?.()) ?? operation.pathTemplate;
      const before = await snapshot(example.tables);
      const response = await app.request(operation.method.toUpperCase(), path, {
        headers: admin.auth,
        body: { ...example.body(), [field]: field.endsWith('_at') ? new Date().toISOString() : 'admin' },
      });
      expect(response.status).toBe(400);
      expect(response.body.errors).toContainEqual({
        in: 'body',
        field: `/${field}`,
        message: 'is read-only: the server sets it; remove it from the request',
      });
      expect(await snapshot(example.tables)).toEqual(before);
    },
  );

  it('the example bodies are themselves valid (the refusals are for the field alone)', async () => {
    for (const [id, example] of Object.entries(EXAMPLES)) {
      const operation = operations.find((candidate) => candidate.id === id)!;
      const path = (await example.path?.()) ?? operation.pathTemplate;
      const response = await app.request(operation.method.toUpperCase(), path, {
        headers: admin.auth,
        body: example.body(),
      });
      expect(response.status, id).toBeLessThan(300);
    }
  });
});
