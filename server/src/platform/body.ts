/**
 * How request bodies are read. JSON (`application/json`, `application/*+json`) is parsed as UTF-8
 * into plain values, its bytes kept for idempotency fingerprints; any other type is left unparsed
 * (validation then answers 415 where the operation expects JSON). Routes declared with a raw body
 * (signed webhooks) get the bytes themselves, whatever the type, to check their signature first.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { UnsupportedMediaTypeError, ValidationError } from './errors';

const JSON_TYPES = ['application/json', /^application\/[\w.-]+\+json(\s*;|$)/i];

export function registerBodyParsers(app: FastifyInstance): void {
  app.removeAllContentTypeParsers();
  for (const type of JSON_TYPES) {
    app.addContentTypeParser(type, { parseAs: 'buffer' }, (req, body: Buffer, done) => {
      try {
        done(null, req.routeOptions.config.rawBody ? body : parseJson(req, body));
      } catch (error) {
        done(error as Error, undefined);
      }
    });
  }
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (req, body, done) => {
    done(null, req.routeOptions.config.rawBody ? body : undefined);
  });
}

function parseJson(req: FastifyRequest, bytes: Buffer): unknown {
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
