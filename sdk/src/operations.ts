/**
 * Operations by name: `relais.people.list({ q })`, `relais.interactions.update(id, body)`. The
 * table and the signatures are generated from the spec (`generated/operations.ts`); this file holds
 * the types they are written in and the one function that runs any of them.
 */
import { errorFromResponse } from './errors';
import type { operations, Readable, Writable } from './generated/openapi';
import { type Page, type Paginator, paginate } from './pagination';
import type { PerCallOptions, Transport } from './transport';

type OperationId = keyof operations;
type ParametersOf<K extends OperationId> = operations[K]['parameters'];

/**
 * The body an operation takes: JSON, with read-only fields left out (they cannot be sent), or a
 * file's bytes or text for a `text/csv` body.
 */
export type Body<K extends OperationId> = operations[K] extends {
  requestBody?: { content: { 'application/json': infer B } };
}
  ? Writable<B>
  : operations[K] extends { requestBody?: { content: { 'text/csv': unknown } } }
    ? FileBody
    : never;
/** A file sent as it is: text, bytes or a Blob (a `File` from an `<input type="file">`). */
export type FileBody = string | Blob | ArrayBuffer | Uint8Array;
/** An operation's query parameters. */
export type Query<K extends OperationId> = NonNullable<ParametersOf<K>['query']>;
/** An operation's path parameters. */
export type PathParams<K extends OperationId> = NonNullable<ParametersOf<K>['path']>;
/** What an operation answers on success (204: `undefined`); write-only fields are left out. */
export type Result<K extends OperationId> = Readable<SuccessBody<operations[K]['responses']>>;
type SuccessBody<R> = {
  [S in keyof R]: S extends 200 | 201 | 202
    ? R[S] extends { content: { 'application/json': infer C } }
      ? C
      : never
    : S extends 204
      ? undefined
      : never;
}[keyof R];

/** Options for one call. */
export interface CallOptions extends PerCallOptions {
  /** Sent as `If-Match`: the change applies only if the record still has this ETag (else 412). */
  ifMatch?: string;
  /** Sent as `Idempotency-Key`; every POST gets a fresh one by default, kept across its retries. */
  idempotencyKey?: string;
  /** Query parameters, for operations that take a body and a query. */
  query?: Record<string, unknown>;
  /** Extra headers. */
  headers?: Record<string, string>;
  /** Abandons the call (and its retries) when aborted. */
  signal?: AbortSignal;
}

/** A call's data with the response it came in. */
export interface WithResponse<T> {
  data: T;
  /** The response; its body has been read into `data`. */
  response: Response;
  /** The server's `X-Request-Id`, to quote when reporting a problem. */
  requestId: string | null;
}

/**
 * A call in flight: await it for the data, or call `withResponse()` for the data, the raw
 * `Response` and the request id. A failure rejects with a typed `RelaisError`.
 */
export interface ApiPromise<T> extends Promise<T> {
  withResponse(): Promise<WithResponse<T>>;
}

type ItemOf<P> = P extends { data: (infer T)[] } ? T : never;

/**
 * A cursor list: await it for the first page (as the server answered it), or iterate it for every
 * item of every page (`for await`), `.pages()` or `.toArray({ limit })`.
 */
export interface PagePromise<P> extends ApiPromise<P>, Paginator<ItemOf<P>> {}

/** Builds `relais.<group>.<method>` functions from the generated table. */
export function bindOperations(
  table: Record<string, string>,
  baseUrl: string,
  transport: Transport,
): Record<string, Record<string, (...args: unknown[]) => unknown>> {
  const groups: Record<string, Record<string, (...args: unknown[]) => unknown>> = {};
  for (const [name, spec] of Object.entries(table)) {
    const [group = '', member = ''] = name.split('.');
    const [method = 'GET', path = '/', kind = ''] = spec.split(' ');
    const names = [...path.matchAll(/\{(\w+)\}/g)].map((match) => match[1]);
    groups[group] ??= {};
    groups[group][member] = (...args: unknown[]) => {
      const values = args.splice(0, names.length);
      const body = kind.includes('b') ? args.shift() : undefined;
      const input = kind.includes('q') ? args.shift() : undefined;
      const options = (args.shift() ?? {}) as CallOptions;
      const url =
        baseUrl +
        path.replace(/\{(\w+)\}/g, (_, param: string) =>
          encodeURIComponent(String(values[names.indexOf(param)])),
        );
      const query = { ...options.query, ...(input as object) } as Record<string, unknown>;
      const call = (cursor?: string) =>
        apiPromise(send(transport, method, url, cursor ? { ...query, cursor } : query, body, options));
      if (!kind.includes('l')) return call();
      const first = call() as ApiPromise<Page<unknown>>;
      // Iterating walks on from the first page already asked for: no page is fetched twice.
      const paginator = paginate((cursor) => (cursor ? (call(cursor) as ApiPromise<Page<unknown>>) : first));
      return Object.assign(first, paginator) satisfies PagePromise<Page<unknown>>;
    };
  }
  return groups;
}

async function send(
  transport: Transport,
  method: string,
  url: string,
  query: Record<string, unknown>,
  body: unknown,
  options: CallOptions,
): Promise<WithResponse<unknown>> {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    for (const item of Array.isArray(value) ? value : [value]) {
      if (item !== undefined && item !== null) search.append(key, String(item));
    }
  }
  const headers = new Headers(options.headers);
  headers.set('Accept', 'application/json');
  if (options.ifMatch) headers.set('If-Match', options.ifMatch);
  if (options.idempotencyKey) headers.set('Idempotency-Key', options.idempotencyKey);
  // A file goes as it is (a CSV import); anything else as JSON.
  const file =
    typeof body === 'string' ||
    body instanceof Blob ||
    body instanceof ArrayBuffer ||
    body instanceof Uint8Array;
  if (body !== undefined) headers.set('Content-Type', file ? 'text/csv' : 'application/json');
  const request = new Request(search.size ? `${url}?${search}` : url, {
    method,
    headers,
    body: body === undefined ? undefined : file ? (body as BodyInit) : JSON.stringify(body),
    signal: options.signal,
  });
  const response = await transport.send(request, options);
  const type = response.headers.get('content-type') ?? '';
  const parsed: unknown =
    response.status === 204 || response.status === 304
      ? undefined
      : type.includes('json')
        ? await response.json()
        : await response.text();
  if (!response.ok) throw errorFromResponse(response, parsed);
  return { data: parsed, response, requestId: response.headers.get('x-request-id') };
}

export function apiPromise<T>(outcome: Promise<WithResponse<T>>): ApiPromise<T> {
  const data = outcome.then((result) => result.data);
  // A caller may read only `withResponse()`: the data promise's own failure is then not unhandled.
  data.catch(() => undefined);
  return Object.assign(data, { withResponse: () => outcome });
}
