/**
 * `GET /v1/events` (Server-Sent Events) and `GET /v1/ws` (WebSocket): the caller's events, from
 * the one event bus. Both authenticate like every operation — `Authorization`, `X-Api-Key`, or,
 * because browsers' `EventSource` and `WebSocket` cannot send headers, an `access_token` query
 * parameter accepted on these two operations only — and both resume after `Last-Event-ID`.
 *
 * WebSocket upgrades go through the app like any request (request id, CORS, auth, validation,
 * access declaration), and the route hands the socket to `ws` once all passed. Both routes take
 * the connection over from the framework (`reply.hijack()`), with the headers set so far.
 */
import { type IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';
import type { HttpReply } from '../http/types';
import { AppError, ValidationError } from '../platform/core/errors';
import { type EventBus, isEventId } from '../platform/runtime/events';
import { realtimeConnections } from '../platform/runtime/metrics';
import { authenticated, requirePrincipal } from '../platform/web/access';
import { headerOf, type RouteRequest, Routes } from '../platform/web/routes';
import { type ClientEvent, subscribe } from './subscription';

class UpgradeRequiredError extends AppError {
  static override readonly status = 426;
  static override readonly slug = 'upgrade-required';
  static override readonly title = 'Upgrade required';
}

export interface RealtimeOptions {
  /** Seconds between keep-alives: an SSE comment, a WebSocket ping. */
  heartbeatSeconds: number;
}

/** What a realtime client may leave unread before it is disconnected (it resumes on reconnecting). */
const MAX_UNREAD_BYTES = 1024 * 1024;

const UPGRADE_HEAD = Symbol('relais.upgradeHead');
type UpgradeRequest = IncomingMessage & { [UPGRADE_HEAD]?: Buffer };

/** The open realtime connections of one app, to serve upgrades and close them all on shutdown. */
export class Realtime {
  readonly #closers = new Set<() => void>();
  readonly #sockets = new WebSocketServer({ noServer: true, maxPayload: 4_096 });
  #closed = false;

  constructor(
    readonly bus: EventBus,
    readonly options: RealtimeOptions,
  ) {}

  /** Runs an HTTP upgrade request through the app; `GET /v1/ws` completes it. */
  handleUpgrade(
    app: (req: IncomingMessage, res: ServerResponse) => void,
    req: IncomingMessage,
    socket: Duplex,
    head: Buffer,
  ): void {
    const request = req as UpgradeRequest;
    request[UPGRADE_HEAD] = head;
    // Until ws owns it, a reset or malformed upgrade must not surface as an unhandled 'error'.
    socket.on('error', () => socket.destroy());
    // Node upgrades on a net.Socket (its type says Duplex, for servers given other sockets).
    if (!(socket instanceof Socket)) {
      socket.destroy();
      return;
    }
    const response = new ServerResponse(req);
    response.assignSocket(socket);
    response.once('finish', () => socket.destroy());
    app(req, response);
  }

  track(close: () => void): () => void {
    this.#closers.add(close);
    return () => this.#closers.delete(close);
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Ends every stream and socket (clients reconnect elsewhere and resume from their last id). */
  closeAll(): void {
    this.#closed = true;
    for (const close of [...this.#closers]) close();
    this.#closers.clear();
  }

  acceptWebSocket(req: IncomingMessage, onOpen: (socket: WebSocket) => void): void {
    const request = req as UpgradeRequest;
    this.#sockets.handleUpgrade(request, request.socket, request[UPGRADE_HEAD] ?? Buffer.alloc(0), onOpen);
  }
}

export function realtimeRoutes(realtime: Realtime): Routes {
  const routes = new Routes();

  routes.get('/v1/events', authenticated, async (req, reply) => {
    const principal = requirePrincipal(req);
    const lastEventId = resumeFrom(req);
    const res = takeOver(reply);
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      'X-Accel-Buffering': 'no',
    });
    // HEAD asks what the stream would be, not for the stream.
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    // A client that goes away mid-write must end this stream only.
    res.on('error', () => res.destroy());
    res.write(`retry: 2000\n: connected\n\n`);
    const unsubscribe = await subscribe(realtime.bus, principal, lastEventId, (event) => {
      // A client that stops reading is let go rather than buffered for: it resumes from its last id.
      if (res.writableLength > MAX_UNREAD_BYTES) res.destroy();
      else res.write(serverSentEvent(event));
    });
    if (res.destroyed || res.writableEnded) {
      unsubscribe();
      return;
    }
    realtimeConnections.inc({ transport: 'sse' });
    const heartbeat = setInterval(
      () => res.write(': keep-alive\n\n'),
      realtime.options.heartbeatSeconds * 1_000,
    );
    let untrack: () => void = () => undefined;
    const end = () => {
      clearInterval(heartbeat);
      unsubscribe();
      untrack();
      realtimeConnections.dec({ transport: 'sse' });
    };
    untrack = realtime.track(() => res.end());
    res.once('close', end);
    if (realtime.closed) res.end();
  });

  routes.get('/v1/ws', authenticated, async (req, reply) => {
    if (headerOf(req, 'upgrade')?.toLowerCase() !== 'websocket') {
      reply.header('Upgrade', 'websocket');
      throw new UpgradeRequiredError(
        'Open GET /v1/ws as a WebSocket; for a plain HTTP stream use GET /v1/events.',
      );
    }
    const principal = requirePrincipal(req);
    const lastEventId = resumeFrom(req);
    const res = takeOver(reply);
    res.detachSocket(req.socket);
    realtime.acceptWebSocket(req, async (socket) => {
      realtimeConnections.inc({ transport: 'websocket' });
      // A protocol error (a bad frame, a message over maxPayload) is this client's alone: ws has
      // already answered it with a close frame (1002, 1009) and ends the socket; nothing throws.
      socket.on('error', (error) =>
        req.log.debug({ err: error.message }, 'websocket closed on a protocol error'),
      );
      let alive = true;
      socket.on('pong', () => {
        alive = true;
      });
      // Clients only listen; anything they send is ignored.
      socket.on('message', () => undefined);
      const heartbeat = setInterval(() => {
        if (!alive) {
          socket.terminate();
          return;
        }
        alive = false;
        socket.ping();
      }, realtime.options.heartbeatSeconds * 1_000);
      const unsubscribe = await subscribe(realtime.bus, principal, lastEventId, (event) => {
        if (socket.readyState !== WebSocket.OPEN) return;
        if (socket.bufferedAmount > MAX_UNREAD_BYTES) socket.terminate();
        else socket.send(JSON.stringify(event));
      });
      if (socket.readyState !== WebSocket.OPEN) {
        clearInterval(heartbeat);
        unsubscribe();
        realtimeConnections.dec({ transport: 'websocket' });
        return;
      }
      const untrack = realtime.track(() => socket.close(1001, 'server shutting down'));
      socket.once('close', () => {
        clearInterval(heartbeat);
        unsubscribe();
        untrack();
        realtimeConnections.dec({ transport: 'websocket' });
      });
    });
  });

  return routes;
}

/**
 * The raw response, taken over for a stream or a socket, with the headers the request's steps
 * already set (request id, security headers, CORS).
 */
function takeOver(reply: HttpReply): ServerResponse {
  reply.hijack();
  return reply.raw;
}

/** `Last-Event-ID` (what `EventSource` sends on reconnecting) or the `last_event_id` parameter. */
function resumeFrom(req: RouteRequest): string | undefined {
  const fromHeader = headerOf(req, 'last-event-id');
  const value = fromHeader ?? (req.query.last_event_id as string | undefined);
  if (value === undefined || value === '') return undefined;
  if (!isEventId(value)) {
    throw new ValidationError('The last event id is not one this API sent.', {
      errors: [
        {
          in: fromHeader === undefined ? 'query' : 'header',
          field: fromHeader === undefined ? 'last_event_id' : 'last-event-id',
          message: 'must be an event id such as 1763740800000-0, as received in an event',
        },
      ],
    });
  }
  return value;
}

function serverSentEvent(event: ClientEvent): string {
  return `id: ${event.id}\nevent: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
}
