/**
 * The event bus: domain events (`notification.created`, `interaction.created`, ...) published
 * after the change they report commits, delivered to every API instance's realtime subscribers.
 *
 * With Redis, an event is appended to a capped stream (which gives it its id and keeps it for
 * resuming) and published on a channel in one script, so every instance — each with a dedicated
 * subscriber connection — hears it in id order. Without Redis, or while it is unreachable, events
 * are delivered in this process only, with ids of the same form. Every instance also keeps the
 * most recent events in memory to resume from when the stream cannot be read.
 */

import type { Logger } from '../core/logger';
import type { Resource } from '../core/permissions';
import { afterCommit } from '../data/after-commit';
import type { Knex } from '../data/db';
import { eventsPublished } from './metrics';
import { type RedisClient, withTimeout } from './redis';

/** Who may receive an event: a reader of `resource`, narrowed by the other fields when set. */
export interface Audience {
  resource: Resource;
  /** Only these users (a notification's recipient). */
  userIds?: string[];
  /** The people and organisations the event concerns (for embed tokens' subjects). */
  personIds?: string[];
  organisationIds?: string[];
  /** The interaction's assignees, before and after the change (for inbox embed tokens). */
  assigneeIds?: string[];
}

export interface DomainEvent {
  type: string;
  data: Record<string, unknown>;
  audience: Audience;
}

export interface PublishedEvent extends DomainEvent {
  /** `<milliseconds>-<sequence>`, increasing. */
  id: string;
  occurred_at: string;
}

export interface Replay {
  events: PublishedEvent[];
  /** False when events after the given id may have been dropped (too old, or too many). */
  complete: boolean;
}

const EVENT_ID = /^(\d{1,15})-(\d{1,15})$/;

// Appends every event to the stream and publishes it with its id, atomically, in order.
const PUBLISH_SCRIPT = `
local ids = {}
for i = 2, #ARGV do
  local id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*', 'event', ARGV[i])
  redis.call('PUBLISH', KEYS[2], id .. ' ' .. ARGV[i])
  ids[#ids + 1] = id
end
return ids
`;

export function isEventId(value: string): boolean {
  return EVENT_ID.test(value);
}

/** Orders two event ids; both must pass `isEventId`. */
export function compareEventIds(a: string, b: string): number {
  const [, aMs, aSeq] = EVENT_ID.exec(a)!;
  const [, bMs, bSeq] = EVENT_ID.exec(b)!;
  return Number(aMs) - Number(bMs) || Number(aSeq) - Number(bSeq);
}

export interface EventBusOptions {
  redis: RedisClient | null;
  logger: Logger;
  /** Prefix of the stream's and channel's names (`REDIS_PREFIX`). */
  prefix?: string;
  /** Events kept in the Redis stream (approximately) for resuming. */
  streamLength?: number;
  /** Events kept in memory by each instance. */
  historySize?: number;
  /** The most events one resume replays before it tells the client to resynchronise. */
  replayLimit?: number;
  /** Deadline for a Redis call before falling back to this process. */
  timeoutMs?: number;
}

type Listener = (event: PublishedEvent) => void;

export class EventBus implements EventSink {
  readonly #redis: RedisClient | null;
  readonly #log: Logger;
  readonly #streamLength: number;
  readonly #historySize: number;
  readonly #replayLimit: number;
  readonly #timeoutMs: number;
  /** The stream's and the channel's name (Redis keeps the two namespaces apart). */
  readonly #key: string;
  readonly #listeners = new Set<Listener>();
  readonly #history: PublishedEvent[] = [];
  #subscriber: RedisClient | null = null;
  #lastLocalMs = 0;
  #localSequence = 0;
  #startedAt = Date.now();

  constructor(options: EventBusOptions) {
    this.#redis = options.redis;
    this.#log = options.logger.child({ component: 'events' });
    this.#streamLength = options.streamLength ?? 10_000;
    this.#historySize = options.historySize ?? 1_000;
    this.#replayLimit = options.replayLimit ?? 1_000;
    this.#timeoutMs = options.timeoutMs ?? 1_000;
    this.#key = `${options.prefix ?? 'relais'}:events`;
  }

