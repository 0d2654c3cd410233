/**
 * A single resource sent with its ETag, or 304 when the client already has that version
 * (`If-None-Match`). The tags themselves, and the `If-Match` check of writes: `core/versions.ts`.
 */
import type { HttpReply, HttpRequest } from '../../http/types';
import { listed, tagOf, textOf } from '../core/versions';
import { headerOf } from './routes';

/**
 * Sends a single resource with its ETag, or 304 when the client already has it. The representation
 * must be what the route's reply sends (its operation's response type).
 */
export function sendResource<Payload>(
  req: HttpRequest,
  reply: HttpReply<Payload>,
  representation: NoInfer<Exclude<Payload, string | Buffer | undefined>>,
  status = 200,
): void {
  const text = textOf(representation);
  const etag = tagOf(text);
  const answer: HttpReply = reply;
  answer.header('ETag', etag);
  const ifNoneMatch = headerOf(req, 'if-none-match');
  if (status === 200 && ifNoneMatch && listed(ifNoneMatch, etag)) answer.code(304).send();
  else answer.code(status).type(JSON_CONTENT_TYPE).send(text);
}

export const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';
