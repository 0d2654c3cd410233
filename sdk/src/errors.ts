import type { components } from './generated/openapi';

export type Problem = components['schemas']['Problem'];

/** One invalid field of a request, as the server lists it in a problem's `errors`. */
export interface FieldError {
  in: string;
  field: string;
  message: string;
}

const BRAND = Symbol.for('relais.error');

/**
 * Every failure of a Relais call: a problem the server answered (RFC 9457), or a connection that
 * failed or timed out. Subclasses say which kind; `isRelaisError` recognises them across copies of
 * the package.
 */
export class RelaisError extends Error {
  readonly [BRAND] = true;
  /** The HTTP status; 0 when no response arrived (connection failure, timeout). */
  readonly status: number;
  /** The problem type URI (`…/problems/validation`), or `about:blank` without a response. */
  readonly type: string;
  readonly title: string;
  readonly detail: string;
  /** The server's correlation id; quote it when reporting a failure. */
  readonly requestId: string | undefined;
  /** The fields the server refused, for validation failures. */
  readonly fieldErrors: readonly FieldError[];
  /** The problem document as the server sent it. */
  readonly problem: Problem | undefined;
  /** The response, when one arrived. */
  readonly response: Response | undefined;

  constructor(
    message: string,
    details: { status?: number; problem?: Problem; response?: Response; cause?: unknown } = {},
  ) {
    super(message, { cause: details.cause });
    this.name = new.target.name;
    this.status = details.status ?? details.problem?.status ?? 0;
    this.type = details.problem?.type ?? 'about:blank';
    this.title = details.problem?.title ?? message;
    this.detail = details.problem?.detail ?? message;
    this.requestId =
      details.problem?.request_id ?? details.response?.headers.get('x-request-id') ?? undefined;
    this.fieldErrors = (details.problem?.errors as FieldError[] | undefined) ?? [];
    this.problem = details.problem;
    this.response = details.response;
  }
}

/** 400 or 422: the request does not fit the contract; `fieldErrors` names each field. */
export class RelaisValidationError extends RelaisError {}
/** 401: no credential, or one that is invalid, expired or revoked. */
export class RelaisAuthenticationError extends RelaisError {}
/** 403: authenticated, but not allowed; `requiredPermission` names what was missing. */
export class RelaisPermissionError extends RelaisError {
  get requiredPermission(): string | undefined {
    return this.problem?.required_permission as string | undefined;
  }
}
/** 404: no such operation, or no such record visible to the caller. */
export class RelaisNotFoundError extends RelaisError {}
/** 409: the change conflicts with the record's state; `allowedTransitions` lists the way out. */
export class RelaisConflictError extends RelaisError {
  get allowedTransitions(): readonly string[] | undefined {
    return this.problem?.allowed_transitions as string[] | undefined;
  }
}
/** 412: `If-Match` no longer matches; `currentEtag` is the record's ETag now. */
export class RelaisPreconditionFailedError extends RelaisError {
  get currentEtag(): string | undefined {
    return this.problem?.current_etag as string | undefined;
  }
}
/** 429: too many requests; `retryAfter` is in seconds. */
export class RelaisRateLimitError extends RelaisError {
  get retryAfter(): number | undefined {
    return retryAfterSeconds(this.response);
  }
}
/** 5xx: the server failed or is unavailable. */
export class RelaisServerError extends RelaisError {}
/** No response: the connection failed. */
export class RelaisConnectionError extends RelaisError {}
/** No response in time (`timeout`). */
export class RelaisTimeoutError extends RelaisError {}

/** Whether `error` is a Relais error — from this copy of the package or any other. */
export function isRelaisError(error: unknown): error is RelaisError {
  return typeof error === 'object' && error !== null && (error as { [BRAND]?: unknown })[BRAND] === true;
}

/** The error for a failed response; `body` is its parsed body, used when it is a problem document. */
export function errorFromResponse(response: Response, body: unknown): RelaisError {
  const problem = isProblem(body) ? body : undefined;
  const status = response.status;
  const message = problem
    ? `${status} ${problem.title}: ${problem.detail}`
    : `${status} ${response.statusText || 'error'}`;
  const details = { status, problem, response };
  if (status === 400 || status === 422) return new RelaisValidationError(message, details);
  if (status === 401) return new RelaisAuthenticationError(message, details);
  if (status === 403) return new RelaisPermissionError(message, details);
  if (status === 404) return new RelaisNotFoundError(message, details);
  if (status === 409) return new RelaisConflictError(message, details);
  if (status === 412) return new RelaisPreconditionFailedError(message, details);
  if (status === 429) return new RelaisRateLimitError(message, details);
  if (status >= 500) return new RelaisServerError(message, details);
  return new RelaisError(message, details);
}

function isProblem(value: unknown): value is Problem {
  return typeof value === 'object' && value !== null && 'status' in value && 'title' in value;
}

/** `Retry-After` in seconds (delta or HTTP date), if the response has one. */
export function retryAfterSeconds(response: Response | undefined): number | undefined {
  const value = response?.headers.get('retry-after');
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, (date - Date.now()) / 1000);
}
