/**
 * The one place that writes errors on the wire: every error becomes an RFC 9457
 * `application/problem+json` document with `request_id`, and `errors[]` for validation. Unknown
 * errors are logged once, with their cause, and answered as a bare 500 — never with a stack.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9457
 */
import type { ErrorRequestHandler, Request, Response } from 'express';
import { pgErrorCode } from './db';
import {
  AppError,
  BadRequestError,
  ConflictError,
  PayloadTooLargeError,
  ServiceUnavailableError,
  UnsupportedMediaTypeError,
  ValidationError,
} from './errors';
import { captureError } from './sentry';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** Writes a problem document for `error` on `res`. */
export function sendProblem(req: Request, res: Response, error: AppError): void {
  for (const [name, value] of Object.entries(error.headers)) res.setHeader(name, value);
  res
    .status(error.status)
    .type(PROBLEM_CONTENT_TYPE)
    .json({
      type: error.type,
      title: error.title,
      status: error.status,
      detail: error.message,
      instance: req.originalUrl.split('?')[0],
      request_id: req.id,
      ...(error.errors ? { errors: error.errors } : {}),
      ...error.extensions,
    });
}

/** The last middleware of the app. */
export function problemHandler(): ErrorRequestHandler {
  return (error, req, res, _next) => {
    const problem = toAppError(error);
    if (problem.status >= 500) {
      req.log?.error({ err: error }, 'request failed');
      if (problem.status === 500) {
        captureError(error, {
          requestId: String(req.id),
          principal: req.principal,
          method: req.method,
          route: req.operation?.pathTemplate,
        });
      }
    } else {
      req.log?.debug({ problem: problem.type, detail: problem.message }, 'request refused');
    }
    if (res.headersSent) {
      res.destroy();
      return;
    }
    sendProblem(req, res, problem);
  };
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
    type?: string;
    status?: number;
    code?: string;
    message?: string;
    expose?: boolean;
  };
  // body-parser errors (invalid JSON, too large, bad charset) carry `type` and `status`.
  switch (candidate?.type) {
    case 'entity.parse.failed':
      return new ValidationError(`The request body is not valid JSON: ${candidate.message}.`, {
        errors: [{ in: 'body', field: '', message: 'is not valid JSON' }],
      });
    case 'entity.too.large':
      return new PayloadTooLargeError(
        'The request body is larger than this API accepts; send a smaller body.',
      );
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new UnsupportedMediaTypeError(`${candidate.message}; send UTF-8 JSON.`);
    case 'request.aborted':
      return new BadRequestError('The request was aborted by the client.');
  }
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
  if (
    candidate?.expose &&
    typeof candidate.status === 'number' &&
    candidate.status >= 400 &&
    candidate.status < 500
  ) {
    return new BadRequestError(candidate.message ?? 'Bad request');
  }
  return new AppError('An unexpected error occurred. Quote the request_id when reporting it.');
}
