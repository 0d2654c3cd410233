/**
 * Idempotency keys for POST (as Stripe does): the first request with a key runs and its response
 * (2xx or 4xx) is stored for 24 hours; a retry with the same key and the same body gets the stored
 * response again, with `Idempotent-Replayed: true`, and causes no second effect. The same key with
 * another body is a 422; a retry while the first is still running is a 409. A 5xx is not stored,
 * so the request can be retried. Keys are scoped to the principal that sent them.
 */
import { createHash } from 'node:crypto';
import type { RequestHandler, Response } from 'express';
import type { Knex } from './db';
import { ConflictError, UnprocessableError } from './errors';
import { actorOf } from './principal';

const TTL = "interval '24 hours'";
/** A request still marked in progress after this long is taken to have died with its process. */
const ABANDONED = "interval '2 minutes'";
const REPLAYED_HEADERS = ['location', 'etag'];

export function idempotency(db: Knex): RequestHandler {
  return async (req, res, next) => {
    const key = req.get('idempotency-key');
    if (req.method !== 'POST' || !key || !req.principal) return next();
    const actor = actorOf(req.principal);
    const principal = `${actor.type}:${actor.id}`;
    const fingerprint = createHash('sha256')
      .update(`${req.method} ${req.path}\n${req.rawBody?.toString('utf8') ?? ''}`)
      .digest('hex');

    const claimed = await db.raw(
      `INSERT INTO idempotency_keys (principal, key, fingerprint) VALUES (?, ?, ?)
       ON CONFLICT (principal, key) DO UPDATE SET fingerprint = EXCLUDED.fingerprint, created_at = now(),
         response_status = NULL, response_body = NULL, response_headers = NULL, completed_at = NULL
       WHERE idempotency_keys.created_at < now() - ${TTL}
          OR (idempotency_keys.completed_at IS NULL AND idempotency_keys.created_at < now() - ${ABANDONED})
       RETURNING key`,
      [principal, key, fingerprint],
    );
    if (claimed.rows.length === 0) {
      const stored = await db('idempotency_keys').where({ principal, key }).first();
      if (stored.fingerprint !== fingerprint) {
        throw new UnprocessableError(
          'This Idempotency-Key was used with another request; use a new key for a new request.',
        );
      }
      if (stored.completed_at === null) {
        throw new ConflictError('A request with this Idempotency-Key is still in progress; retry shortly.', {
          headers: { 'Retry-After': '1' },
        });
      }
      for (const [name, value] of Object.entries((stored.response_headers ?? {}) as Record<string, string>))
        res.setHeader(name, value);
      res.setHeader('Idempotent-Replayed', 'true');
      res.status(stored.response_status);
      if (stored.response_body === null) res.end();
      else
        res
          .type(stored.response_status >= 400 ? 'application/problem+json' : 'application/json')
          .send(JSON.stringify(stored.response_body));
      return;
    }
    captureResponse(res, async (status, json) => {
      if (status >= 500) {
        await db('idempotency_keys').where({ principal, key }).delete();
        return;
      }
      const headers = Object.fromEntries(
        REPLAYED_HEADERS.filter((name) => res.getHeader(name) !== undefined).map((name) => [
          name,
          String(res.getHeader(name)),
        ]),
      );
      await db('idempotency_keys')
        .where({ principal, key })
        .update({
          response_status: status,
          response_body: json ?? null,
          response_headers: JSON.stringify(headers),
          completed_at: db.fn.now(),
        });
    });
    next();
  };
}

/**
 * Runs `store` with the response's status and JSON text before the response is sent. Every JSON
 * response passes through `res.send` (`res.json` and `sendResource` alike); a bodiless one ends.
 */
function captureResponse(
  res: Response,
  store: (status: number, json: string | undefined) => Promise<void>,
): void {
  const send = res.send.bind(res);
  const end = res.end.bind(res) as (...args: unknown[]) => Response;
  let stored = false;
  res.send = (body?: unknown) => {
    if (stored) return send(body);
    stored = true;
    const json =
      body === undefined
        ? undefined
        : typeof body === 'string' || Buffer.isBuffer(body)
          ? String(body)
          : JSON.stringify(body);
    store(res.statusCode, json).then(
      () => send(body),
      () => send(body),
    );
    return res;
  };
  res.end = ((...args: unknown[]) => {
    if (stored || res.headersSent) return end(...args);
    stored = true;
    store(res.statusCode, undefined).then(
      () => end(...args),
      () => end(...args),
    );
    return res;
  }) as Response['end'];
}
