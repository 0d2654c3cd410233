/**
 * Rate limits as route hooks, counted in express-rate-limit's stores. With Redis the counters are
 * shared by every instance (rate-limit-redis); without Redis, or while it is down, they fall back
 * to process memory, so a Redis outage weakens limits to per-instance but never lets traffic
 * through unlimited or fails it. Answers carry the IETF `RateLimit` and `RateLimit-Policy` headers.
 */

import { createHash } from 'node:crypto';
import { MemoryStore, type Options, type Store } from 'express-rate-limit';
import { RedisStore } from 'rate-limit-redis';
import type { HttpReply, HttpRequest } from '../../http/types';
import { TooManyRequestsError } from '../core/errors';
import type { RedisClient } from '../runtime/redis';
import type { RouteHooks } from './routes';

export interface LimitOptions {
  name: string;
  windowSeconds: number;
  limit: number;
  key(req: HttpRequest): string;
  /** Count only requests that end in a failure (for login: failed attempts per account). */
  failuresOnly?: boolean;
  detail: string;
}

const COUNTED = Symbol('relais.rateLimitKeys');
type Counted = HttpRequest & { [COUNTED]?: Map<string, string> };

/**
 * `prefix` is the deployment's `REDIS_PREFIX`, so deployments sharing a Redis count apart; keys are
 * stored as their SHA-256, so no email or address sits in clear in Redis.
 */
export function createRateLimit(
  redis: RedisClient | null,
  prefix: string,
  options: LimitOptions,
): RouteHooks {
  const store = new FallbackStore(redis, `${prefix}:rl:${options.name}:`);
  store.init({ windowMs: options.windowSeconds * 1000 } as Options);
  const policy = `"${options.name}"; q=${options.limit}; w=${options.windowSeconds}`;
  return {
    async preHandler(req: HttpRequest, reply: HttpReply) {
      const key = createHash('sha256').update(options.key(req)).digest('base64url');
      const { totalHits, resetTime } = await store.increment(key);
      const counted = req as Counted;
      counted[COUNTED] ??= new Map();
      counted[COUNTED].set(options.name, key);
      const resetSeconds = resetTime
        ? Math.max(0, Math.ceil((resetTime.getTime() - Date.now()) / 1000))
        : options.windowSeconds;
      reply
        .header('RateLimit-Policy', policy)
        .header(
          'RateLimit',
          `"${options.name}"; r=${Math.max(0, options.limit - totalHits)}; t=${resetSeconds}`,
        );
      if (totalHits > options.limit) {
        throw new TooManyRequestsError(options.detail, {
          headers: { 'Retry-After': String(options.windowSeconds) },
        });
      }
    },
    async onResponse(req: HttpRequest, reply: HttpReply) {
      if (!options.failuresOnly || reply.statusCode >= 400) return;
      const key = (req as Counted)[COUNTED]?.get(options.name);
      if (key !== undefined) await store.decrement(key);
    },
  };
}

/** Redis when it answers, process memory otherwise. */
class FallbackStore implements Store {
  private readonly memory = new MemoryStore();
  private readonly redisStore: RedisStore | null;
  private redisReady = false;
  private options: Options | null = null;
  prefix: string;

  constructor(
    private readonly redis: RedisClient | null,
    prefix: string,
  ) {
    this.prefix = prefix;
    this.redisStore = redis
      ? new RedisStore({ prefix, sendCommand: (...args: string[]) => redis.sendCommand(args) as never })
      : null;
  }

  init(options: Options): void {
    this.options = options;
    this.memory.init(options);
  }

  private async pick(): Promise<Store> {
    if (!this.redis?.isReady || !this.redisStore || !this.options) return this.memory;
    if (!this.redisReady) {
      try {
        await this.redisStore.init(this.options);
        this.redisReady = true;
      } catch {
        return this.memory;
      }
    }
    return this.redisStore;
  }

  private async run<T>(operation: (store: Store) => Promise<T> | T): Promise<T> {
    const store = await this.pick();
    try {
      return await operation(store);
    } catch (error) {
      if (store === this.memory) throw error;
      this.redisReady = false;
      return operation(this.memory);
    }
  }

  get = (key: string) => this.run((store) => store.get?.(key));
  increment = (key: string) => this.run((store) => store.increment(key));
  decrement = (key: string) => this.run((store) => store.decrement(key));
  resetKey = (key: string) => this.run((store) => store.resetKey(key));
}
