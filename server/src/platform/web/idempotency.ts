/**
 * Idempotency keys for POST (as Stripe does): the first request with a key runs and its response
 * (2xx or 4xx) is stored for 24 hours; a retry with the same key and the same body gets the stored
 * response again, with `Idempotent-Replayed: true`, and causes no second effect. The same key with
 * another body is a 422; a retry while the first is still running is a 409. A 5xx is not stored,
 * so the request can be retried. Keys are scoped to the principal that sent them.
 *
 * A response that shows a secret once (operations marked `x-one-time-secret`: API keys, embed
 * tokens) is not stored: only that it succeeded and its headers. A retry then gets 409
 * `secret-not-replayed` with the `Location` of what was created, and the secret never sits in the
 * database.
 *
 * `claim` runs before the handler, once the caller is known; `store` runs on the way out
 * (the reply's `onSend` step), with the response's status and body, before they are sent.
 */
import { createHash } from 'node:crypto';
import type { HttpReply, HttpRequest } from '../../http/types';
import { ConflictError, SecretNotReplayedError, UnprocessableError } from '../core/errors';
import { actorOf } from '../core/principal';
import type { Knex } from '../data/db';
import { headerOf } from './routes';

const TTL = "interval '24 hours'";
/** A request still marked in progress after this long is taken to have died with its process. */
const ABANDONED = "interval '2 minutes'";
const REPLAYED_HEADERS = ['location', 'etag'];

export function idempotency(db: Knex) {
  return {
    /** Claims the request's key, or answers with the response stored under it (then true). */
    async claim(req: HttpRequest, reply: HttpReply): Promise<boolean> {
      const key = headerOf(req, 'idempotency-key');
      if (req.method !== 'POST' || !key || !req.principal) return false;
      const actor = actorOf(req.principal);
      const principal = `${actor.type}:${actor.id}`;
      const fingerprint = createHash('sha256')
        .update(`${req.method} ${req.url.split('?')[0]}\n${req.rawBody?.toString('utf8') ?? ''}`)
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
      if (claimed.rows.length > 0) {
        req.idempotency = { principal, key };
        return false;
      }
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
      if (stored.secret_withheld) {
        throw new SecretNotReplayedError(
          'The request with this Idempotency-Key succeeded, and its response showed a secret once; secrets are not stored, so it cannot be shown again. Revoke what was created if the secret was lost, and create another with a new key.',
          { headers: (stored.response_headers ?? {}) as Record<string, string> },
        );
      }
      reply
        .headers((stored.response_headers ?? {}) as Record<string, string>)
        .header('Idempotent-Replayed', 'true')
        .code(stored.response_status);
      if (stored.response_body === null) reply.send();
      else
        reply
          .type(
            stored.response_status >= 400 ? 'application/problem+json' : 'application/json; charset=utf-8',
          )
          .send(JSON.stringify(stored.response_body));
      return true;
    },

    /** Stores the response of a request that claimed a key (a 5xx frees the key instead). */
    async store(req: HttpRequest, reply: HttpReply, payload: unknown): Promise<void> {
      const claimed = req.idempotency;
      if (!claimed) return;
      req.idempotency = undefined;
      const where = { principal: claimed.principal, key: claimed.key };
      if (reply.statusCode >= 500) {
        await db('idempotency_keys').where(where).delete();
        return;
      }
      const headers = Object.fromEntries(
        REPLAYED_HEADERS.filter((name) => reply.hasHeader(name)).map((name) => [
          name,
          String(reply.getHeader(name)),
        ]),
      );
      const withheld = reply.statusCode < 300 && req.operation?.definition['x-one-time-secret'] === true;
      const json = withheld
        ? null
        : typeof payload === 'string' && payload !== ''
          ? payload
          : Buffer.isBuffer(payload)
            ? payload.toString('utf8')
            : null;
      await db('idempotency_keys')
        .where(where)
        .update({
          response_status: reply.statusCode,
          response_body: json,
          response_headers: JSON.stringify(headers),
          secret_withheld: withheld,
          completed_at: db.fn.now(),
        });
    },
  };
}

/** Forgets keys past their 24 hours; returns how many. */
export function pruneIdempotencyKeys(db: Knex): Promise<number> {
  return db('idempotency_keys').where('created_at', '<', db.raw("now() - interval '24 hours'")).delete();
}
