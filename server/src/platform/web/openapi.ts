/**
 * The contract, compiled: every operation of `openapi/openapi.yaml` with AJV validators for its
 * parameters, body and responses. Requests are checked before any handler runs; tests check every
 * response with the same document.
 *
 * Request and response schemas are compiled apart so that `readOnly` properties are refused in
 * requests (a client may not set server-owned fields) and `writeOnly` ones (passwords) can never
 * appear in a response.
 *
 * @see https://spec.openapis.org/oas/v3.1.0
 */
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { openApiDocumentJson } from '../../generated/openapi-document';
import type { FieldError } from '../core/errors';
import type { SpecSchemaName } from './spec-types';

// ajv-formats is CommonJS with a default export; bundlers and Node disagree on its shape.
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ??
  addFormatsModule) as unknown as (ajv: Ajv2020) => void;

export type JsonSchema = Record<string, unknown> | boolean;
export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';
export const HTTP_METHODS: readonly HttpMethod[] = ['get', 'post', 'put', 'patch', 'delete'];
type ParameterLocation = 'path' | 'query' | 'header';

interface ParameterObject {
  name: string;
  in: ParameterLocation | 'cookie';
  required?: boolean;
  schema?: JsonSchema;
  explode?: boolean;
  style?: string;
  $ref?: string;
}

interface MediaTypeObject {
  schema?: JsonSchema;
}

interface OperationObject {
  operationId: string;
  parameters?: ParameterObject[];
  requestBody?: { required?: boolean; content: Record<string, MediaTypeObject>; $ref?: string };
  responses: Record<
    string,
    { description?: string; content?: Record<string, MediaTypeObject>; $ref?: string }
  >;
  security?: Record<string, string[]>[];
  [extension: `x-${string}`]: unknown;
}

export interface OpenApiDocument {
  openapi: '3.1.0';
  info: Record<string, unknown>;
  paths: Record<string, Partial<Record<HttpMethod, OperationObject>> & { parameters?: ParameterObject[] }>;
  components: {
    schemas?: Record<string, JsonSchema>;
    parameters?: Record<string, ParameterObject>;
    responses?: Record<string, { content?: Record<string, MediaTypeObject> }>;
    requestBodies?: Record<string, OperationObject['requestBody']>;
    securitySchemes?: Record<string, unknown>;
  };
  security?: Record<string, string[]>[];
}

/** The API description served at `/openapi.json`, as generated from `openapi/openapi.yaml`. */
export const openApiDocument = openApiDocumentJson as OpenApiDocument;

/**
 * The columns of `table` named by the properties of one of the spec's object schemas, in the
 * spec's order (`email_events.id`, …): for a resource whose table names its fields as the API does.
 */
export function schemaColumns<N extends SpecSchemaName>(name: N, table: string): string[] {
  const schema = openApiDocument.components.schemas?.[name];
  const properties = typeof schema === 'object' ? schema.properties : undefined;
  if (!properties || typeof properties !== 'object') throw new Error(`the spec's ${name} has no properties`);
  return Object.keys(properties).map((property) => `${table}.${property}`);
}

interface CompiledParameters {
  validate: ValidateFunction;
  names: Map<string, ParameterObject>;
  /** Parameters whose schema is an integer (or an array of them): sent as digits only. */
  integers: Set<string>;
}

export interface CompiledOperation {
  id: string;
  method: HttpMethod;
  pathTemplate: string;
  /** The operation object itself, for `x-` extensions and security. */
  definition: OperationObject;
  path: CompiledParameters;
  query: CompiledParameters;
  header: CompiledParameters;
  /**
   * `deferred`: the operation is `x-signed-body` — its raw bytes must be authenticated before
   * they are parsed, so the handler validates the body itself (`validateBody`) after that.
   */
  body: { required: boolean; deferred: boolean; contentTypes: Map<string, ValidateFunction | null> } | null;
  responses: Map<string, Map<string, ValidateFunction | null>>;
}

