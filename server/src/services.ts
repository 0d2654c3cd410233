/**
 * The services of a process: the database, where events go and the read cache (`ServiceDeps`),
 * and the hooks through which one feature acts on another's records without importing it. Built
 * once per process — `createApp`, the worker in `main.ts`, the CLI — so each hook is wired here
 * only, and a feature whose services need a hook cannot be given services without it.
 *
 * Hooks: a person given an email address claims marketing's email events that waited for it
 * (`emailEventsWaiting`, people's `WaitingForAddress`).
 */
import { emailEventsWaiting } from './marketing';
import type { PeopleDeps } from './people';
import type { Knex } from './platform/data/db';
import type { ReadThrough } from './platform/runtime/cache';
import type { EventSink } from './platform/runtime/events';
import { serviceDeps } from './platform/runtime/service-deps';

export type AppServices = PeopleDeps;

/** A process's services; without a bus or a cache (a script), events go nowhere and reads to the database. */
export function assembleServices(
  db: Knex,
  parts: { events?: EventSink; cache?: ReadThrough } = {},
): AppServices {
  return { ...serviceDeps(db, parts), waiting: emailEventsWaiting };
}
