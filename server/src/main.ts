/**
 * Process entry. `node server/dist/main.js [role]` where role is:
 * - `all` (default, what `npm start` runs): database (embedded when DATABASE_URL is unset),
 *   migrations, demo data once, the API and the job worker in one process;
 * - `api`: the HTTP API only;
 * - `worker`: the job worker only, with /health, /ready and /metrics on WORKER_HEALTH_PORT;
 * - `migrate`: apply pending migrations and exit.
 */

import path from 'node:path';
import { createApp } from './app';
import { backupDatabase, backupJob, restoreDatabase } from './backups';
import { type Config, ConfigError, loadConfig } from './config';
import { DEMO_PASSWORD, DEMO_USERS, loadDemoData } from './demo/demo-data';
import { type HttpServerHandle, startHttpServer } from './http/http-server';
import { startWorkerHealth } from './http/worker-health';
import { importJob } from './imports';
import { reminderJob } from './interactions';
import { cleanupJob } from './maintenance';
import { createLogger, type Logger, stdoutDestination } from './platform/core/logger';
import { DEMO_WEBHOOK_SECRET_FILE, resolveJwtSecret, resolveWebhookSecrets } from './platform/core/secrets';
import { checkDatabase, createDatabase, type Knex, migrateLatest } from './platform/data/db';
import { startEmbeddedPostgres } from './platform/data/embedded-postgres';
import { ReadCache } from './platform/runtime/cache';
import { EventBus } from './platform/runtime/events';
import { checkJobs, intervalSeconds, JobRuntime } from './platform/runtime/jobs';
import { createMailer } from './platform/runtime/mailer';
import { checkRedis, closeRedis, createRedis, type RedisClient } from './platform/runtime/redis';
import { closeSentry, initSentry } from './platform/runtime/sentry';
import type { TokenSettings } from './platform/web/auth';
import { OpenApiValidator } from './platform/web/openapi';
import { recomputeJob, refreshJob } from './scoring';
import { assembleServices } from './services';
import { ensureAdmin, UserDirectory } from './users';

const ROLES = ['all', 'api', 'worker', 'migrate', 'backup', 'restore'] as const;
type Role = (typeof ROLES)[number];

