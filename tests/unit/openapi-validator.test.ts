import { describe, expect, it } from 'vitest';
import {
  type CompiledOperation,
  type OpenApiDocument,
  OpenApiValidator,
  RequestValidationFailure,
} from '../../server/src/platform/web/openapi';

const document: OpenApiDocument = {
  openapi: '3.1.0',
  info: { title: 'fixture', version: '1' },
  paths: {
    '/v1/things': {
      get: {
        operationId: 'listThings',
        parameters: [
          { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 100, default: 25 } },
          {
            name: 'status',
            in: 'query',
            schema: { type: 'array', items: { enum: ['open', 'done'] } },
            explode: false,
          },
        ],
        responses: { '200': { content: { 'application/json': { schema: { type: 'object' } } } } },
      },
      post: {
        operationId: 'createThing',
        requestBody: {
          required: true,
          content: { 'application/json': { schema: { $ref: '#/components/schemas/Thing' } } },
        },
        responses: {
          '201': { content: { 'application/json': { schema: { $ref: '#/components/schemas/Thing' } } } },
        },
      },
    },
    '/v1/things/{id}': {
      get: {
        operationId: 'getThing',
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }],
        responses: {
          '200': { content: { 'application/json': { schema: { $ref: '#/components/schemas/Thing' } } } },
        },
      },
    },
    '/v1/things/recent': {
      get: { operationId: 'recentThings', responses: { '200': { description: 'ok' } } },
    },
  },
  components: {
    schemas: {
      Thing: {
        type: 'object',
        required: ['id', 'name', 'password'],
        additionalProperties: false,
        properties: {
          id: { type: 'string', readOnly: true },
          name: { type: 'string', minLength: 1 },
          email: { type: 'string', format: 'email' },
          kind: { enum: ['a', 'b'] },
          at: { type: 'string', format: 'date-time' },
          password: { type: 'string', writeOnly: true },
        },
      },
    },
  },
};

const validator = new OpenApiValidator(document);

function operation(
  method: string,
  path: string,
): { operation: CompiledOperation; pathParams: Record<string, string> } {
  const match = validator.match(method, path);
  if (match.kind !== 'operation') throw new Error(`no operation for ${method} ${path}`);
  return match;
}

function failure(run: () => unknown): RequestValidationFailure {
  try {
    run();
  } catch (error) {
    if (error instanceof RequestValidationFailure) return error;
    throw error;
  }
  throw new Error('expected the request to be refused');
}

const json = (body: unknown) => ({
  pathParams: {},
  query: {},
  headers: {},
  contentType: 'application/json',
  hasBody: true,
  body,
});

describe('OpenApiValidator.match', () => {
  it('prefers a literal segment over a template', () => {
    expect(operation('GET', '/v1/things/recent').operation.id).toBe('recentThings');
    expect(operation('GET', '/v1/things/abc').pathParams).toEqual({ id: 'abc' });
  });

  it('tells a wrong method from an unknown path', () => {
    expect(validator.match('DELETE', '/v1/things')).toEqual({
      kind: 'method-not-allowed',
      allowed: ['get', 'post'],
    });
    expect(validator.match('GET', '/v1/nothing')).toEqual({ kind: 'not-found' });
  });

  it('treats HEAD as GET and ignores a trailing slash', () => {
    expect(operation('HEAD', '/v1/things/').operation.id).toBe('listThings');
  });
});

describe('OpenApiValidator.validateRequest', () => {
  it('lists every failing body field with a message that says what is accepted', () => {
    const { operation: create } = operation('POST', '/v1/things');
    const error = failure(() =>
      validator.validateRequest(
        create,
        json({ name: '', email: 'nope', kind: 'c', at: 'yesterday', extra: 1 }),
      ),
    );
    expect(error.errors).toEqual(
      expect.arrayContaining([
        { in: 'body', field: '/name', message: 'must be at least 1 characters long' },
        { in: 'body', field: '/email', message: 'must be an email address' },
        { in: 'body', field: '/kind', message: 'must be one of: a, b' },
        { in: 'body', field: '/at', message: 'must be an RFC 3339 date-time such as 2026-11-21T09:30:00Z' },
        { in: 'body', field: '/extra', message: 'is not a known field; remove it' },
        { in: 'body', field: '/password', message: 'is required' },
      ]),
    );
  });

  it('refuses a read-only field instead of dropping it silently', () => {
    const { operation: create } = operation('POST', '/v1/things');
    const error = failure(() =>
      validator.validateRequest(create, json({ id: 'mine', name: 'x', password: 'p' })),
    );
    expect(error.errors).toEqual([
      { in: 'body', field: '/id', message: 'is read-only: the server sets it; remove it from the request' },
    ]);
  });

  it('answers an unsupported content type as such', () => {
    const { operation: create } = operation('POST', '/v1/things');
    const error = failure(() =>
      validator.validateRequest(create, {
        ...json('name=x'),
        contentType: 'application/x-www-form-urlencoded',
      }),
    );
    expect(error.kind).toBe('unsupported-media-type');
  });

  it('requires a body where the operation declares one, and refuses one where it does not', () => {
    const { operation: create } = operation('POST', '/v1/things');
    expect(
      failure(() => validator.validateRequest(create, { ...json(undefined), hasBody: false })).errors[0]
        ?.message,
    ).toBe('a JSON request body is required');
    const { operation: list } = operation('GET', '/v1/things');
    expect(failure(() => validator.validateRequest(list, json({ a: 1 }))).errors[0]?.message).toMatch(
      /takes no request body/,
    );
  });

  it('coerces query strings, fills defaults, splits comma lists and names unknown parameters', () => {
    const { operation: list } = operation('GET', '/v1/things');
    const parsed = validator.validateRequest(list, {
      ...json(undefined),
      hasBody: false,
      query: { status: 'open,done' },
    });
    expect(parsed.query).toEqual({ limit: 25, status: ['open', 'done'] });
    const error = failure(() =>
      validator.validateRequest(list, {
        ...json(undefined),
        hasBody: false,
        query: { limit: '500', sort: 'name' },
      }),
    );
    expect(error.errors).toEqual([
      {
        in: 'query',
        field: 'sort',
        message: 'is not a parameter of this operation; accepted: limit, status',
      },
      { in: 'query', field: 'limit', message: 'must be <= 100' },
    ]);
  });

  it('checks path parameters against their format', () => {
    const { operation: get, pathParams } = operation('GET', '/v1/things/42');
    const error = failure(() =>
      validator.validateRequest(get, { ...json(undefined), hasBody: false, pathParams }),
    );
    expect(error.errors[0]).toMatchObject({ in: 'path', field: 'id' });
  });
});

describe('OpenApiValidator.validateResponse', () => {
  it('never lets a write-only field out', () => {
    const problems = validator.validateResponse({
      method: 'GET',
      path: '/v1/things/0b9e4f8c-3c7a-4c52-9d0e-6f1d2a3b4c5d',
      status: 200,
      contentType: 'application/json',
      body: { id: '1', name: 'x', password: 'secret' },
    });
    expect(problems.join()).toMatch(/password/);
  });

  it('flags undeclared statuses and content types', () => {
    const base = { method: 'GET', path: '/v1/things', body: {} };
    expect(validator.validateResponse({ ...base, status: 200, contentType: 'application/json' })).toEqual([]);
    expect(validator.validateResponse({ ...base, status: 418, contentType: 'application/json' })[0]).toMatch(
      /not declared/,
    );
    expect(validator.validateResponse({ ...base, status: 200, contentType: 'text/plain' })[0]).toMatch(
      /content type/,
    );
  });
});
