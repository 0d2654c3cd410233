/**
 * OWASP API3 (broken object property level authorization): a client may not set a server-owned
 * field. Every `readOnly` property of every request body in the spec is sent once, and each time
 * the request is refused with a 400 naming it, and nothing is written. Operations with read-only
 * fields must have a valid example body here, or this file fails.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OpenApiValidator, openApiDocument } from '../../server/src/platform/openapi';
import { startTestApp, type TestApp } from '../helpers/app';
import { createUser, type TestUser } from '../helpers/factories';

const ORIGIN = 'https://intranet.example.com';
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

/** A valid body per operation, and which tables must stay unchanged when it is refused. */
const EXAMPLES: Record<string, { body: () => object; path?: (admin: TestUser) => string; tables: string[] }> =
  {
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
      path: (admin) => `/v1/users/${admin.id}`,
      tables: ['users', 'audit_log'],
    },
    updateMe: { body: () => ({ name: 'Renamed' }), tables: ['users', 'audit_log'] },
    createApiKey: { body: () => ({ name: 'k', scopes: ['users:read'] }), tables: ['api_keys', 'audit_log'] },
  };

const cases = new OpenApiValidator().operations.flatMap((operation) => {
  const schema = (operation.definition.requestBody?.content['application/json']?.schema ?? {}) as Schema;
  return readOnlyProperties(schema).map((field) => ({ operation, field }));
});

let app: TestApp;
let admin: TestUser;
beforeAll(async () => {
  app = await startTestApp({ env: { CORS_ORIGINS: ORIGIN } });
  admin = await createUser(app.db.knex, { role: 'admin' });
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
    expect(cases.length).toBeGreaterThan(10);
  });

  it.each(cases.map((item) => [item.operation.id, item.field, item] as const))(
    '%s refuses %s',
    async (_id, field, { operation }) => {
      const example = EXAMPLES[operation.id]!;
      const before = await snapshot(example.tables);
      const path = example.path?.(admin) ?? operation.pathTemplate;
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
      const operation = new OpenApiValidator().operations.find((candidate) => candidate.id === id)!;
      const response = await app.request(
        operation.method.toUpperCase(),
        example.path?.(admin) ?? operation.pathTemplate,
        {
          headers: admin.auth,
          body: example.body(),
        },
      );
      expect(response.status, id).toBeLessThan(300);
    }
  });
});
