/**
 * Prometheus metrics for `GET /metrics`. One registry per process: an instance's numbers are its
 * own, and Prometheus sums them across instances.
 */

import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { HttpReply, HttpRequest } from '../../http/types';

export const registry = new Registry();
collectDefaultMetrics({ register: registry, prefix: 'relais_' });

export const httpRequestDuration = new Histogram({
  name: 'relais_http_request_duration_seconds',
  help: 'HTTP request latency by operation route and status.',
  labelNames: ['method', 'route', 'status'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  registers: [registry],
});

export const webhookEvents = new Counter({
  name: 'relais_webhook_events_total',
  help: 'Email-provider events received, by provider, event type and outcome (stored, duplicate).',
  labelNames: ['provider', 'type', 'outcome'] as const,
  registers: [registry],
});

export const webhookDeliveries = new Counter({
  name: 'relais_webhook_deliveries_total',
  help: 'Webhook deliveries by provider and HTTP status.',
  labelNames: ['provider', 'status'] as const,
  registers: [registry],
});

export const jobRuns = new Counter({
  name: 'relais_job_runs_total',
  help: 'Background job runs by job and outcome (succeeded, failed).',
  labelNames: ['job', 'outcome'] as const,
  registers: [registry],
});

export const jobDuration = new Histogram({
  name: 'relais_job_duration_seconds',
  help: 'Background job run time by job.',
  labelNames: ['job'] as const,
  buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 300],
  registers: [registry],
});

export const cacheRequests = new Counter({
  name: 'relais_cache_requests_total',
  help: 'Cache reads by prefix and result (hit, miss, bypass when Redis is unavailable).',
  labelNames: ['prefix', 'result'] as const,
  registers: [registry],
});

export const realtimeConnections = new Gauge({
  name: 'relais_realtime_connections',
  help: 'Open realtime connections by transport (sse, websocket).',
  labelNames: ['transport'] as const,
  registers: [registry],
});

/** Where the last backup's age is read from (set by the app; backups are recorded in the database). */
let backupAgeSource: (() => Promise<number | null>) | undefined;
export function readBackupAgeFrom(source: () => Promise<number | null>): void {
  backupAgeSource = source;
}

export const backupAge = new Gauge({
  name: 'relais_backup_age_seconds',
  help: 'Seconds since the last successful backup (absent when none was taken).',
  registers: [registry],
  async collect() {
    const age = await backupAgeSource?.().catch(() => null);
    if (age === null || age === undefined) this.reset();
    else this.set(Math.round(age));
  },
});

export const eventsPublished = new Counter({
  name: 'relais_events_published_total',
  help: 'Domain events published by type.',
  labelNames: ['type'] as const,
  registers: [registry],
});

/** Times a request under the route template it matched (`/v1/people/{id}`), never the raw URL. */
export function observeRequest(req: HttpRequest, reply: HttpReply): void {
  httpRequestDuration.observe(
    {
      method: req.method,
      route: req.operation?.pathTemplate ?? 'unmatched',
      status: String(reply.statusCode),
    },
    reply.elapsedTime / 1000,
  );
}
