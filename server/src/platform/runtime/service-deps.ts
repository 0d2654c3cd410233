/**
 * What a service that changes data works with, handed to it explicitly: the database, where its
 * events go, and the read cache its writes invalidate and its reads go through. Built once where
 * the process is assembled (`assembleServices` in `server/src/services.ts`, for `createApp`, the
 * worker in `main.ts` and the CLI), so a reader follows an event from `deps.events.publish(trx, …)`
 * back to the bus it was given.
 *
 * Both effects wait for the transaction they are given to commit (`data/after-commit.ts`), and run
 * before the service returns.
 */
import type { Knex } from '../data/db';
import { NO_CACHE, type ReadThrough } from './cache';
import { type EventSink, NO_EVENTS } from './events';

export interface ServiceDeps {
  readonly db: Knex;
  readonly events: EventSink;
  readonly cache: ReadThrough;
}

/** A service's dependencies; without a bus or a cache (a script), events go nowhere and reads to the database. */
export function serviceDeps(db: Knex, parts: { events?: EventSink; cache?: ReadThrough } = {}): ServiceDeps {
  return { db, events: parts.events ?? NO_EVENTS, cache: parts.cache ?? NO_CACHE };
}
