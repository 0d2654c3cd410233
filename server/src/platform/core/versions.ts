/**
 * Entity tags for optimistic concurrency: a strong ETag is a hash of a resource's JSON
 * representation. A GET sends it (`web/etag.ts`); a PATCH or DELETE with `If-Match` goes ahead only
 * if the resource still has that tag (RFC 9110 §13.1), checked by the service in its transaction.
 */
import { createHash } from 'node:crypto';
import { PreconditionFailedError } from './errors';

/**
 * A representation already serialised: its ETag and its body are taken from the same text. `T` is
 * what the text holds, for the compiler only.
 */
export class Json<T = unknown> {
  declare readonly of?: T;
  constructor(readonly text: string) {}
}

/** The JSON text of a representation. */
export const textOf = (representation: unknown): string =>
  representation instanceof Json ? representation.text : JSON.stringify(representation);

/** The strong ETag of a representation's JSON text. */
export const tagOf = (text: string): string =>
  `"${createHash('sha256').update(text).digest('base64url').slice(0, 27)}"`;

export function etagOf(representation: unknown): string {
  return tagOf(textOf(representation));
}

/** Whether an `If-Match` / `If-None-Match` header names `etag` (or `*`). */
export function listed(header: string, etag: string): boolean {
  const tags = header.split(',').map((tag) => tag.trim().replace(/^W\//, ''));
  return tags.includes('*') || tags.includes(etag);
}

/** Throws 412 when `If-Match` is given and names another version than `current`. */
export function assertIfMatch(ifMatch: string | undefined, current: unknown): void {
  if (ifMatch === undefined) return;
  const etag = etagOf(current);
  if (!listed(ifMatch, etag)) {
    throw new PreconditionFailedError(
      'The resource has changed since you read it; GET it again and reapply your change.',
      {
        extensions: { current_etag: etag },
      },
    );
  }
}
