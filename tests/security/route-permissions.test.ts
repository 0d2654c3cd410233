/**
 * The permission model cannot be forgotten: every route declares can(), signedIn or publicRoute,
 * the routes and the spec's operations match one to one, and a route is public exactly when its
 * operation has `security: []`.
 */
import { describe, expect, it } from 'vitest';
import { createApp, routesOf } from '../../server/src/app';
import { loadConfig } from '../../server/src/config';
import { createLogger } from '../../server/src/platform/core/logger';
import { createDatabase } from '../../server/src/platform/data/db';
import { assertRoutesDeclareAccess, can, type RouteAccess } from '../../server/src/platform/web/access';
import { OpenApiValidator } from '../../server/src/platform/web/openapi';
import { specPathOf } from '../../server/src/platform/web/routes';

const validator = new OpenApiValidator();
const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent' });
const logger = createLogger(config);
// Never connected: building the app needs a pool object, not a database.
const db = createDatabase({ url: 'postgres://unused@127.0.0.1:1/unused', poolMax: 1, logger });
const app = createApp({
  config,
  logger,
  db,
  redis: null,
  validator,
  tokens: { secret: 'x'.repeat(40), issuer: 'relais' },
});
// The API reference's asset and the demo page (never in production) are not API operations.
const routes = routesOf(app).filter(
  (route) => !route.path.startsWith('/docs/assets') && !route.path.startsWith('/demo'),
);

describe('route declarations', () => {
  it('every route declares its access', () => {
    const undeclared = routes
      .filter((route) => route.access === null)
      .map((route) => `${route.method} ${route.path}`);
    expect(undeclared).toEqual([]);
  });

  it('an undeclared route stops the app from being built', () => {
    const declared = [
      { method: 'get', path: '/v1/forgotten', access: undefined as unknown as RouteAccess },
      { method: 'get', path: '/v1/declared', access: can('users', 'read') },
    ];
    expect(() => assertRoutesDeclareAccess(declared)).toThrow(/GET \/v1\/forgotten/);
  });

  it('routes and spec operations match one to one', () => {
    const served = routes.map((route) => `${route.method} ${specPathOf(route.path)}`).sort();
    const declared = validator.operations
      .map((operation) => `${operation.method} ${operation.pathTemplate}`)
      .sort();
    expect(served).toEqual(declared);
  });

  it('a route is public exactly when its operation has security: []', () => {
    const mismatches = routes.flatMap((route) => {
      const match = validator.match(
        route.method,
        specPathOf(route.path).replace(/\{\w+\}/g, '00000000-0000-4000-8000-000000000000'),
      );
      if (match.kind !== 'operation') return [`${route.method} ${route.path}: no operation`];
      const security = match.operation.definition.security ?? validator.document.security ?? [];
      const specPublic = security.length === 0;
      const codePublic = route.access?.kind === 'public';
      return specPublic === codePublic
        ? []
        : [`${route.method} ${route.path}: spec public=${specPublic}, code public=${codePublic}`];
    });
    expect(mismatches).toEqual([]);
  });
});
