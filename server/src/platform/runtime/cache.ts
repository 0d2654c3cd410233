/**
 * The read-through cache of the hot reads (people and organisations by id, the first page of
 * timelines, the dashboard, hot leads).
 *
 * Invalidation is by generation: every entry's key includes the current generation of each tag it
 * depends on (`person:<id>`, `timeline:person:<id>`, `scores`, ...), and a write bumps the
 * generations of the tags it touches once it has committed — before its response is sent (see
 * `after-commit.ts`) — so no read that starts after a write returns can find an entry computed
 * before it. Concurrent misses on one key in one process share a single load.
 *
 * With Redis the cache is shared by every instance. Without `REDIS_URL` it lives in this process
 * (one instance only). When Redis is configured but unreachable or slower than `timeoutMs`, reads
 * go to the database (fail-open); after any loss of the connection every generation is bumped at
 * once when Redis answers again, since invalidations may have been missed meanwhile.
 */
import { LRUCache } from 'lru-cache';
import type { Logger } from '../core/logger';
import { Json } from '../core/versions';
import { afterCommit } from '../data/after-commit';
import type { Knex } from '../data/db';
import { cacheRequests } from './metrics';
import { type RedisClient, withTimeout } from './redis';

export type CacheMode = 'redis' | 'memory' | 'bypassed' | 'off';

export interface CacheStats {
  mode: CacheMode;
  prefixes: Record<
    string,
    { hits: number; misses: number; loads: number; bypassed: number; hit_ratio: number | null }
  >;
}

export interface CacheOptions {
  redis: RedisClient | null;
  logger: Logger;
  ttlSeconds: number;
  timeoutMs: number;
  /** Prefix of the keys in Redis (`REDIS_PREFIX`). */
  prefix?: string;
  /** Entries kept in process when there is no Redis. */
  memoryEntries?: number;
}

/** The tag every entry depends on: bumping it empties the cache. */
const EVERYTHING = '*';

interface Store {
  generations(tags: string[]): Promise<Array<string | null>>;
  get(key: string): Promise<string | null>;
  set(key: string, value: string, ttlSeconds: number): Promise<void>;
  bump(tags: string[]): Promise<void>;
  /** Deletes every entry (generations stay). */
  purge(): Promise<number>;
}

export class ReadCache {
  readonly #redis: RedisClient | null;
  readonly #store: Store;
  readonly #log: Logger;
  readonly #ttlSeconds: number;
  readonly #timeoutMs: number;
  readonly #entryPrefix: string;
  readonly #loading = new Map<string, Promise<string>>();
  readonly #counters = new Map<string, { hits: number; misses: number; loads: number; bypassed: number }>();
  /** Set when invalidations may have been missed; cleared by bumping every generation. */
  #suspect = false;