async function main(): Promise<void> {
  const role = (process.argv[2] ?? 'all') as Role;
  if (!ROLES.includes(role)) fail(`Unknown role "${role}". Use one of: ${ROLES.join(', ')}.`);

  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message);
    throw error;
  }
  const logger = createLogger(config, stdoutDestination()).child({ role });
  const stops: Array<() => Promise<unknown>> = [];
  const shutdown = installShutdown(logger, stops, config.shutdownTimeoutMs);
  if (initSentry({ dsn: config.sentryDsn, environment: config.nodeEnv, release: config.release })) {
    stops.push(() => closeSentry());
  }

  try {
    const databaseUrl = await resolveDatabaseUrl(config, role, logger, stops);
    const db = createDatabase({
      url: databaseUrl,
      poolMax: config.databasePoolMax,
      logger,
      applicationName: `relais-${role}`,
    });
    stops.unshift(() => db.destroy());
    if (role === 'restore') {
      // Into an empty database (or, with --force, over one): before any migration creates tables.
      const file = process.argv[3];
      if (!file) fail('Usage: npm run restore -- <backup file> [--force]');
      const restored = await restoreDatabase(db, {
        databaseUrl,
        file: path.resolve(file),
        force: process.argv.includes('--force'),
      }).catch((error: unknown) => fail(error instanceof Error ? error.message : String(error)));
      process.stdout.write(`Restored ${file}: ${restored.tables} tables.\n`);
      await shutdown('restore done', 0);
      return;
    }
    const applied = await migrateLatest(db);
    if (applied.length) logger.info({ applied }, 'migrations applied');
    if (role === 'migrate') {
      await shutdown('migrate done', 0);
      return;
    }
    if (role === 'backup') {
      if (!config.backup.dir) fail('Set BACKUP_DIR to the folder the backup goes to.');
      const entry = await backupDatabase(db, {
        databaseUrl,
        dir: config.backup.dir,
        keep: config.backup.keep,
      }).catch((error: unknown) => fail(error instanceof Error ? error.message : String(error)));
      process.stdout.write(
        `Backed up to ${path.join(config.backup.dir, entry.file)} (${entry.bytes} bytes, sha256 ${entry.sha256}).\n`,
      );
      await shutdown('backup done', 0);
      return;
    }
    const tokens: TokenSettings = { secret: await resolveJwtSecret(config), issuer: config.jwtIssuer };
    if (config.admin) await ensureAdmin(db, config.admin, logger);
    const demo = role === 'all' && config.demoData ? await loadDemoData(db, logger) : null;
    const webhookSecrets = await resolveWebhookSecrets(config, demo !== null);
    const running: Config =
      webhookSecrets === config.marketing.webhookSecrets
        ? config
        : { ...config, marketing: { ...config.marketing, webhookSecrets } };

    const redis = createRedis(config.redisUrl, logger);
    stops.unshift(() => closeRedis(redis));
    // One event bus and one cache per process, handed to the API and to the worker's jobs.
    const events = new EventBus({ redis, logger, prefix: config.redisPrefix });
    await events.start();
    stops.unshift(() => events.close());
    const cache = new ReadCache({ redis, logger, prefix: config.redisPrefix, ...config.cache });
    const services = assembleServices(db, { events, cache });
    // The spec compiled once (about half a second; its response schemas only if a response is
    // checked), for the API's checks and the import job's rows.
    const validator = new OpenApiValidator();

    if (role === 'all' || role === 'worker') {
      const rescoring = { batchSize: 500, staleAfterMs: config.jobs.lockLifetimeMs };
      const mailer = createMailer(config.mail);
      if (mailer) stops.push(async () => mailer.close());
      const worker = new JobRuntime({
        connectionString: databaseUrl,
        logger,
        processEvery: config.jobs.processEvery,
        lockLifetimeMs: config.jobs.lockLifetimeMs,
        definitions: [
          reminderJob(services, {
            every: config.jobs.reminderEvery,
            batchSize: config.jobs.reminderBatchSize,
            pauseMs: config.jobs.reminderBatchPauseMs,
            mailer,
          }),
          cleanupJob(db, { notificationDays: config.jobs.notificationRetentionDays }),
          ...(config.backup.dir
            ? [
                backupJob(db, {
                  databaseUrl,
                  dir: config.backup.dir,
                  every: config.backup.every,
                  keep: config.backup.keep,
                }),
              ]
            : []),
          recomputeJob(services, { ...rescoring, every: config.jobs.rescoreEvery }),
          importJob(services, {
            validator,
            staleAfterMs: config.jobs.lockLifetimeMs,
            every: config.jobs.importEvery,
          }),
          refreshJob(services, rescoring),
        ],
        heartbeatSeconds: config.jobs.heartbeatSeconds,
        // A worker on its own whose loop is stuck exits, for its supervisor to start a fresh one;
        // the all-in-one process keeps serving the API and reports the loop in /ready instead.
        ...(role === 'worker'
          ? {
              stallAfterSeconds: config.jobs.stallExitSeconds,
              onStalled: () => void shutdown('job loop stalled', 70),
            }
          : {}),
      });
      await worker.start();
      stops.unshift(() => worker.stop(config.shutdownTimeoutMs));
      if (role === 'worker' && config.jobs.healthPort) {
        const health = await startWorkerHealth(
          { database: () => checkDatabase(db), redis: () => checkRedis(redis), jobs: () => worker.health() },
          { host: config.host, port: config.jobs.healthPort },
        );
        stops.unshift(() => health.close());
        logger.info({ url: health.url }, 'worker health served');
      }
    }
    if (role === 'all' || role === 'api') {
      const http = await serveApi(running, logger, { db, redis, events, cache, validator }, tokens);
      stops.unshift(() => http.close(config.shutdownTimeoutMs));
      printBanner(
        running,
        http,
        databaseUrl === config.databaseUrl ? 'configured' : 'embedded',
        demo !== null,
        running === config ? null : path.join(config.dataDir, DEMO_WEBHOOK_SECRET_FILE),
      );
    }
  } catch (error) {
    logger.fatal({ err: error }, 'start failed');
    process.stderr.write(
      `Relais could not start: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    await shutdown('start failed', 1);
  }
}

async function resolveDatabaseUrl(
  config: Config,
  role: Role,
  logger: Logger,
  stops: Array<() => Promise<unknown>>,
) {
  if (config.databaseUrl) return config.databaseUrl;
  if (role === 'api' || role === 'worker') {
    fail(`DATABASE_URL is required for the "${role}" role: separate processes must share one PostgreSQL.`);
  }
  const embedded = await startEmbeddedPostgres({
    dataDir: config.dataDir,
    port: config.embeddedPostgresPort,
    database: 'relais',
    logger,
  });
  stops.push(() => embedded.stop());
  return embedded.url;
}

async function serveApi(
  config: Config,
  logger: Logger,
  shared: {
    db: Knex;
    redis: RedisClient | null;
    events: EventBus;
    cache: ReadCache;
    validator: OpenApiValidator;
  },
  tokens: TokenSettings,
): Promise<HttpServerHandle> {
  const { db } = shared;
  const users = new UserDirectory(db, logger);
  await users.start();
  // A reminder job more than three intervals late means no worker is doing its work.
  const jobs = {
    check: () =>
      checkJobs(db, {
        maxLagSeconds: 3 * intervalSeconds(config.jobs.reminderEvery) + 30,
        heartbeatSeconds: config.jobs.heartbeatSeconds,
      }),
  };
  const app = createApp({
    ...shared,
    config,
    logger,
    tokens,
    users,
    jobs,
  });
  const http = await startHttpServer(app, { host: config.host, port: config.port });
  return {
    ...http,
    close: async (timeoutMs) => {
      await http.close(timeoutMs);
      await users.stop();
    },
  };
}

function printBanner(
  config: Config,
  http: HttpServerHandle,
  database: 'configured' | 'embedded',
  demo: boolean,
  demoWebhookSecret: string | null,
): void {
  const base =
    config.publicUrl.includes(`:${config.port}`) || config.port === 0 ? http.url : config.publicUrl;
  process.stdout.write(
    [
      '',
      `  Relais is running (${database} PostgreSQL${config.redisUrl ? ', Redis' : ', no Redis: single instance'})`,
      `  API        ${base}/v1`,
      `  Docs       ${base}/docs`,
      `  OpenAPI    ${base}/openapi.json`,
      `  Health     ${base}/health   Ready ${base}/ready`,
      ...(demo
        ? [
            '',
            `  Widgets    ${base}/demo   (the four web components on the demo data)`,
            ...(demoWebhookSecret
              ? [
                  `  Webhooks   ${base}/v1/marketing/email/ingest signs with the secret in ${demoWebhookSecret}`,
                  '             try: npm run demo:email-events',
                ]
              : []),
            `  Demo sign-ins (password "${DEMO_PASSWORD}"): ${DEMO_USERS.map((user) => user.email).join(', ')}`,
            `  Try: curl -s ${base}/v1/auth/login -H 'content-type: application/json' \\`,
            `         -d '{"email":"admin@relais.demo","password":"${DEMO_PASSWORD}"}'`,
          ]
        : []),
      '',
      '  Stop with Ctrl-C.',
      '',
      '',
    ].join('\n'),
  );
}

/** SIGINT/SIGTERM: run the stop steps in order once; a second signal forces the exit. */
function installShutdown(logger: Logger, stops: Array<() => Promise<unknown>>, timeoutMs: number) {
  let stopping = false;
  const shutdown = async (reason: string, code: number) => {
    if (stopping) return;
    stopping = true;
    logger.info({ reason }, 'shutting down');
    const force = setTimeout(() => process.exit(code || 1), timeoutMs + 10_000);
    force.unref();
    for (const stop of stops) {
      try {
        await stop();
      } catch (error) {
        logger.warn({ err: error }, 'shutdown step failed');
      }
    }
    logger.info('stopped');
    await new Promise<void>((resolve) => logger.flush(() => resolve()));
    process.exit(code);
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (stopping) {
        process.stderr.write(`${signal} again: exiting now.\n`);
        process.exit(1);
      }
      void shutdown(signal, 0);
    });
  }
  return shutdown;
}

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

await main();
