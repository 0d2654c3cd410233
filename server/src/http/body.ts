/**
 * How request bodies are read. JSON (`application/json`, `application/*+json`) is parsed as UTF-8
 * into plain values, its bytes kept for idempotency fingerprints; any other type is left unparsed
 * (validation then answers 415 where the operation expects JSON). Routes declared with a raw body
 * (signed webhooks) get the bytes themselves, whatever the type, to check their signature first.
 */
import express, { type RequestHandler } from 'express';
import { UnsupportedMediaTypeError, ValidationError } from '../platform/core/errors';
import type { HttpRequest } from './types';

const JSON_TYPE = /^application\/(json|[\w.-]+\+json)(\s*;|$)/i;

/** Reads the body (up to `limit` bytes) into `req.body`: parsed JSON, raw bytes, or nothing. */
export function bodyReader(limit: number, raw: boolean): RequestHandler {
  const read = express.raw({ type: () => true, limit, inflate: false });
  return (req, res, next) => {
    read(req, res, (error?: unknown) => {
      if (error) return next(error);
      const bytes = Buffer.isBuffer(req.body) ? req.body : undefined;
      if (raw) {
        req.body = bytes;
        req.rawBody = bytes;
      } else if (bytes && JSON_TYPE.test(req.headers['content-type'] ?? '')) {
        try {
          req.body = parseJson(req, bytes);
        } catch (parseError) {
          return next(parseError);
        }
      } else req.body = undefined;
      next();
    });
  };
}

function parseJson(req: HttpRequest, bytes: Buffer): unknown {
  req.rawBody = bytes;
  const charset = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(req.headers['content-type'] ?? '')?.[1];
  if (charset && !/^utf-?8$/i.test(charset)) {
    throw new UnsupportedMediaTypeError(`Unsupported charset "${charset.toUpperCase()}"; send UTF-8 JSON.`);
  }
  if (bytes.length === 0) return undefined;
  const text = bytes.toString('utf8');
  try {
    // As strict JSON APIs do, only an object or an array is a body.
    if (!/^[\s]*[{[]/.test(text))
      throw new SyntaxError(
        `Unexpected token '${text.trim().charAt(0)}', a body must be an object or an array`,
      );
    return JSON.parse(text);
  } catch (error) {
    throw new ValidationError(`The request body is not valid JSON: ${(error as Error).message}.`, {
      errors: [{ in: 'body', field: '', message: 'is not valid JSON' }],
    });
  }
}