  /**
   * Opens the dedicated subscriber connection and subscribes once it is ready (node-redis restores
   * the subscription after each reconnection). Waits for that at most `timeoutMs`: an unreachable
   * Redis does not delay the start, events stay in this process until it answers.
   */
  async start(): Promise<void> {
    this.#startedAt = Date.now();
    if (!this.#redis || this.#subscriber) return;
    const subscriber = this.#redis.duplicate();
    this.#subscriber = subscriber;
    subscriber.on('error', () => {
      // The main connection reports Redis being down.
    });
    const subscribed = new Promise<void>((resolve) => {
      subscriber.once('ready', () => {
        subscriber
          .subscribe(this.#key, (message) => this.#receive(message))
          .catch((error) => this.#log.warn({ err: error }, 'event subscription failed'))
          .finally(resolve);
      });
    });
    subscriber.connect().catch(() => undefined);
    await withTimeout(subscribed, this.#timeoutMs).catch(() => undefined);
  }

  async close(): Promise<void> {
    this.#listeners.clear();
    const subscriber = this.#subscriber;
    this.#subscriber = null;
    if (subscriber?.isOpen) await subscriber.close().catch(() => subscriber.destroy());
    else subscriber?.destroy();
  }

  /** Receives every event published from now on, in id order; returns the unsubscribe function. */
  subscribe(listener: Listener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  get subscribers(): number {
    return this.#listeners.size;
  }

  /** Publishes once the change `db` belongs to commits (at once outside a transaction). */
  publish(db: Knex, events: DomainEvent | DomainEvent[]): Promise<void> {
    const list = Array.isArray(events) ? events : [events];
    if (list.length === 0) return Promise.resolve();
    return afterCommit(db, () => this.publishNow(list));
  }

  /** Publishes now. Call `publish(db, events)` instead from a change, so it waits for the commit. */
  async publishNow(events: DomainEvent[]): Promise<void> {
    if (events.length === 0) return;
    for (const event of events) eventsPublished.inc({ type: event.type });
    const occurredAt = new Date().toISOString();
    const payloads = events.map((event) => JSON.stringify({ ...event, occurred_at: occurredAt }));
    if (this.#redis?.isReady && this.#subscriber?.isReady) {
      try {
        await withTimeout(
          this.#redis.eval(PUBLISH_SCRIPT, {
            keys: [this.#key, this.#key],
            arguments: [String(this.#streamLength), ...payloads],
          }),
          this.#timeoutMs,
        );
        return;
      } catch (error) {
        this.#log.warn({ err: error }, 'publishing through Redis failed; delivering in this process only');
      }
    }
    for (const payload of payloads) this.#dispatch({ ...JSON.parse(payload), id: this.#localId() });
  }

  /**
   * Deletes every kept event whose text contains one of `terms` (case-insensitive): from the Redis
   * stream, and from this instance's memory. For erasures; returns how many were deleted.
   */
  async forget(terms: readonly string[]): Promise<number> {
    const needles = terms.map((term) => term.toLowerCase()).filter(Boolean);
    if (needles.length === 0) return 0;
    const names = (text: string) => {
      const lower = text.toLowerCase();
      return needles.some((needle) => lower.includes(needle));
    };
    const kept = this.#history.filter((event) => !names(JSON.stringify(event)));
    let forgotten = this.#history.length - kept.length;
    this.#history.splice(0, this.#history.length, ...kept);
    const redis = this.#redis;
    if (!redis?.isReady) return forgotten;
    let start = '-';
    for (;;) {
      const entries = (await redis.xRange(this.#key, start, '+', { COUNT: 1_000 })) ?? [];
      const doomed = entries.filter((entry) => names(String(entry.message.event))).map((entry) => entry.id);
      if (doomed.length) forgotten += await redis.xDel(this.#key, doomed);
      if (entries.length < 1_000) return forgotten;
      start = `(${entries[entries.length - 1]!.id}`;
    }
  }

  /**
   * The events after `lastId` that are still kept: from the Redis stream when it answers, else
   * from this instance's memory.
   */
  async replay(lastId: string): Promise<Replay> {
    if (this.#redis?.isReady) {
      try {
        return await withTimeout(this.#replayFromStream(lastId), this.#timeoutMs);
      } catch (error) {
        this.#log.warn({ err: error }, 'reading the event stream failed; resuming from memory');
      }
    }
    return this.#replayFromMemory(lastId);
  }

  async #replayFromStream(lastId: string): Promise<Replay> {
    const redis = this.#redis!;
    const [first] = (await redis.xRange(this.#key, '-', '+', { COUNT: 1 })) ?? [];
    const entries =
      (await redis.xRange(this.#key, `(${lastId}`, '+', { COUNT: this.#replayLimit + 1 })) ?? [];
    const events = entries.slice(0, this.#replayLimit).map((entry) => ({
      ...(JSON.parse(String(entry.message.event)) as Omit<PublishedEvent, 'id'>),
      id: entry.id,
    }));
    // Events were trimmed after `lastId` when the oldest kept one is newer than it.
    const trimmed = first !== undefined && compareEventIds(first.id, lastId) > 0;
    return { events, complete: !trimmed && entries.length <= this.#replayLimit };
  }

  #replayFromMemory(lastId: string): Replay {
    const events = this.#history.filter((event) => compareEventIds(event.id, lastId) > 0);
    const oldest = this.#history[0];
    const covered = oldest
      ? compareEventIds(oldest.id, lastId) <= 0 || this.#history.length < this.#historySize
      : true;
    const lastMs = Number(EVENT_ID.exec(lastId)![1]);
    return {
      events: events.slice(0, this.#replayLimit),
      complete: covered && lastMs >= this.#startedAt && events.length <= this.#replayLimit,
    };
  }

  #receive(message: string): void {
    const space = message.indexOf(' ');
    try {
      const event = JSON.parse(message.slice(space + 1)) as Omit<PublishedEvent, 'id'>;
      this.#dispatch({ ...event, id: message.slice(0, space) });
    } catch (error) {
      this.#log.warn({ err: error }, 'ignored a malformed event from Redis');
    }
  }

  #dispatch(event: PublishedEvent): void {
    this.#history.push(event);
    if (this.#history.length > this.#historySize) this.#history.shift();
    for (const listener of this.#listeners) {
      try {
        listener(event);
      } catch (error) {
        this.#log.warn({ err: error }, 'an event listener failed');
      }
    }
  }

  #localId(): string {
    const now = Date.now();
    if (now > this.#lastLocalMs) {
      this.#lastLocalMs = now;
      this.#localSequence = 0;
    } else {
      this.#localSequence += 1;
    }
    return `${this.#lastLocalMs}-${this.#localSequence}`;
  }
}

/** Where a service's events go: an `EventBus`, or nowhere (`NO_EVENTS`, in scripts and migrations). */
export interface EventSink {
  /** Publishes once the change `db` belongs to commits (at once outside a transaction). */
  publish(db: Knex, events: DomainEvent | DomainEvent[]): Promise<void>;
  /** Deletes the kept events that contain one of `terms`; how many. */
  forget(terms: readonly string[]): Promise<number>;
}

/** Events go nowhere: for scripts and migrations, which no client listens to. */
export const NO_EVENTS: EventSink = {
  publish: () => Promise.resolve(),
  forget: () => Promise.resolve(0),
};
