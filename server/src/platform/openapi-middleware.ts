/**
 * Express glue for the compiled contract, in two steps around authentication:
 * `matchOperation` finds the request's operation (404 for an unknown path, 405 with `Allow` for an
 * unknown method); `validateRequest` checks parameters and body (400 listing each failing field,
 * 415 for a body that is not JSON) before any handler runs.
 */
import type { RequestHandler } from 'express';
import { MethodNotAllowedError, NotFoundError, UnsupportedMediaTypeError, ValidationError } from './errors';
import { type OpenApiValidator, RequestValidationFailure } from './openapi';

export function matchOperation(validator: OpenApiValidator): RequestHandler {
  return (req, res, next) => {
    const match = validator.match(req.method, req.path);
    if (match.kind === 'not-found') {
      throw new NotFoundError(`There is no operation at ${req.path}. The API reference is at /docs.`);
    }
    if (match.kind === 'method-not-allowed') {
      const allow = match.allowed.map((method) => method.toUpperCase()).join(', ');
      if (req.method === 'OPTIONS') {
        res.setHeader('Allow', `${allow}, OPTIONS`).status(204).end();
        return;
      }
      throw new MethodNotAllowedError(`${req.method} is not supported on ${req.path}; use ${allow}.`, {
        headers: { Allow: allow },
      });
    }
    req.operation = {
      id: match.operation.id,
      pathTemplate: match.operation.pathTemplate,
      definition: match.operation.definition,
      pathParams: match.pathParams,
      compiled: match.operation,
    };
    next();
  };
}

export function validateRequest(validator: OpenApiValidator): RequestHandler {
  return (req, _res, next) => {
    const operation = req.operation;
    if (!operation) return next();
    try {
      const validated = validator.validateRequest(operation.compiled, {
        pathParams: operation.pathParams,
        query: req.query as Record<string, unknown>,
        headers: req.headers,
        contentType: req.get('content-type') ?? null,
        hasBody: hasBody(req.headers),
        body: req.body,
      });
      // Handlers read coerced, defaulted values from the usual places.
      Object.defineProperty(req, 'query', { value: validated.query, writable: true, configurable: true });
      req.validated = validated;
    } catch (error) {
      if (!(error instanceof RequestValidationFailure)) throw error;
      if (error.kind === 'unsupported-media-type') {
        throw new UnsupportedMediaTypeError(error.message, { errors: error.errors });
      }
      throw new ValidationError(error.message, { errors: error.errors });
    }
    next();
  };
}

function hasBody(headers: Record<string, string | string[] | undefined>): boolean {
  const length = headers['content-length'];
  return headers['transfer-encoding'] !== undefined || (length !== undefined && Number(length) > 0);
}
