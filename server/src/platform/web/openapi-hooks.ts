/**
 * The compiled contract on the request's way in. Each route knows its operation from the start
 * (`createApp` pairs them at boot); `answerUnrouted` answers what no route serves (404 for an
 * unknown path, 405 with `Allow` for an unknown method), and `validateRequest` checks parameters
 * and body (400 listing each failing field, 415 for a body that is not JSON) before any handler
 * runs.
 */
import type { HttpReply, HttpRequest } from '../../http/types';
import {
  AppError,
  MethodNotAllowedError,
  NotFoundError,
  UnsupportedMediaTypeError,
  ValidationError,
} from '../core/errors';
import { type OpenApiValidator, RequestValidationFailure } from './openapi';

class NotImplementedError extends AppError {
  static override readonly status = 501;
  static override readonly slug = 'not-implemented';
  static override readonly title = 'Not implemented';
}

/** For the app's not-found handler: why no route serves this request. */
export function answerUnrouted(validator: OpenApiValidator) {
  return (req: HttpRequest, reply: HttpReply): void => {
    const path = req.url.split('?')[0] ?? req.url;
    const match = validator.match(req.method, path);
    if (match.kind === 'not-found') {
      throw new NotFoundError(`There is no operation at ${path}. The API reference is at /docs.`);
    }
    if (match.kind === 'method-not-allowed') {
      const allow = match.allowed.map((method) => method.toUpperCase()).join(', ');
      if (req.method === 'OPTIONS') {
        reply.header('Allow', `${allow}, OPTIONS`).code(204).send();
        return;
      }
      throw new MethodNotAllowedError(`${req.method} is not supported on ${path}; use ${allow}.`, {
        headers: { Allow: allow },
      });
    }
    throw new NotImplementedError(`${match.operation.id} is declared in the API but not served yet.`);
  };
}

/** Validates the request against its operation; handlers then read coerced, defaulted values. */
export function validateRequest(validator: OpenApiValidator, req: HttpRequest): void {
  const operation = req.operation;
  if (!operation) return;
  try {
    const validated = validator.validateRequest(operation, {
      pathParams: req.params as Record<string, string>,
      query: req.query as Record<string, unknown>,
      headers: req.headers,
      contentType: req.headers['content-type'] ?? null,
      hasBody: hasBody(req.headers),
      body: req.body,
    });
    // From here on `req.query` reads the validated query (`http/app.ts`).
    req.validated = validated;
  } catch (error) {
    if (!(error instanceof RequestValidationFailure)) throw error;
    if (error.kind === 'unsupported-media-type') {
      throw new UnsupportedMediaTypeError(error.message, { errors: error.errors });
    }
    throw new ValidationError(error.message, { errors: error.errors });
  }
}

function hasBody(headers: Record<string, string | string[] | undefined>): boolean {
  const length = headers['content-length'];
  return headers['transfer-encoding'] !== undefined || (length !== undefined && Number(length) > 0);
}
