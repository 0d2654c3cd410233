/**
 * The one place that writes errors on the wire: every error becomes an RFC 9457
 * `application/problem+json` document with `request_id`, and `errors[]` for validation. Unknown
 * errors are logged once, with their cause, and answered as a bare 500 — never with a stack.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9457
 */
import type { HttpReply, HttpRequest } from '../../http/types';
import {
  AppError,
  BadRequestError,
  ConflictError,
  PayloadTooLargeError,
  ServiceUnavailableError,
  UnsupportedMediaTypeError,
} from '../core/errors';
import { pgErrorCode } from '../data/db';
import { captureError } from '../runtime/sentry';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** Writes a problem document for `error` on `reply`. */
export function sendProblem(req: HttpRequest, reply: HttpReply, error: AppError): HttpReply {
  return reply
    .headers(error.headers)
    .code(error.status)
    .type(PROBLEM_CONTENT_TYPE)
    .send(
      JSON.stringify({
        type: error.type,
        title: error.title,
        status: error.status,
        detail: error.message,
        instance: req.url.split('?')[0],
        request_id: req.id,
        ...(error.errors ? { errors: error.errors } : {}),
        ...error.extensions,
      }),
    );
}

/** The app's error handler: whatever a hook or a handler throws ends here. */
export function handleError(error: unknown, req: HttpRequest, reply: HttpReply): HttpReply | undefined {
  const problem = toAppError(error);
  if (problem.status >= 500) {
    req.log.error({ err: error }, 'request failed');
    if (problem.status === 500) {
      captureError(error, {
        requestId: String(req.id),
        principal: req.principal,
        method: req.method,
        route: req.operation?.pathTemplate,
      });
    }
  } else {
    req.log.debug({ problem: problem.type, detail: problem.message }, 'request refused');
  }
  if (reply.raw.headersSent) {
    reply.raw.destroy();
    return undefined;
  }
  return sendProblem(req, reply, problem);
}

/** PostgreSQL errors that mean the request was wrong, not the server. */
const PG_CLIENT_ERRORS: Record<string, (detail: string) => AppError> = {
  '22P02': () => new BadRequestError('A value has the wrong format for its field.'),
  '22007': () => new BadRequestError('A date or time value is not valid.'),
  '22008': () => new BadRequestError('A date or time value is out of range.'),
  '22003': () => new BadRequestError('A number is out of range.'),
  '22001': () => new BadRequestError('A value is too long for its field.'),
  '23505': () => new ConflictError('A record with the same unique value already exists.'),
  '23514': () =>
    new BadRequestError(
      'The values break a rule of the record (for example a start date after an end date).',
    ),
  '23502': () => new BadRequestError('A required value is missing.'),
  '22021': () =>
    new BadRequestError('A text value contains a character the database cannot store (such as NUL).'),
  '22P05': () =>
    new BadRequestError('A text value contains a character the database cannot store (such as NUL).'),
  '54000': () => new BadRequestError('A value is too large to store or index.'),
  '23503': () =>
    new ConflictError('The change refers to a record that does not exist or is still referenced.'),
};

/** PostgreSQL errors that mean "try again later" (connection lost, shutting down, overloaded). */
const PG_RETRYABLE = new Set([
  '57P01',
  '57P02',
  '57P03',
  '53300',
  '08000',
  '08003',
  '08006',
  '40001',
  '40P01',
]);

/** Maps anything thrown to the AppError that will be rendered. */
export function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  const candidate = error as {
    status?: number;
    statusCode?: number;
    code?: string;
    message?: string;
    expose?: boolean;
  };
  // The body reader's refusals (body-parser: too large, bad length, unsupported encoding).
  switch ((candidate as { type?: string })?.type) {
    case 'entity.too.large':
      return new PayloadTooLargeError(
        'The request body is larger than this API accepts; send a smaller body.',
      );
    case 'request.size.invalid':
      return new BadRequestError('The Content-Length header does not match the body sent.');
    case 'encoding.unsupported':
      return new UnsupportedMediaTypeError(
        'This Content-Encoding is not accepted; send the body uncompressed.',
      );
    case 'request.aborted':
      return new BadRequestError('The request body was not sent whole.');
  }
  // The router's refusal of a path it cannot decode (`Failed to decode param …`).
  if (error instanceof URIError || (candidate?.status === 400 && /decode/i.test(candidate.message ?? '')))
    return new BadRequestError('The URL is malformed: check its percent-encoding.');
  if (candidate?.code === 'ECONNRESET' && candidate.message === 'aborted')
    return new BadRequestError('The request was aborted by the client.');
  const code = pgErrorCode(error);
  if (code) {
    const mapped = PG_CLIENT_ERRORS[code];
    if (mapped) return mapped(candidate.message ?? '');
    if (PG_RETRYABLE.has(code) || ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT'].includes(code)) {
      return new ServiceUnavailableError('The database is unavailable; retry shortly.', {
        headers: { 'Retry-After': '5' },
      });
    }
  }
  if (candidate?.message?.startsWith('Knex: Timeout acquiring a connection')) {
    return new ServiceUnavailableError('The server is overloaded; retry shortly.', {
      headers: { 'Retry-After': '2' },
    });
  }
  const status = candidate?.statusCode ?? (candidate?.expose ? candidate.status : undefined);
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return new BadRequestError(candidate.message ?? 'Bad request');
  }
  return new AppError('An unexpected error occurred. Quote the request_id when reporting it.');
}
