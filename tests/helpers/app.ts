/**
 * The app in-process on port 0, against a test database, with a client whose every response is
 * validated against `openapi/openapi.yaml`: a response the spec does not describe fails the test.
 */
import { createApp } from '../../server/src/app';
import { loadConfig } from '../../server/src/config';
import { type HttpServerHandle, startHttpServer } from '../../server/src/http/http-server';
import { createLogger } from '../../server/src/platform/core/logger';
import { ReadCache } from '../../server/src/platform/runtime/cache';
import { EventBus } from '../../server/src/platform/runtime/events';
import { closeRedis, createRedis, type RedisClient } from '../../server/src/platform/runtime/redis';
import { OpenApiValidator } from '../../server/src/platform/web/openapi';
import { type AppServices, assembleServices } from '../../server/src/services';
import { UserDirectory } from '../../server/src/users';
import { createTestDatabase, type TestDatabase } from './database';

export const TEST_JWT_SECRET = 'test-secret-that-is-long-enough-for-hs256-0123456789';

// biome-ignore lint/suspicious/noExplicitAny: tests read response bodies freely; the spec check types them at run time.
export interface TestResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export interface RequestOptions {
  body?: unknown;
  /** Sent as-is (no JSON encoding). */
  rawBody?: string | Buffer;
  headers?: Record<string, string>;
  /** Skip the response check, for responses a test deliberately provokes outside the spec. */
  unchecked?: boolean;
}

export interface TestApp {
  url: string;
  db: TestDatabase;
  redis: RedisClient | null;
  /** The database, event bus and read cache the app's services use, for jobs a test runs itself. */
  services: AppServices;
  // biome-ignore lint/suspicious/noExplicitAny: see TestResponse.
  request<T = any>(method: string, path: string, options?: RequestOptions): Promise<TestResponse<T>>;
  close(): Promise<void>;
}

const validator = new OpenApiValidator();

export async function startTestApp(
  options: { env?: Record<string, string>; db?: TestDatabase; clock?: () => Date } = {},
): Promise<TestApp> {
  const db = options.db ?? (await createTestDatabase());
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    JWT_SECRET: TEST_JWT_SECRET,
    DATABASE_URL: db.url,
    // Apps of different test databases share the machine's Redis: keep their keys and events apart.
    REDIS_PREFIX: `relais-test-${new URL(db.url).pathname.slice(1)}`,
    ...options.env,
  });
  const logger = createLogger(config);
  const redis = createRedis(config.redisUrl, logger);
  if (redis) await waitForRedis(redis);
  const events = new EventBus({ redis, logger, prefix: config.redisPrefix });
  await events.start();
  const cache = new ReadCache({ redis, logger, prefix: config.redisPrefix, ...config.cache });
  const users = new UserDirectory(db.knex, logger);
  await users.start();
  const app = createApp({
    events,
    cache,
    clock: options.clock,
    users,
    config,
    logger,
    db: db.knex,
    redis,
    validator,
    tokens: { secret: TEST_JWT_SECRET, issuer: config.jwtIssuer },
  });
  const http: HttpServerHandle = await startHttpServer(app, { host: '127.0.0.1', port: 0 });

  return {
    url: http.url,
    db,
    redis,
    services: assembleServices(db.knex, { events, cache }),
    request: (method, path, requestOptions = {}) => send(http.url, method, path, requestOptions),
    close: async () => {
      await http.close(1_000);
      await users.stop();
      await events.close();
      await closeRedis(redis);
      if (!options.db) await db.drop();
    },
  };
}

export async function send<T>(
  baseUrl: string,
  method: string,
  path: string,
  options: RequestOptions,
): Promise<TestResponse<T>> {
  const headers: Record<string, string> = { ...options.headers };
  let body: string | Buffer | undefined = options.rawBody;
  if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['content-type'] ??= 'application/json';
  }
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers,
    body: Buffer.isBuffer(body) ? new Uint8Array(body) : body,
  });
  const contentType = response.headers.get('content-type');
  // An event stream never ends: its status and headers are the answer; see tests/helpers/realtime.ts.
  const streaming = contentType?.startsWith('text/event-stream') === true;
  if (streaming) await response.body?.cancel();
  const text = streaming ? '' : await response.text();
  const parsed = contentType?.includes('json') && text ? JSON.parse(text) : text;
  if (!options.unchecked) {
    const problems = validator.validateResponse({
      method,
      path: path.split('?')[0] ?? path,
      status: response.status,
      contentType,
      body: parsed === '' ? undefined : parsed,
    });
    if (problems.length) {
      throw new Error(
        `Response does not match the OpenAPI document:\n${problems.join('\n')}\nbody: ${text.slice(0, 500)}`,
      );
    }
  }
  return { status: response.status, headers: response.headers, body: parsed as T, text };
}

/** Resolves once the client is ready or has failed its first attempt, whichever comes first. */
function waitForRedis(redis: RedisClient, timeoutMs = 3_000): Promise<void> {
  if (redis.isReady) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      redis.off('ready', done).off('error', done);
      resolve();
    };
    const timer = setTimeout(done, timeoutMs);
    redis.once('ready', done).once('error', done);
  });
}
