/**
 * The worker role's own HTTP port: `/health` (the process answers), `/ready` (its job loop beats,
 * its database answers) and `/metrics` (its job runs). No API route is served here; a plain
 * `node:http` server is all it takes.
 */
import { createServer } from 'node:http';
import type { DependencyCheck } from '../platform/core/dependency-check';
import { registry } from '../platform/runtime/metrics';
import { listen } from './http-server';

export interface WorkerHealthChecks {
  database(): Promise<DependencyCheck>;
  redis(): Promise<DependencyCheck>;
  jobs(): DependencyCheck;
}

export interface WorkerHealthHandle {
  url: string;
  close(): Promise<void>;
}

/**
 * `/ready` is 503 when the job loop has missed three beats or the database does not answer — a
 * worker that cannot work; Redis down is `degraded` (events stay in process) but ready.
 */
export async function startWorkerHealth(
  checks: WorkerHealthChecks,
  options: { host: string; port: number },
): Promise<WorkerHealthHandle> {
  const server = createServer(async (req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const send = (status: number, type: string, body: string) => {
      res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store' });
      res.end(body);
    };
    try {
      if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, 'text/plain', 'GET only\n');
      if (path === '/health') return send(200, 'application/json', JSON.stringify({ status: 'ok' }));
      if (path === '/metrics') return send(200, registry.contentType, await registry.metrics());
      if (path === '/ready') {
        const [database, redis] = await Promise.all([checks.database(), checks.redis()]);
        const jobs = checks.jobs();
        const status =
          database.status !== 'ok' || jobs.status !== 'ok'
            ? 'unavailable'
            : redis.status !== 'ok'
              ? 'degraded'
              : 'ok';
        return send(
          status === 'unavailable' ? 503 : 200,
          'application/json',
          JSON.stringify({ status, checks: { database, redis, jobs } }),
        );
      }
      send(404, 'text/plain', 'Not found: this port serves /health, /ready and /metrics.\n');
    } catch (error) {
      send(500, 'text/plain', `${error instanceof Error ? error.message : 'health check failed'}\n`);
    }
  });
  const url = await listen(server, options);
  return {
    url,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
