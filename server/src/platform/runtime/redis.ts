/**
 * The optional Redis connection. Relais works without Redis (single instance, in-process cache
 * and events); when `REDIS_URL` is set but Redis is down, commands fail fast instead of queueing,
 * callers fall back, and `/ready` reports `degraded`.
 */
import { createClient } from 'redis';
import { type DependencyCheck, probe, withDeadline } from '../core/dependency-check';
import type { Logger } from '../core/logger';

function connect(url: string) {
  return createClient({
    url,
    disableOfflineQueue: true,
    socket: {
      connectTimeout: 2_000,
      reconnectStrategy: (retries: number) => Math.min(250 * 2 ** Math.min(retries, 5), 5_000),
    },
  });
}

export type RedisClient = ReturnType<typeof connect>;

/**
 * Creates a client that connects in the background and keeps reconnecting; never throws on an
 * unreachable server. Returns null when no URL is configured.
 */
export function createRedis(url: string | null, logger: Logger): RedisClient | null {
  if (!url) return null;
  const log = logger.child({ component: 'redis' });
  const client = connect(url);
  let lastError = '';
  client.on('error', (error: Error) => {
    // One line per distinct failure, not one per reconnect attempt.
    if (error.message !== lastError) log.warn({ err: error.message }, 'redis unavailable');
    lastError = error.message;
  });
  client.on('ready', () => {
    if (lastError) log.info('redis reconnected');
    lastError = '';
  });
  client.connect().catch(() => {
    // Reported through the 'error' listener; the reconnect strategy keeps trying.
  });
  return client;
}

/** Pings Redis with a short timeout. Never throws. */
export function checkRedis(client: RedisClient | null, timeoutMs = 500): Promise<DependencyCheck> {
  if (!client) return Promise.resolve({ status: 'not_configured' });
  if (!client.isReady) return Promise.resolve({ status: 'down', detail: 'not connected' });
  return probe(() => client.ping(), timeoutMs);
}

/** Closes the connection, whatever its state. */
export async function closeRedis(client: RedisClient | null): Promise<void> {
  if (!client) return;
  if (client.isOpen) await client.close().catch(() => client.destroy());
  else client.destroy();
}

/** Rejects when a Redis call has not answered within `timeoutMs`, so callers can fall back. */
export function withTimeout<T>(promise: Promise<T>, timeoutMs: number): Promise<T> {
  return withDeadline(promise, timeoutMs, 'Redis gave no answer');
}
