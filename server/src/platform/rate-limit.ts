/**
 * Rate limits with express-rate-limit. With Redis the counters are shared by every instance
 * (rate-limit-redis); without Redis, or while it is down, they fall back to process memory, so a
 * Redis outage weakens limits to per-instance but never lets traffic through unlimited or fails it.
 */
import type { RequestHandler } from 'express';
import { MemoryStore, type Options, rateLimit, type Store } from 'express-rate-limit';
import { RedisStore } from 'rate-limit-redis';
import { TooManyRequestsError } from './errors';
import type { RedisClient } from './redis';

export interface LimitOptions {
  name: string;
  windowSeconds: number;
  limit: number;
  key(req: Parameters<RequestHandler>[0]): string;
  /** Count only requests that end in a failure (for login: failed attempts per account). */
  failuresOnly?: boolean;
  detail: string;
}

export function createRateLimit(redis: RedisClient | null, options: LimitOptions): RequestHandler {
  return rateLimit({
    windowMs: options.windowSeconds * 1000,
    limit: options.limit,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    keyGenerator: options.key,
    skipSuccessfulRequests: options.failuresOnly ?? false,
    store: new FallbackStore(redis, `rl:${options.name}:`),
    // Our key generators normalise IPs themselves; the library's IPv6 check does not apply.
    validate: { keyGeneratorIpFallback: false },
    handler: (_req, _res, _next, used: Options) => {
      const retryAfter = Math.ceil(used.windowMs / 1000);
      throw new TooManyRequestsError(options.detail, { headers: { 'Retry-After': String(retryAfter) } });
    },
  });
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
