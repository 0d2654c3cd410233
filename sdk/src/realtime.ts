import { createParser } from 'eventsource-parser';
import type { components } from './generated/openapi';

export type RealtimeEvent = components['schemas']['RealtimeEvent'];

export interface EventSubscriptionOptions {
  /** The API's origin, e.g. `https://relais.intranet.example.com`. */
  baseUrl: string;
  /** A user's access token or an embed token, sent as a header (never in the URL). */
  token?: string;
  /** An application's API key (`rk_...`). */
  apiKey?: string;
  /** Resume after this event id (the last one a previous subscription received). */
  lastEventId?: string;
  /** Called for every event, in order. */
  onEvent(event: RealtimeEvent): void;
  /** Called when the stream fails; it reconnects by itself unless the failure is a 4xx. */
  onError?(error: Error): void;
  /** A `fetch` implementation; the global one by default. */
  fetch?: typeof globalThis.fetch;
}

export interface EventSubscription {
  /** The id of the last event received: give it as `lastEventId` to resume elsewhere. */
  readonly lastEventId: string | undefined;
  close(): void;
}

/**
 * Follows `GET /v1/events` with `fetch`, so credentials travel in headers, and reconnects after a
 * network failure or a server restart, resuming from the last event received (`Last-Event-ID`).
 * A refused request (4xx: bad token, no permission) stops it and is reported to `onError`.
 *
 * @example
 * const subscription = subscribeToEvents({ baseUrl, token, onEvent: (event) => console.log(event.type) });
 */
export function subscribeToEvents(options: EventSubscriptionOptions): EventSubscription {
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const abort = new AbortController();
  let lastEventId = options.lastEventId;
  let retryMs = 2_000;

  const connect = async (): Promise<'retry' | 'stop'> => {
    const headers: Record<string, string> = { Accept: 'text/event-stream' };
    if (options.token) headers.Authorization = `Bearer ${options.token}`;
    if (options.apiKey) headers['X-Api-Key'] = options.apiKey;
    if (lastEventId) headers['Last-Event-ID'] = lastEventId;
    const response = await fetchImpl(`${options.baseUrl.replace(/\/$/, '')}/v1/events`, {
      headers,
      signal: abort.signal,
    });
    if (!response.ok || !response.body) {
      const detail = await response.text().catch(() => '');
      options.onError?.(new Error(`GET /v1/events answered ${response.status}: ${detail.slice(0, 200)}`));
      return response.status >= 400 && response.status < 500 ? 'stop' : 'retry';
    }
    const parser = createParser({
      onEvent: (message) => {
        const event = JSON.parse(message.data) as RealtimeEvent;
        lastEventId = event.id;
        options.onEvent(event);
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
        if ((await connect()) === 'stop') return;
      } catch (error) {
        if (abort.signal.aborted) return;
        options.onError?.(error instanceof Error ? error : new Error(String(error)));
      }
      await new Promise((resolve) => setTimeout(resolve, retryMs));
    }
  })();

  return {
    get lastEventId() {
      return lastEventId;
    },
    close: () => abort.abort(),
  };
}
