import { createParser } from 'eventsource-parser';
import type { components } from './generated/openapi';
import type { TokenSource } from './transport';

export type RealtimeEvent = components['schemas']['RealtimeEvent'];

export interface EventSubscriptionOptions {
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
 * Reconnections wait a random time up to the server's `retry:` interval, doubling with each
 * consecutive failure (at most 30 s). A 401 asks a token provider once more; a refused request
 * (4xx: bad token, no permission) then stops it and is reported to `onError`.
 *
 * @example
 * const subscription = subscribeToEvents({ baseUrl, token, onEvent: (event) => console.log(event.type) });
 */
export function subscribeToEvents(options: EventSubscriptionOptions): EventSubscription {
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const abort = new AbortController();
  let lastEventId = options.lastEventId;
  // The server's `retry:` is the base; consecutive failures back off from it, with full jitter.
  let retryMs = 2_000;
  let failures = 0;
  let refreshed = false;
  let token: string | undefined;
  const currentToken = async (fresh: boolean) => {
    if (typeof options.token === 'function') {
      if (fresh || token === undefined) token = await options.token();
      return token;
    }
    return options.token;
  };

  const connect = async (): Promise<'retry' | 'stop' | 'refresh'> => {
    const headers: Record<string, string> = { Accept: 'text/event-stream' };
    const bearer = await currentToken(false);
    if (bearer) headers.Authorization = `Bearer ${bearer}`;
    if (options.apiKey) headers['X-Api-Key'] = options.apiKey;
    if (lastEventId) headers['Last-Event-ID'] = lastEventId;
    const response = await fetchImpl(`${options.baseUrl.replace(/\/$/, '')}/v1/events`, {
      headers,
      signal: abort.signal,
    });
    if (response.status === 401 && typeof options.token === 'function' && !refreshed) {
      await response.body?.cancel();
      refreshed = true;
      token = undefined;
      return 'refresh';
    }
    if (!response.ok || !response.body) {
      const detail = await response.text().catch(() => '');
      options.onError?.(new Error(`GET /v1/events answered ${response.status}: ${detail.slice(0, 200)}`));
      return response.status >= 400 && response.status < 500 ? 'stop' : 'retry';
    }
    failures = 0;
    refreshed = false;
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
        const outcome = await connect();
        if (outcome === 'stop') return;
        if (outcome === 'refresh') continue;
      } catch (error) {
        if (abort.signal.aborted) return;
        options.onError?.(error instanceof Error ? error : new Error(String(error)));
      }
      failures += 1;
      const ceiling = Math.min(30_000, retryMs * 2 ** Math.min(failures - 1, 4));
      await new Promise((resolve) => setTimeout(resolve, Math.random() * ceiling));
    }
  })();

  return {
    get lastEventId() {
      return lastEventId;
    },
    close: () => abort.abort(),
  };
}