interface CompiledPath {
  template: string;
  regex: RegExp;
  paramNames: string[];
  literalSegments: number;
  operations: Map<HttpMethod, CompiledOperation>;
}

export type RouteMatch =
  | { kind: 'operation'; operation: CompiledOperation; pathParams: Record<string, string> }
  | { kind: 'method-not-allowed'; allowed: HttpMethod[] }
  | { kind: 'not-found' };

/** Parsed, coerced request parts after validation. */
export interface ValidatedRequest {
  path: Record<string, unknown>;
  query: Record<string, unknown>;
  headers: Record<string, unknown>;
}

export interface RequestParts {
  pathParams: Record<string, string>;
  query: Record<string, unknown>;
  headers: Record<string, string | string[] | undefined>;
  contentType: string | null;
  hasBody: boolean;
  body: unknown;
}

export class RequestValidationFailure extends Error {
  constructor(
    readonly kind: 'invalid' | 'unsupported-media-type',
    readonly errors: FieldError[],
    message: string,
  ) {
    super(message);
  }
}

/** Compiles an OpenAPI 3.1 document once; matches and validates requests and responses. */
export class OpenApiValidator {
  private readonly paths: CompiledPath[];

  constructor(readonly document: OpenApiDocument = openApiDocument) {
    const schemas = document.components.schemas ?? {};
    const requestAjv = createAjv({ coerceTypes: false });
    const paramAjv = createAjv({ coerceTypes: 'array' });
    const responseAjv = createAjv({ coerceTypes: false });
    const requestSchemas = forContext(schemas, 'request');
    requestAjv.addSchema({ $id: REQUEST_ID, $defs: requestSchemas });
    paramAjv.addSchema({ $id: REQUEST_ID, $defs: requestSchemas });
    responseAjv.addSchema({ $id: RESPONSE_ID, $defs: forContext(schemas, 'response') });
    const compilers = { requestAjv, paramAjv, responseAjv };

    this.paths = Object.entries(document.paths)
      .map(([template, item]) => compilePath(document, template, item, compilers))
      .sort((a, b) => b.literalSegments - a.literalSegments);
  }

  /** Every operation, in document order within each path. */
  get operations(): CompiledOperation[] {
    return this.paths.flatMap((path) => [...path.operations.values()]);
  }

  /** Finds the operation for a method and a concrete path (`/v1/people/123`). */
  match(method: string, requestPath: string): RouteMatch {
    const lower = (method.toLowerCase() === 'head' ? 'get' : method.toLowerCase()) as HttpMethod;
    const normalised = requestPath.length > 1 ? requestPath.replace(/\/+$/, '') : requestPath;
    let allowed: HttpMethod[] | null = null;
    for (const path of this.paths) {
      const found = path.regex.exec(normalised);
      if (!found) continue;
      const operation = path.operations.get(lower);
      if (!operation) {
        allowed ??= [...path.operations.keys()];
        continue;
      }
      const pathParams: Record<string, string> = {};
      path.paramNames.forEach((name, index) => {
        pathParams[name] = safeDecode(found[index + 1] ?? '');
      });
      return { kind: 'operation', operation, pathParams };
    }
    return allowed ? { kind: 'method-not-allowed', allowed } : { kind: 'not-found' };
  }

