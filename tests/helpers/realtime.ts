/**
 * Realtime clients for tests: an SSE reader over fetch (parsed by eventsource-parser, as the SDK
 * does) and a WebSocket client (`ws`), both collecting events and waiting for the one expected.
 */
import { EventSourceParserStream } from 'eventsource-parser/stream';
import WebSocket from 'ws';

export interface ReceivedEvent {
  id: string;
  type: string;
  occurred_at: string;
  data: Record<string, unknown>;
}

export interface EventClient {
  status: number;
  headers: Headers;
  events: ReceivedEvent[];
  /** SSE comments (heartbeats) seen so far. */
  comments: number;
  /** Resolves with the first event (already received or coming) that matches. */
  waitFor(match: (event: ReceivedEvent) => boolean, timeoutMs?: number): Promise<ReceivedEvent>;
  /** Resolves when the server ends the stream. */
  ended: Promise<void>;
  close(): void;
}

function collector() {
  const events: ReceivedEvent[] = [];
  const waiters = new Set<() => void>();
  return {
    events,
    push(event: ReceivedEvent) {
      events.push(event);
      for (const waiter of [...waiters]) waiter();
    },
    poke() {
      for (const waiter of [...waiters]) waiter();
    },
    waitFor(match: (event: ReceivedEvent) => boolean, timeoutMs = 5_000): Promise<ReceivedEvent> {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = events.find(match);
          if (!found) return;
          cleanup();
          resolve(found);
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(
            new Error(
              `no matching event within ${timeoutMs} ms; got ${JSON.stringify(events.map((e) => e.type))}`,
            ),
          );
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
  };
}

/** Opens `GET {baseUrl}/v1/events{query}` and reads it in the background. */
export async function openEventStream(
  baseUrl: string,
  options: { headers?: Record<string, string>; query?: string } = {},
): Promise<EventClient> {
  const abort = new AbortController();
  const response = await fetch(`${baseUrl}/v1/events${options.query ?? ''}`, {
    headers: { Accept: 'text/event-stream', ...options.headers },
    signal: abort.signal,
  });
  const received = collector();
  let comments = 0;
  let ended: Promise<void> = Promise.resolve();
  if (response.ok && response.body) {
    const reader = response.body
      .pipeThrough(new TextDecoderStream())
      .pipeThrough(
        new EventSourceParserStream({
          onComment: () => {
            comments += 1;
          },
        }),
      )
      .getReader();
    ended = (async () => {
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) return;
          received.push(JSON.parse(value.data) as ReceivedEvent);
        }
      } catch {
        // Aborted by close().
      }
    })();
  } else {
    await response.body?.cancel();
  }
  return {
    status: response.status,
    headers: response.headers,
    events: received.events,
    get comments() {
      return comments;
    },
    waitFor: received.waitFor,
    ended,
    close: () => abort.abort(),
  };
}

export interface SocketClient extends Omit<EventClient, 'status' | 'headers' | 'comments'> {
  socket: WebSocket;
}

/** Opens `GET {baseUrl}/v1/ws{query}` as a WebSocket; rejects with the HTTP status if refused. */
export function openEventSocket(
  baseUrl: string,
  options: { headers?: Record<string, string>; query?: string } = {},
): Promise<SocketClient> {
  const url = `${baseUrl.replace(/^http/, 'ws')}/v1/ws${options.query ?? ''}`;
  const socket = new WebSocket(url, { headers: options.headers });
  const received = collector();
  socket.on('message', (message) => received.push(JSON.parse(String(message)) as ReceivedEvent));
  const ended = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  return new Promise((resolve, reject) => {
    socket.once('open', () =>
      resolve({
        socket,
        events: received.events,
        waitFor: received.waitFor,
        ended,
        close: () => socket.close(),
      }),
    );
    socket.once('unexpected-response', (_request, response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => {
        body += chunk.toString();
      });
      response.on('end', () =>
        reject(
          Object.assign(new Error(`HTTP ${response.statusCode}`), { status: response.statusCode, body }),
        ),
      );
    });
    socket.once('error', reject);
  });
}
