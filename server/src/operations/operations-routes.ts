/**
 * Liveness, readiness and the API description: the routes an operator and an integrator reach
 * before anything else.
 */
import { Router } from 'express';
import type { AppDeps } from '../app';
import { can, publicRoute } from '../platform/access';
import { cacheOf } from '../platform/cache';
import { checkDatabase } from '../platform/db';
import type { DependencyCheck } from '../platform/dependency-check';
import { registry } from '../platform/metrics';
import { checkRedis } from '../platform/redis';
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
export function operationsAssetRoutes(): Router {
  const router = Router();
  router.get(DOCS_ASSET_PATH, publicRoute, (_req, res) => {
    res.setHeader('Cache-Control', 'public, max-age=86400');
    res.sendFile(redocBundlePath());
  });
  return router;
}

export function operationsRoutes(deps: AppDeps): Router {
  const router = Router();

  router.get('/health', publicRoute, (_req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    res.json({ status: 'ok' });
  });

  router.get('/ready', publicRoute, async (_req, res) => {
    const report = await checkReadiness(deps);
    res.setHeader('Cache-Control', 'no-store');
    res.status(report.status === 'unavailable' ? 503 : 200).json(report);
  });

  router.get('/metrics', publicRoute, async (_req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    res.type(registry.contentType).send(await registry.metrics());
  });

  router.get('/v1/cache/stats', can('cache', 'read'), (_req, res) => {
    res.json(cacheOf(deps.db)?.stats() ?? { mode: 'memory', prefixes: {} });
  });

  router.get('/openapi.json', publicRoute, (_req, res) => {
    res.json(deps.validator.document);
  });

  router.get('/docs', publicRoute, (_req, res) => {
    res.setHeader('Content-Security-Policy', DOCS_CONTENT_SECURITY_POLICY);
    res.type('html').send(docsPage);
  });

  return router;
}
