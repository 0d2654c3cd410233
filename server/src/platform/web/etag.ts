/**
 * A single resource sent with its ETag, or 304 when the client already has that version
 * (`If-None-Match`). The tags themselves, and the `If-Match` check of writes: `core/versions.ts`.
 */
import type { HttpReply, HttpRequest } from '../../http/types';
import { listed, tagOf, textOf } from '../core/versions';
import { headerOf } from './routes';

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
