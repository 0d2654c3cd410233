/**
 * Liveness, readiness and the API description: the routes an operator and an integrator reach
 * before anything else.
 */

import { readFile } from 'node:fs/promises';
import type { AppDeps } from '../app-deps';
import type { DependencyCheck } from '../platform/core/dependency-check';
import { checkDatabase } from '../platform/data/db';
import type { ReadCache } from '../platform/runtime/cache';
import { registry } from '../platform/runtime/metrics';
import { checkRedis } from '../platform/runtime/redis';
import { can, publicRoute } from '../platform/web/access';
import { Routes } from '../platform/web/routes';
import { DOCS_ASSET_PATH, DOCS_CONTENT_SECURITY_POLICY, docsPage, redocBundlePath } from './docs-page';

export interface ReadinessReport {
  status: 'ok' | 'degraded' | 'unavailable';
  checks: { database: DependencyCheck; redis: DependencyCheck; jobs?: DependencyCheck };
}

/**
 * Checks every dependency. The database is required (`unavailable`); Redis and the job worker
 * are not: without them the instance still answers correctly (`degraded`).
 */
export async function checkReadiness(deps: AppDeps): Promise<ReadinessReport> {
  const [database, redis, jobs] = await Promise.all([
    checkDatabase(deps.db),
    checkRedis(deps.redis),
    deps.jobs ? deps.jobs.check() : Promise.resolve(undefined),
  ]);
  const checks = { database, redis, ...(jobs ? { jobs } : {}) };
  if (database.status !== 'ok') return { status: 'unavailable', checks };
  const degraded = redis.status !== 'ok' || (jobs !== undefined && jobs.status !== 'ok');
  return { status: degraded ? 'degraded' : 'ok', checks };
}

/** Routes served before request validation: static assets that are not API operations. */
export function operationsAssetRoutes(): Routes {
  const routes = new Routes();
  let bundle: Buffer | null = null;
  routes.get(DOCS_ASSET_PATH, publicRoute, async (_req, reply) => {
    bundle ??= await readFile(redocBundlePath());
    reply
      .header('Cache-Control', 'public, max-age=86400')
      .type('application/javascript; charset=utf-8')
      .send(bundle);
  });
  return routes;
}

export function operationsRoutes(deps: AppDeps & { cache: ReadCache }): Routes {
  const routes = new Routes();

  routes.get('/health', publicRoute, (_req, reply) => {
    reply.header('Cache-Control', 'no-store');
    reply.send({ status: 'ok' });
  });

  routes.get('/ready', publicRoute, async (_req, reply) => {
    const report = await checkReadiness(deps);
    reply.header('Cache-Control', 'no-store');
    reply.code(report.status === 'unavailable' ? 503 : 200).send(report);
  });

  routes.get('/metrics', publicRoute, async (_req, reply) => {
    reply.header('Cache-Control', 'no-store');
    reply.type(registry.contentType).send(await registry.metrics());
  });

  routes.get('/v1/cache/stats', can('cache', 'read'), (_req, reply) => {
    reply.send(deps.cache.stats());
  });

  routes.get('/openapi.json', publicRoute, (_req, reply) => {
    reply.send(deps.validator.document);
  });

  routes.get('/docs', publicRoute, (_req, reply) => {
    reply.header('Content-Security-Policy', DOCS_CONTENT_SECURITY_POLICY);
    reply.type('text/html; charset=utf-8').send(docsPage);
  });

  return routes;
}
