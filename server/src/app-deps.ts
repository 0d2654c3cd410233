/** What the API app is assembled from (`createApp` in app.ts); routes that need several take it whole. */
import type { Config } from './config';
import type { DependencyCheck } from './platform/core/dependency-check';
import type { Logger } from './platform/core/logger';
import type { Knex } from './platform/data/db';
import type { ReadCache } from './platform/runtime/cache';
import type { EventBus } from './platform/runtime/events';
import type { RedisClient } from './platform/runtime/redis';
import type { TokenSettings } from './platform/web/auth';
import type { OpenApiValidator } from './platform/web/openapi';
import type { UserDirectory } from './users';

export interface AppDeps {
  config: Config;
  logger: Logger;
  db: Knex;
  redis: RedisClient | null;
  validator: OpenApiValidator;
  /** Secret and issuer of access and embed tokens. */
  tokens: TokenSettings;
  /** The time; injected so tests can stand at a given instant (inbox buckets, overdue flags). */
  clock?: () => Date;
  /** Cached user identities for authentication; without one every request reads the user. */
  users?: UserDirectory;
  /** The job worker's health, when this process runs one or can see its state. */
  jobs?: { check(): Promise<DependencyCheck> };
  /** The event bus (started); without one, events stay in this process. */
  events?: EventBus;
  /** The read cache; without one, a cache over `redis` (or in process) is made. */
  cache?: ReadCache;
}
