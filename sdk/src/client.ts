import createClient, { type Client } from 'openapi-fetch';
import { errorFromResponse, type Problem } from './errors';
import type { paths } from './generated/openapi';
import { relaisFetch, type TransportOptions } from './transport';

export interface RelaisClientOptions extends TransportOptions {
  /** The API's origin, e.g. `https://relais.intranet.example.com`. */
  baseUrl: string;
  /** Extra headers sent with every request. */
  headers?: Record<string, string>;
}

export type RelaisClient = Client<paths>;

/**
 * A typed client for the Relais REST API: paths, parameters, bodies and responses are checked at
 * compile time against the OpenAPI document the server validates against. Every call carries the
 * credentials, a timeout, and retries that cannot write twice (see `relaisFetch`); failures come
 * back as `{ error }` values, or thrown as typed `RelaisError`s through `unwrap`.
 *
 * @example
 * const relais = createRelaisClient({ baseUrl: 'http://localhost:3000', token });
 * const person = await unwrap(relais.GET('/v1/people/{id}', { params: { path: { id } } }));
 */
export function createRelaisClient(options: RelaisClientOptions): RelaisClient {
  return createClient<paths>({
    baseUrl: options.baseUrl.replace(/\/$/, ''),
    fetch: relaisFetch(options),
    headers: options.headers,
  });
}

/** What an openapi-fetch call resolves to. */
interface CallResult<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/**
 * The call's data, or its failure thrown as a typed `RelaisError` (validation, authentication,
 * permission, not found, conflict, precondition failed, rate limited, server).
 */
export async function unwrap<T>(call: Promise<CallResult<T>>): Promise<T> {
  const { data, error, response } = await call;
  if (response.ok) return data as T;
  throw errorFromResponse(response, isProblem(error) ? error : undefined);
}

function isProblem(value: unknown): value is Problem {
  return typeof value === 'object' && value !== null && 'status' in value && 'title' in value;
}
