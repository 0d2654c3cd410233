/**
 * Errors that carry their HTTP status, problem type and default title, in the spirit of
 * RFC 9457. Services throw these; `problem-json.ts` alone turns them into responses.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9457
 */

/** One invalid field of a request, as listed in a problem's `errors[]`. */
export interface FieldError {
  in: 'body' | 'query' | 'path' | 'header';
  /** JSON Pointer within the location (`/email`) or the parameter's name (`limit`). */
  field: string;
  message: string;
}

export interface AppErrorOptions {
  /** Extra members of the problem document (`allowed_transitions`, `retry_after`, ...). */
  extensions?: Record<string, unknown>;
  errors?: FieldError[];
  headers?: Record<string, string>;
  cause?: unknown;
}

/** Base of every error the API answers on purpose. Unknown errors become a 500. */
export class AppError extends Error {
  static readonly status: number = 500;
  static readonly slug: string = 'internal';
  static readonly title: string = 'Internal server error';

  readonly status: number;
  readonly type: string;
  readonly title: string;
  readonly extensions: Record<string, unknown>;
  readonly errors: FieldError[] | undefined;
  readonly headers: Record<string, string>;

  constructor(detail: string, options: AppErrorOptions = {}) {
    super(detail, { cause: options.cause });
    const kind = new.target as typeof AppError;
    this.name = kind.name;
    this.status = kind.status;
    this.type = `${PROBLEM_BASE_URI}${kind.slug}`;
    this.title = kind.title;
    this.extensions = options.extensions ?? {};
    this.errors = options.errors;
    this.headers = options.headers ?? {};
  }
}

/** Base URI of problem types; each type is documented in docs/api-guide.md#errors. */
export const PROBLEM_BASE_URI = 'https://relais.invalid/problems/';

export class ValidationError extends AppError {
  static override readonly status = 400;
  static override readonly slug = 'validation';
  static override readonly title = 'Request validation failed';
}

export class BadRequestError extends AppError {
  static override readonly status = 400;
  static override readonly slug = 'bad-request';
  static override readonly title = 'Bad request';
}

export class UnauthorizedError extends AppError {
  static override readonly status = 401;
  static override readonly slug = 'unauthorized';
  static override readonly title = 'Authentication required';
}

export class ForbiddenError extends AppError {
  static override readonly status = 403;
  static override readonly slug = 'forbidden';
  static override readonly title = 'Not allowed';
}

export class NotFoundError extends AppError {
  static override readonly status = 404;
  static override readonly slug = 'not-found';
  static override readonly title = 'Not found';
}

export class MethodNotAllowedError extends AppError {
  static override readonly status = 405;
  static override readonly slug = 'method-not-allowed';
  static override readonly title = 'Method not allowed';
}

export class NotAcceptableError extends AppError {
  static override readonly status = 406;
  static override readonly slug = 'not-acceptable';
  static override readonly title = 'Not acceptable';
}

export class ConflictError extends AppError {
  static override readonly status = 409;
  static override readonly slug = 'conflict';
  static override readonly title = 'Conflict';
}

/** An idempotent retry of a request whose response held a secret shown once. */
export class SecretNotReplayedError extends AppError {
  static override readonly status = 409;
  static override readonly slug = 'secret-not-replayed';
  static override readonly title = 'Secret not replayed';
}

export class PreconditionFailedError extends AppError {
  static override readonly status = 412;
  static override readonly slug = 'precondition-failed';
  static override readonly title = 'Precondition failed';
}

export class PayloadTooLargeError extends AppError {
  static override readonly status = 413;
  static override readonly slug = 'payload-too-large';
  static override readonly title = 'Request body too large';
}

export class UnsupportedMediaTypeError extends AppError {
  static override readonly status = 415;
  static override readonly slug = 'unsupported-media-type';
  static override readonly title = 'Unsupported media type';
}

export class UnprocessableError extends AppError {
  static override readonly status = 422;
  static override readonly slug = 'unprocessable';
  static override readonly title = 'Request cannot be processed';
}

export class TooManyRequestsError extends AppError {
  static override readonly status = 429;
  static override readonly slug = 'rate-limited';
  static override readonly title = 'Too many requests';
}

export class ServiceUnavailableError extends AppError {
  static override readonly status = 503;
  static override readonly slug = 'unavailable';
  static override readonly title = 'Service temporarily unavailable';
}
