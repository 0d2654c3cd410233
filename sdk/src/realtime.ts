import { createParser } from 'eventsource-parser';
import { errorFromResponse } from './errors';
import type { components } from './generated/openapi';
import { type TokenSource, tokenCache } from './transport';

export type RealtimeEvent = components['schemas']['RealtimeEvent'];

export interface EventStreamOptions {
  /** The API's origin, e.g. `https://relais.intranet.example.com`. */
  baseUrl: string;
  /**
   * A user's access token or an embed token, sent as a header (never in the URL): a string, or a
   * function returning a current one, asked again once when the stream is refused with a 401.
   */
  token?: TokenSource;
  /** An application's API key (`rk_...`). */
  apiKey?: string;
  /** Resume after this event id (the last one a previous subscription received). */
  lastEventId?: string;
  /**
   * Only these event types (`sync.required` always comes through: it means "reload what you
   * show", because events were missed while away for longer than the server keeps them).
   */
  types?: RealtimeEvent['type'][];
  /** Called for every event, in order; without it, read the stream with `for await`. */
  onEvent?(event: RealtimeEvent): void;
  /** Called when the stream fails; it reconnects by itself unless the failure is a 4xx. */
  onError?(error: Error): void;
  /** Called each time the stream is (re)connected. */
  onOpen?(): void;
  /** Closes the stream when aborted. */
  signal?: AbortSignal;
  /** A `fetch` implementation; the global one by default. */
  fetch?: typeof globalThis.fetch;
}

/** Your events as they happen: iterate with `for await` (a `break` closes it) or pass `onEvent`. */
export interface EventStream extends AsyncIterable<RealtimeEvent> {
  /** The id of the last event received: give it as `lastEventId` to resume elsewhere. */
  readonly lastEventId: string | undefined;
  close(): void;
}

/** @deprecated Use `EventStreamOptions`. */
export type EventSubscriptionOptions = EventStreamOptions;
/** @deprecated Use `EventStream`. */
export type EventSubscription = EventStream;

/**
 * Follows `GET /v1/events` with `fetch`, so credentials travel in headers, and reconnects after a
 * network failure or a server restart, resuming from the last event received (`Last-Event-ID`).
 * Reconnections wait a random time up to the server's `retry:` interval, doubling with each
 * consecutive failure (at most 30 s). A 401 asks a token provider once more; a refused request
 * (4xx: bad token, no permission) then ends the stream with a typed `RelaisError` (reported to
 * `onError`, and thrown by the iterator).
 *
 * @example
 * for await (const event of subscribeToEvents({ baseUrl, token })) console.log(event.type);
 */
export function subscribeToEvents(options: EventStreamOptions): EventStream {
  const fetchImpl = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const abort = new AbortController();
  options.signal?.addEventListener('abort', () => abort.abort(), { once: true });
  const wanted = options.types ? new Set<string>([...options.types, 'sync.required']) : undefined;
  let lastEventId = options.lastEventId;
  // The server's `retry:` is the base; consecutive failures back off from it, with full jitter.
  let retryMs = 2_000;
  let failures = 0;
  let refreshed = false;
  // The same cache as the client's requests: asked once, again before expiry or after a 401.
  const tokens = tokenCache(options.token);

  // Events waiting for a reader, and a reader waiting for events.
  const queue: RealtimeEvent[] = [];
  let ended: { error?: Error } | undefined;
  let wake: (() => void) | undefined;
  const deliver = (event: RealtimeEvent) => {
    if (wanted && !wanted.has(event.type)) return;
    if (options.onEvent) options.onEvent(event);
    else queue.push(event);
    wake?.();
  };
  const end = (error?: Error) => {
    ended ??= { error };
    wake?.();
  };

  const connect = async (): Promise<'retry' | 'stop' | 'refresh'> => {
    const headers: Record<string, string> = { Accept: 'text/event-stream' };
    const bearer = await tokens.current();
    if (bearer) headers.Authorization = `Bearer ${bearer}`;
    if (options.apiKey) headers['X-Api-Key'] = options.apiKey;
    if (lastEventId) headers['Last-Event-ID'] = lastEventId;
    const response = await fetchImpl(`${options.baseUrl.replace(/\/$/, '')}/v1/events`, {
      headers,
      signal: abort.signal,
    });
    if (response.status === 401 && tokens.refreshable && !refreshed) {
      await response.body?.cancel();
      refreshed = true;
      tokens.forget();
      return 'refresh';
    }
    if (!response.ok || !response.body) {
      const error = errorFromResponse(response, await response.json().catch(() => undefined));
      options.onError?.(error);
      if (response.status >= 400 && response.status < 500) {
        end(error);
        return 'stop';
      }
      return 'retry';
    }
    failures = 0;
    refreshed = false;
    options.onOpen?.();
    const parser = createParser({
      onEvent: (message) => {
        const event = JSON.parse(message.data) as RealtimeEvent;
        lastEventId = event.id;
        deliver(event);
      },
      onRetry: (interval) => {
        retryMs = interval;
      },
    });
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return 'retry';
      parser.feed(value);
    }
  };

  void (async () => {
    while (!abort.signal.aborted) {
      try {
        const outcome = await connect();
        if (outcome === 'stop') return;
        if (outcome === 'refresh') continue;
      } catch (error) {
        if (abort.signal.aborted) break;
        options.onError?.(error instanceof Error ? error : new Error(String(error)));
      }
      failures += 1;
      const ceiling = Math.min(30_000, retryMs * 2 ** Math.min(failures - 1, 4));
      await new Promise((resolve) => setTimeout(resolve, Math.random() * ceiling));
    }
    end();
  })();

  const close = () => {
    abort.abort();
    end();
  };
  return {
    get lastEventId() {
      return lastEventId;
    },
    close,
    [Symbol.asyncIterator]: () => ({
      async next(): Promise<IteratorResult<RealtimeEvent>> {
        for (;;) {
          const event = queue.shift();
          if (event) return { done: false, value: event };
          if (ended) {
            if (ended.error) throw ended.error;
            return { done: true, value: undefined };
          }
          await new Promise<void>((resolve) => {
            wake = resolve;
          });
          wake = undefined;
        }
      },
      async return(): Promise<IteratorResult<RealtimeEvent>> {
        close();
        return { done: true, value: undefined };
      },
    }),
  };
}
