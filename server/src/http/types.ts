/**
 * What route handlers and the platform see of an HTTP exchange, whatever serves it: the request
 * (Express's, with what the pipeline adds) and a small reply interface. Only `server/src/http/`
 * knows the framework.
 */
import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { Request } from 'express';
import type { Logger } from '../platform/core/logger';
import type { Reach } from '../platform/core/permissions';
import type { Principal } from '../platform/core/principal';
import type { CompiledOperation, ValidatedRequest } from '../platform/web/openapi';
import type { RouteAccess } from '../platform/web/route-access';

declare global {
  namespace Express {
    interface Request {
      /** The request id (`X-Request-Id`, given or generated). */
      id: string;
      /** The logger of this request (its id on every line). */
      log: Logger;
      /** The raw body bytes, kept for signature checks and idempotency fingerprints. */
      rawBody?: Buffer;
      /** What the request's route requires of the caller (absent when no route serves it). */
      access?: RouteAccess;
      /** The spec operation this request's route serves (absent on routes outside the spec). */
      operation?: CompiledOperation;
      /** Parameters as validated and coerced against the spec. */
      validated?: ValidatedRequest;
      /** Who is calling, set by authentication (absent on public operations). */
      principal?: Principal;
      /** How far the route's permission let the principal reach. */
      reach?: Reach;
      /** The Idempotency-Key this request claimed, to store its response under. */
      idempotency?: Idempotency;
    }
  }
}

/** The Idempotency-Key a request claimed, and whose it is. */
export interface Idempotency {
  principal: string;
  key: string;
}

/** A request on its way through the pipeline (its query as parsed, then as validated). */
export type HttpRequest = Omit<Request, 'query'> & { query: Record<string, unknown> };

/**
 * How a handler answers. Calls chain; `send` ends the exchange (once). `Payload` is what `send`
 * takes: for a route of the spec, its response type (`RouteReply` in `platform/web/routes.ts`).
 */
export interface HttpReply<Payload = unknown> {
  code(status: number): this;
  header(name: string, value: string | number | readonly string[]): this;
  headers(values: Record<string, string>): this;
  type(contentType: string): this;
  /** An object is sent as JSON, a string or Buffer as is, nothing as an empty body. */
  send(payload?: Payload): this;
  readonly statusCode: number;
  getHeader(name: string): number | string | string[] | undefined;
  hasHeader(name: string): boolean;
  getHeaders(): OutgoingHttpHeaders;
  /** True once `send` was called (or the response taken over). */
  readonly sent: boolean;
  /** Milliseconds since the request arrived. */
  readonly elapsedTime: number;
  /** The response itself, for a stream or a socket: call `hijack()` first. */
  readonly raw: ServerResponse;
  /** The handler takes the response over (an event stream, a WebSocket). */
  hijack(): void;
}
