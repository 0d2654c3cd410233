/** `HttpReply` over Express's response: what a handler sends passes the `onSend` step first. */
import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { Request, Response } from 'express';
import type { HttpReply } from './types';

export type OnSend = (req: Request, reply: HttpReply, payload: string | Buffer | undefined) => Promise<void>;

const REPLIES = new WeakMap<Response, ExpressReply>();

/** The reply of a response, made once per request. */
export function replyOf(req: Request, res: Response, onSend?: OnSend): ExpressReply {
  let reply = REPLIES.get(res);
  if (!reply) {
    reply = new ExpressReply(req, res, onSend);
    REPLIES.set(res, reply);
  }
  return reply;
}

export class ExpressReply implements HttpReply {
  readonly #started = performance.now();
  #sending: Promise<void> | undefined;
  #hijacked = false;

  constructor(
    private readonly req: Request,
    private readonly res: Response,
    private readonly onSend?: OnSend,
  ) {}

  code(status: number): this {
    this.res.statusCode = status;
    return this;
  }

  header(name: string, value: string | number | readonly string[]): this {
    this.res.setHeader(name, value);
    return this;
  }

  headers(values: Record<string, string>): this {
    for (const [name, value] of Object.entries(values)) this.res.setHeader(name, value);
    return this;
  }

  type(contentType: string): this {
    this.res.setHeader('Content-Type', contentType);
    return this;
  }

  send(payload?: unknown): this {
    if (this.#sending || this.#hijacked || this.res.headersSent) return this;
    let body: string | Buffer | undefined;
    if (payload === undefined || payload === null) body = undefined;
    else if (Buffer.isBuffer(payload)) {
      body = payload;
      if (!this.res.hasHeader('content-type')) this.type('application/octet-stream');
    } else if (typeof payload === 'string') {
      body = payload;
      if (!this.res.hasHeader('content-type')) this.type('text/plain; charset=utf-8');
    } else {
      body = JSON.stringify(payload);
      if (!this.res.hasHeader('content-type')) this.type('application/json; charset=utf-8');
    }
    this.#sending = this.finish(body);
    return this;
  }

  private async finish(body: string | Buffer | undefined): Promise<void> {
    await this.onSend?.(this.req, this, body);
    if (body !== undefined) this.res.setHeader('Content-Length', Buffer.byteLength(body));
    else if (this.res.statusCode !== 204 && this.res.statusCode !== 304)
      this.res.setHeader('Content-Length', 0);
    this.res.end(body);
  }

  /** Resolves once what was sent is written (or at once when nothing was). */
  async done(): Promise<void> {
    await this.#sending;
  }

  get statusCode(): number {
    return this.res.statusCode;
  }

  getHeader(name: string): number | string | string[] | undefined {
    return this.res.getHeader(name);
  }

  hasHeader(name: string): boolean {
    return this.res.hasHeader(name);
  }

  getHeaders(): OutgoingHttpHeaders {
    return this.res.getHeaders();
  }

  get sent(): boolean {
    return this.#sending !== undefined || this.#hijacked || this.res.headersSent;
  }

  get elapsedTime(): number {
    return performance.now() - this.#started;
  }

  get raw(): ServerResponse {
    return this.res;
  }

  hijack(): void {
    this.#hijacked = true;
  }
}
