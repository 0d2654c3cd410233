/**
 * Express glue for the compiled contract: every request under the spec is matched to its
 * operation and validated before any handler runs. Unknown paths get a 404 problem, unknown
 * methods a 405 with `Allow`, invalid input a 400 problem listing each failing field.
 */
import type { RequestHandler } from 'express';
import { MethodNotAllowedError, NotFoundError, UnsupportedMediaTypeError, ValidationError } from './errors';
import { type OpenApiValidator, RequestValidationFailure } from './openapi';

export function validateRequests(validator: OpenApiValidator): RequestHandler {
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
    const { operation, pathParams } = match;
    req.operation = {
      id: operation.id,
      pathTemplate: operation.pathTemplate,
      definition: operation.definition,
    };
    try {
      const validated = validator.validateRequest(operation, {
        pathParams,
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