  /**
   * Validates a request against its operation; coerces parameters and fills defaults.
   *
   * @throws {RequestValidationFailure} listing every failing field.
   */
  validateRequest(operation: CompiledOperation, parts: RequestParts): ValidatedRequest {
    const errors: FieldError[] = [];
    const path = { ...parts.pathParams };
    const query = splitUnexplodedArrays(operation.query.names, { ...parts.query });
    const headers: Record<string, unknown> = {};
    for (const name of operation.header.names.keys()) {
      const value = parts.headers[name.toLowerCase()];
      if (value !== undefined) headers[name] = value;
    }

    for (const name of Object.keys(query)) {
      if (!operation.query.names.has(name)) {
        const known = [...operation.query.names.keys()];
        errors.push({
          in: 'query',
          field: name,
          message: known.length
            ? `is not a parameter of this operation; accepted: ${known.join(', ')}`
            : 'is not a parameter of this operation, which takes no query parameters',
        });
      }
    }
    checkParameters(operation.path, 'path', path, errors);
    checkParameters(operation.query, 'query', query, errors);
    checkParameters(operation.header, 'header', headers, errors);

    const body = operation.body;
    if (!body) {
      if (parts.hasBody && !isEmptyObject(parts.body)) {
        errors.push({ in: 'body', field: '', message: 'this operation takes no request body; send none' });
      }
    } else if (!parts.hasBody) {
      if (body.required) errors.push({ in: 'body', field: '', message: 'a JSON request body is required' });
    } else {
      const mediaType = parts.contentType?.split(';')[0]?.trim().toLowerCase() ?? '';
      if (!body.contentTypes.has(mediaType)) {
        const accepted = [...body.contentTypes.keys()].join(', ');
        throw new RequestValidationFailure(
          'unsupported-media-type',
          [{ in: 'header', field: 'content-type', message: `must be one of: ${accepted}` }],
          `Content-Type ${mediaType || '(none)'} is not accepted here; send ${accepted}.`,
        );
      }
      const validate = body.contentTypes.get(mediaType);
      if (validate && !body.deferred && !validate(parts.body))
        errors.push(...toFieldErrors('body', validate.errors));
    }

    if (errors.length > 0) {
      const summary = errors
        .slice(0, 3)
        .map((error) => `${error.in} ${error.field || '(root)'} ${error.message}`)
        .join('; ');
      throw new RequestValidationFailure(
        'invalid',
        dedupe(errors),
        `${errors.length === 1 ? 'One field is' : `${errors.length} fields are`} invalid: ${summary}${
          errors.length > 3 ? '; …' : ''
        }.`,
      );
    }
    return { path, query, headers };
  }

  /**
   * Validates the parsed body of an `x-signed-body` operation, once its signature is checked.
   *
   * @throws {RequestValidationFailure} listing every failing field.
   */
  validateBody(operation: CompiledOperation, body: unknown): void {
    const validate = operation.body?.contentTypes.get('application/json');
    if (!validate || validate(body)) return;
    const errors = dedupe(toFieldErrors('body', validate.errors));
    const summary = errors
      .slice(0, 3)
      .map((error) => `${error.field || '(root)'} ${error.message}`)
      .join('; ');
    throw new RequestValidationFailure('invalid', errors, `The body is invalid: ${summary}.`);
  }

  /**
   * Checks a response against the operation's declared responses. Returns the problems found,
   * empty when the response conforms.
   */
  validateResponse(response: {
    method: string;
    path: string;
    status: number;
    contentType: string | null;
    body: unknown;
  }): string[] {
    const match = this.match(response.method, response.path);
    if (match.kind !== 'operation') {
      const isProblem = response.contentType?.startsWith('application/problem+json');
      return isProblem && response.status >= 400
        ? this.validateProblem(response.body)
        : [`${response.method} ${response.path} is not an operation of the document`];
    }
    const { operation } = match;
    const status = String(response.status);
    const declared =
      operation.responses.get(status) ??
      operation.responses.get(`${status[0]}XX`) ??
      operation.responses.get('default');
    const where = `${operation.id} → ${status}`;
    if (!declared) return [`${where}: status not declared`];
    if (declared.size === 0)
      return response.body === undefined || response.body === '' ? [] : [`${where}: body not declared`];
    const mediaType = response.contentType?.split(';')[0]?.trim().toLowerCase() ?? '';
    if (!declared.has(mediaType))
      return [`${where}: content type ${mediaType} not declared (${[...declared.keys()].join(', ')})`];
    const validate = declared.get(mediaType);
    if (!validate || validate(response.body)) return [];
    return (validate.errors ?? []).map((error) => `${where}: ${error.instancePath || '/'} ${error.message}`);
  }

