/**
 * Entity tags for optimistic concurrency: a strong ETag is a hash of a resource's JSON
 * representation. GET sends it (and answers 304 to a matching If-None-Match); PATCH and DELETE
 * with `If-Match` go ahead only if the resource still has that tag (RFC 9110 §13.1).
 */
import { createHash } from 'node:crypto';
import type { HttpReply, HttpRequest } from '../http/types';
import { PreconditionFailedError } from './errors';
import { headerOf } from './routes';

/** A representation already serialised: its ETag and its body are taken from the same text. */
export class Json {
  constructor(readonly text: string) {}
}

const textOf = (representation: unknown): string =>
  representation instanceof Json ? representation.text : JSON.stringify(representation);

const tagOf = (text: string): string =>
  `"${createHash('sha256').update(text).digest('base64url').slice(0, 27)}"`;

export function etagOf(representation: unknown): string {
  return tagOf(textOf(representation));
}

function listed(header: string, etag: string): boolean {
  const tags = header.split(',').map((tag) => tag.trim().replace(/^W\//, ''));
  return tags.includes('*') || tags.includes(etag);
}

/** Sends a single resource with its ETag, or 304 when the client already has it. */
export function sendResource(
  req: HttpRequest,
  reply: HttpReply,
  representation: unknown,
  status = 200,
): HttpReply {
  const text = textOf(representation);
  const etag = tagOf(text);
  reply.header('ETag', etag);
  const ifNoneMatch = headerOf(req, 'if-none-match');
  if (status === 200 && ifNoneMatch && listed(ifNoneMatch, etag)) return reply.code(304).send();
  return reply.code(status).type(JSON_CONTENT_TYPE).send(text);
}

export const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

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