  constructor(options: CacheOptions) {
    this.#redis = options.redis;
    this.#log = options.logger.child({ component: 'cache' });
    this.#ttlSeconds = options.ttlSeconds;
    this.#timeoutMs = options.timeoutMs;
    const prefix = options.prefix ?? 'relais';
    this.#entryPrefix = `${prefix}:cache:`;
    this.#store = options.redis
      ? redisStore(options.redis, `${prefix}:gen:`, this.#entryPrefix)
      : memoryStore(options.memoryEntries ?? 10_000);
    options.redis?.on('error', () => {
      this.#suspect = true;
    });
  }

  get mode(): CacheMode {
    if (this.#ttlSeconds === 0) return 'off';
    if (!this.#redis) return 'memory';
    return this.#redis.isReady && !this.#suspect ? 'redis' : 'bypassed';
  }

  /**
   * The cached value of `prefix:key`, or `load()`'s, stored for next time. Values go through JSON
   * either way, so a hit and a miss return the same shape (dates as ISO strings).
   */
  async read<T>(
    prefix: string,
    key: string,
    tags: string[],
    load: () => Promise<T>,
    options: { ttlSeconds?: number } = {},
  ): Promise<T> {
    return JSON.parse(await this.#readJson(prefix, key, tags, load, options)) as T;
  }

  /** As `read`, but the JSON text, which `sendResource` sends without serialising again. */
  async json<T>(
    prefix: string,
    key: string,
    tags: string[],
    load: () => Promise<T>,
    options: { ttlSeconds?: number } = {},
  ): Promise<Json<T>> {
    return new Json<T>(await this.#readJson(prefix, key, tags, load, options));
  }

  /** Invalidates the tags once the change `db` belongs to commits, before the change returns. */
  invalidate(db: Knex, tags: string[]): Promise<void> {
    if (tags.length === 0) return Promise.resolve();
    return afterCommit(db, () => this.invalidateNow(tags));
  }

  /** The cached JSON text of `prefix:key`, or `load()`'s, stored for next time (`read`, `json`). */
  async #readJson(
    prefix: string,
    key: string,
    tags: string[],
    load: () => Promise<unknown>,
    options: { ttlSeconds?: number } = {},
  ): Promise<string> {
    const loadJson = async () => JSON.stringify(await load());
    if (!(await this.#usable())) {
      this.#count(prefix, 'bypassed');
      return loadJson();
    }
    let entryKey: string;
    let cached: string | null;
    try {
      const generations = await this.#call(this.#store.generations([EVERYTHING, ...tags]));
      entryKey = `${this.#entryPrefix}${prefix}:${key}:${generations.map((generation) => generation ?? '0').join('.')}`;
      cached = await this.#call(this.#store.get(entryKey));
    } catch (error) {
      this.#failed(error);
      this.#count(prefix, 'bypassed');
      return loadJson();
    }
    if (cached !== null) {
      this.#count(prefix, 'hits');
      return cached;
    }
    this.#count(prefix, 'misses');
    let loading = this.#loading.get(entryKey);
    if (!loading) {
      // Kept as the key's load until stored, so later misses wait for it instead of loading again.
      this.#count(prefix, 'loads');
      loading = loadJson().then(async (json) => {
        await this.#call(this.#store.set(entryKey, json, options.ttlSeconds ?? this.#ttlSeconds)).catch(
          (error) => this.#failed(error),
        );
        return json;
      });
      const shared = loading;
      this.#loading.set(entryKey, shared);
      void shared.then(
        () => this.#loading.delete(entryKey),
        () => this.#loading.delete(entryKey),
      );
    }
    return loading;
  }

  /** Bumps the tags' generations now. Use `invalidate(db, tags)` from a change, so it waits for the commit. */
  async invalidateNow(tags: string[]): Promise<void> {
    if (tags.length === 0) return;
    try {
      await this.#call(this.#store.bump([...new Set(tags)]));
    } catch (error) {
      this.#failed(error);
    }
  }

  /**
   * Deletes every cached entry now, on every instance sharing the store: for an erasure, whose
   * data may sit in any cached read. Returns how many entries were deleted.
   */
  async purge(): Promise<number> {
    this.#loading.clear();
    return this.#store.purge();
  }

  stats(): CacheStats {
    const prefixes: CacheStats['prefixes'] = {};
    for (const [prefix, counts] of [...this.#counters].sort(([a], [b]) => a.localeCompare(b))) {
      const looked = counts.hits + counts.misses;
      prefixes[prefix] = {
        ...counts,
        hit_ratio: looked ? Math.round((counts.hits / looked) * 1e4) / 1e4 : null,
      };
    }
    return { mode: this.mode, prefixes };
  }

  /** Whether to use the store now; after a lost connection, first empties it by bumping `*`. */
  async #usable(): Promise<boolean> {
    if (this.#ttlSeconds === 0) return false;
    if (!this.#redis) return true;
    if (!this.#redis.isReady) {
      this.#suspect = true;
      return false;
    }
    if (!this.#suspect) return true;
    try {
      await this.#call(this.#store.bump([EVERYTHING]));
      this.#suspect = false;
      this.#log.info('Redis is back: every cached entry invalidated');
      return true;
    } catch {
      return false;
    }
  }

  #call<T>(promise: Promise<T>): Promise<T> {
    return this.#redis ? withTimeout(promise, this.#timeoutMs) : promise;
  }

  #failed(error: unknown): void {
    this.#suspect = true;
    this.#log.warn(
      { err: error instanceof Error ? error.message : error },
      'cache unavailable; serving uncached',
    );
  }

  #count(prefix: string, result: 'hits' | 'misses' | 'loads' | 'bypassed'): void {
    let counts = this.#counters.get(prefix);
    if (!counts) {
      counts = { hits: 0, misses: 0, loads: 0, bypassed: 0 };
      this.#counters.set(prefix, counts);
    }
    counts[result] += 1;
    if (result === 'loads') return;
    cacheRequests.inc({
      prefix,
      result: result === 'hits' ? 'hit' : result === 'misses' ? 'miss' : 'bypass',
    });
  }
}

function redisStore(redis: RedisClient, generationPrefix: string, entryPrefix: string): Store {
  return {
    generations: (tags) => redis.mGet(tags.map((tag) => generationPrefix + tag)),
    get: (key) => redis.get(key),
    set: async (key, value, ttlSeconds) => {
      await redis.set(key, value, { expiration: { type: 'EX', value: ttlSeconds } });
    },
    bump: async (tags) => {
      const multi = redis.multi();
      // The generation outlives every entry that names it.
      for (const tag of tags) multi.incr(generationPrefix + tag).expire(generationPrefix + tag, 7 * 86_400);
      await multi.exec();
    },
    purge: async () => {
      let deleted = 0;
      for await (const keys of redis.scanIterator({ MATCH: `${entryPrefix}*`, COUNT: 1_000 })) {
        if (keys.length) deleted += await redis.unlink(keys);
      }
      return deleted;
    },
  };
}

function memoryStore(maxEntries: number): Store {
  const entries = new LRUCache<string, string>({ max: maxEntries, ttlAutopurge: false });
  const generations = new Map<string, number>();
  return {
    generations: async (tags) => tags.map((tag) => String(generations.get(tag) ?? 0)),
    get: async (key) => entries.get(key) ?? null,
    set: async (key, value, ttlSeconds) => {
      entries.set(key, value, { ttl: ttlSeconds * 1_000 });
    },
    bump: async (tags) => {
      for (const tag of tags) generations.set(tag, (generations.get(tag) ?? 0) + 1);
    },
    purge: async () => {
      const deleted = entries.size;
      entries.clear();
      return deleted;
    },
  };
}

/**
 * The read-through cache as services use it: a `ReadCache`, or none (`NO_CACHE`: reads go to the
 * database, writes have nothing to invalidate), for scripts and migrations.
 */
export type ReadThrough = Pick<ReadCache, 'read' | 'json' | 'invalidate' | 'purge'>;

export const NO_CACHE: ReadThrough = {
  read: (_prefix, _key, _tags, load) => load(),
  json: async (_prefix, _key, _tags, load) => new Json(JSON.stringify(await load())),
  invalidate: () => Promise.resolve(),
  purge: () => Promise.resolve(0),
};

/** The minute `now` falls in: a key part for reads that also depend on the clock. */
export function minuteOf(now: Date): number {
  return Math.floor(now.getTime() / 60_000);
}

/** The tags of the records a read depends on; one place so that reads and writes agree. */
export const tags = {
  person: (id: string) => `person:${id}`,
  organisation: (id: string) => `organisation:${id}`,
  personTimeline: (id: string) => `timeline:person:${id}`,
  organisationTimeline: (id: string) => `timeline:organisation:${id}`,
  /** Any interaction (the dashboard's recent list and inbox counts). */
  interactions: 'interactions',
  /** Any lead score (hot leads). */
  scores: 'scores',
  /** Any person's name or email (lists that show them). */
  people: 'people',
  /** Every entry (a change shown everywhere, such as a user's name). */
  everything: EVERYTHING,
} as const;