  private validateProblem(body: unknown): string[] {
    const validate = this.problemValidator;
    if (!validate || validate(body)) return [];
    return (validate.errors ?? []).map((error) => `problem ${error.instancePath || '/'} ${error.message}`);
  }

  private get problemValidator(): ValidateFunction | undefined {
    for (const operation of this.operations) {
      const validate = operation.responses.get('default')?.get('application/problem+json');
      if (validate) return validate;
    }
    return undefined;
  }
}

/** An integer as a parameter carries it: optional minus, digits, at most 15 of them (exact in a double). */
const INTEGER = /^-?\d{1,15}$/;

const REQUEST_ID = 'relais-request.json';
const RESPONSE_ID = 'relais-response.json';

function createAjv(options: { coerceTypes: boolean | 'array' }): Ajv2020 {
  const ajv = new Ajv2020({
    allErrors: true,
    useDefaults: true,
    discriminator: true,
    strictTypes: false,
    strictRequired: false,
    // NaN and ±Infinity are not numbers a client can mean.
    strictNumbers: true,
    coerceTypes: options.coerceTypes,
  });
  addFormats(ajv);
  ajv.addVocabulary(['example', 'xml', 'externalDocs', 'x-enum-descriptions']);
  return ajv;
}

/**
 * Rewrites component refs to the context's schema id, strips discriminator mappings (which Ajv
 * rejects but openapi-typescript needs), and removes what the context forbids: `readOnly`
 * properties in requests, `writeOnly` ones in responses — each replaced by the `false` schema, so
 * sending one fails with a clear error rather than being silently dropped.
 */
function forContext<T>(schema: T, context: 'request' | 'response'): T {
  const id = context === 'request' ? REQUEST_ID : RESPONSE_ID;
  const forbidden = context === 'request' ? 'readOnly' : 'writeOnly';
  const rewritten = JSON.stringify(schema).replaceAll('"#/components/schemas/', `"${id}#/$defs/`);
  return JSON.parse(rewritten, (_key, value) => {
    if (!value || typeof value !== 'object' || Array.isArray(value)) return value;
    if (value.propertyName && value.mapping) return { propertyName: value.propertyName };
    if (value.properties && typeof value.properties === 'object') {
      const dropped = Object.entries(value.properties as Record<string, unknown>)
        .filter(
          ([, property]) =>
            property && typeof property === 'object' && (property as Record<string, unknown>)[forbidden],
        )
        .map(([name]) => name);
      if (dropped.length) {
        const properties = { ...value.properties };
        for (const name of dropped) properties[name] = false;
        const required = Array.isArray(value.required)
          ? value.required.filter((n: string) => !dropped.includes(n))
          : undefined;
        return { ...value, properties, ...(required ? { required } : {}) };
      }
    }
    return value;
  });
}

interface Compilers {
  requestAjv: Ajv2020;
  paramAjv: Ajv2020;
  responseAjv: Ajv2020;
}

