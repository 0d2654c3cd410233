/**
 * Integers in the query and the path are integers: for every integer parameter of the spec, the
 * numeric edge values a coercing validator gets wrong (`1e309` read as Infinity, `0x10` as 16…)
 * are refused with a 400 naming that parameter — never a 200 past the bounds, never a 500.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OpenApiValidator } from '../../server/src/platform/web/openapi';
import { startTestApp, type TestApp } from '../helpers/app';
import { createUser, type TestUser } from '../helpers/factories';

/** Not integers as a client writes them: refused. */
const REFUSED = ['1e309', 'Infinity', '-Infinity', '-1e309', '1.5', '0x10', '1e2', 'NaN', '', ' 20'];
/** An integer (minus zero is zero): accepted, or refused by the parameter's own bounds only. */
const ZERO = '-0';

const validator = new OpenApiValidator();
const parameters = validator.operations.flatMap((operation) =>
  (['query', 'path'] as const).flatMap((location) =>
    [...operation[location].integers].map((name) => ({ operation, location, name })),
  ),
);

let app: TestApp;
let admin: TestUser;
beforeAll(async () => {
  app = await startTestApp();
  admin = await createUser(app.db.knex, { role: 'admin' });
});
afterAll(() => app.close());

function url(template: string, location: 'query' | 'path', name: string, value: string): string {
  const path = template.replace(/\{([^}]+)\}/g, (_match, param: string) =>
    location === 'path' && param === name ? encodeURIComponent(value) : randomUUID(),
  );
  return location === 'query' ? `${path}?${name}=${encodeURIComponent(value)}` : path;
}

describe('integer parameters', () => {
  it('the spec has integer parameters to sweep', () => {
    expect(parameters.length).toBeGreaterThan(5);
  });

  it.each(
    parameters.flatMap(({ operation, location, name }) =>
      REFUSED.map(
        (value) => [operation.method.toUpperCase(), operation.pathTemplate, location, name, value] as const,
      ),
    ),
  )('%s %s: %s %s=%j is a 400 naming it', async (method, template, location, name, value) => {
    const response = await app.request(method, url(template, location, name, value), {
      headers: admin.auth,
      unchecked: true,
    });
    expect(response.status).toBe(400);
    expect(response.body.errors).toContainEqual(expect.objectContaining({ in: location, field: name }));
  });

  it.each(
    parameters.map(
      ({ operation, location, name }) =>
        [operation.method.toUpperCase(), operation.pathTemplate, location, name] as const,
    ),
  )(
    '%s %s: %s %s=-0 is zero: accepted or refused by its bounds, never a 500',
    async (method, template, location, name) => {
      const response = await app.request(method, url(template, location, name, ZERO), {
        headers: admin.auth,
        unchecked: true,
      });
      expect(response.status).toBeLessThan(500);
      if (response.status === 400 && response.body.errors?.some((e: { field: string }) => e.field === name)) {
        expect(response.body.errors.find((e: { field: string }) => e.field === name).message).not.toMatch(
          /digits/,
        );
      }
    },
  );
});