function compilePath(
  document: OpenApiDocument,
  template: string,
  item: OpenApiDocument['paths'][string],
  compilers: Compilers,
): CompiledPath {
  const paramNames: string[] = [];
  let literalSegments = 0;
  const pattern = template
    .split('/')
    .map((segment) => {
      const param = /^\{([^}]+)\}$/.exec(segment);
      if (param?.[1]) {
        paramNames.push(param[1]);
        return '([^/]+)';
      }
      if (segment) literalSegments += 1;
      return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('/');
  const operations = new Map<HttpMethod, CompiledOperation>();
  for (const method of HTTP_METHODS) {
    const definition = item[method];
    if (!definition) continue;
    const parameters = [...(item.parameters ?? []), ...(definition.parameters ?? [])].map((p) =>
      resolveRef<ParameterObject>(document, p),
    );
    let responses: CompiledOperation['responses'] | undefined;
    operations.set(method, {
      id: definition.operationId,
      method,
      pathTemplate: template,
      definition,
      path: compileParameters(parameters, 'path', compilers.paramAjv),
      query: compileParameters(parameters, 'query', compilers.paramAjv),
      header: compileParameters(parameters, 'header', compilers.paramAjv),
      body: compileBody(document, definition, compilers.requestAjv),
      // Only checking responses (the tests) needs them: compiled then, not at every server start.
      get responses() {
        responses ??= compileResponses(document, definition, compilers.responseAjv);
        return responses;
      },
    });
  }
  return { template, regex: new RegExp(`^${pattern}$`), paramNames, literalSegments, operations };
}

function compileParameters(
  parameters: ParameterObject[],
  location: ParameterLocation,
  ajv: Ajv2020,
): CompiledParameters {
  const mine = parameters.filter((p) => p.in === location);
  const names = new Map(mine.map((p) => [p.name, p]));
  const schema = {
    type: 'object',
    properties: Object.fromEntries(mine.map((p) => [p.name, forContext(p.schema ?? {}, 'request')])),
    required: mine.filter((p) => p.required || location === 'path').map((p) => p.name),
  };
  const integers = new Set(
    mine
      .filter((p) => {
        const own = (p.schema ?? {}) as { type?: unknown; items?: { type?: unknown } };
        return own.type === 'integer' || (own.type === 'array' && own.items?.type === 'integer');
      })
      .map((p) => p.name),
  );
  return { validate: ajv.compile(schema), names, integers };
}

function compileBody(
  document: OpenApiDocument,
  definition: OperationObject,
  ajv: Ajv2020,
): CompiledOperation['body'] {
  if (!definition.requestBody) return null;
  const requestBody = resolveRef<NonNullable<OperationObject['requestBody']>>(
    document,
    definition.requestBody,
  );
  const contentTypes = new Map<string, ValidateFunction | null>();
  for (const [mediaType, media] of Object.entries(requestBody.content)) {
    // Only JSON is checked against its schema; other bodies (a CSV file) arrive as bytes, for
    // their handler to read.
    contentTypes.set(
      mediaType.toLowerCase(),
      media.schema === undefined || !mediaType.includes('json')
        ? null
        : ajv.compile(forContext(media.schema, 'request') as object),
    );
  }
  return {
    required: requestBody.required ?? false,
    deferred: (definition as { 'x-signed-body'?: boolean })['x-signed-body'] === true,
    contentTypes,
  };
}

function compileResponses(
  document: OpenApiDocument,
  definition: OperationObject,
  ajv: Ajv2020,
): CompiledOperation['responses'] {
  const responses = new Map<string, Map<string, ValidateFunction | null>>();
  for (const [status, declared] of Object.entries(definition.responses)) {
    const response = resolveRef<{ content?: Record<string, MediaTypeObject> }>(document, declared);
    const byType = new Map<string, ValidateFunction | null>();
    for (const [mediaType, media] of Object.entries(response.content ?? {})) {
      const isJson = mediaType.includes('json');
      byType.set(
        mediaType.toLowerCase(),
        isJson && media.schema !== undefined
          ? ajv.compile(forContext(media.schema, 'response') as object)
          : null,
      );
    }
    responses.set(status === 'default' ? status : status.toUpperCase(), byType);
  }
  return responses;
}

function resolveRef<T>(document: OpenApiDocument, value: unknown): T {
  let current = value as { $ref?: string };
  for (let depth = 0; current?.$ref && depth < 10; depth += 1) {
    const pointer = current.$ref.replace(/^#\//, '').split('/');
    current = pointer.reduce<unknown>((node, key) => (node as Record<string, unknown>)?.[key], document) as {
      $ref?: string;
    };
  }
  return current as T;
}

function checkParameters(
  compiled: CompiledParameters,
  location: ParameterLocation,
  values: Record<string, unknown>,
  errors: FieldError[],
): void {
  // Coercion would read `1e309` as Infinity and `0x10` as 16: an integer is written in digits.
  for (const name of compiled.integers) {
    const value = values[name];
    const texts = Array.isArray(value) ? value : [value];
    if (value === undefined || texts.every((text) => typeof text !== 'string' || INTEGER.test(text)))
      continue;
    errors.push({
      in: location,
      field: name,
      message: 'must be a whole number written in digits, such as 20',
    });
    delete values[name];
  }
  if (compiled.validate(values)) return;
  for (const error of compiled.validate.errors ?? []) {
    const [name, ...rest] = error.instancePath.split('/').slice(1);
    const field = error.keyword === 'required' ? String(error.params.missingProperty) : (name ?? '');
    errors.push({
      in: location,
      field: rest.length ? `${field}/${rest.join('/')}` : field,
      message: error.keyword === 'required' ? `is required` : describe(error),
    });
  }
}

function splitUnexplodedArrays(names: Map<string, ParameterObject>, query: Record<string, unknown>) {
  for (const [name, parameter] of names) {
    const schema = parameter.schema as Record<string, unknown> | undefined;
    if (schema?.type === 'array' && parameter.explode === false && typeof query[name] === 'string') {
      query[name] = (query[name] as string).split(',');
    }
  }
  return query;
}

/** Turns Ajv errors into fields and messages a client developer can act on. */
export function toFieldErrors(
  location: FieldError['in'],
  errors: ErrorObject[] | null | undefined,
): FieldError[] {
  return (errors ?? [])
    .filter((error) => error.keyword !== 'if' && error.keyword !== 'anyOf' && error.keyword !== 'oneOf')
    .map((error) => {
      if (error.keyword === 'required') {
        return {
          in: location,
          field: `${error.instancePath}/${error.params.missingProperty}`,
          message: 'is required',
        };
      }
      if (error.keyword === 'additionalProperties' || error.keyword === 'unevaluatedProperties') {
        const name = error.params.additionalProperty ?? error.params.unevaluatedProperty;
        return {
          in: location,
          field: `${error.instancePath}/${name}`,
          message: 'is not a known field; remove it',
        };
      }
      if (error.keyword === 'false schema') {
        return {
          in: location,
          field: error.instancePath,
          message: 'is read-only: the server sets it; remove it from the request',
        };
      }
      return { in: location, field: error.instancePath, message: describe(error) };
    });
}

const FORMAT_HINTS: Record<string, string> = {
  'date-time': 'an RFC 3339 date-time such as 2026-11-21T09:30:00Z',
  date: 'a date such as 2026-11-21',
  email: 'an email address',
  uuid: 'a UUID such as 0b9e4f8c-3c7a-4c52-9d0e-6f1d2a3b4c5d',
  uri: 'an absolute URI',
  'uri-reference': 'a URI reference',
};

function describe(error: ErrorObject): string {
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'type':
      return `must be of type ${Array.isArray(params.type) ? (params.type as string[]).join(' or ') : params.type}`;
    case 'enum':
      return `must be one of: ${(params.allowedValues as unknown[]).map(String).join(', ')}`;
    case 'const':
      return `must be ${JSON.stringify(params.allowedValue)}`;
    case 'format':
      return `must be ${FORMAT_HINTS[String(params.format)] ?? `in format ${params.format}`}`;
    case 'minLength':
      return `must be at least ${params.limit} characters long`;
    case 'maxLength':
      return `must be at most ${params.limit} characters long`;
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return `must be ${params.comparison} ${params.limit}`;
    case 'minItems':
      return `must have at least ${params.limit} items`;
    case 'maxItems':
      return `must have at most ${params.limit} items`;
    case 'uniqueItems':
      return `must not contain duplicates (items ${params.j} and ${params.i} are equal)`;
    case 'pattern':
      return `must match the pattern ${params.pattern}`;
    default:
      return error.message ?? 'is invalid';
  }
}

function dedupe(errors: FieldError[]): FieldError[] {
  const seen = new Set<string>();
  return errors.filter((error) => {
    const key = `${error.in}|${error.field}|${error.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function isEmptyObject(value: unknown): boolean {
  return (
    value === undefined || (typeof value === 'object' && value !== null && Object.keys(value).length === 0)
  );
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
