import createClient, { type Client, type Middleware } from 'openapi-fetch';
import type { paths } from './generated/openapi';

export interface RelaisClientOptions {
  /** The API's origin, e.g. `https://relais.intranet.example.com`. */
  baseUrl: string;
  /** A user's access token (from `POST /v1/auth/login`) or an embed token. */
  token?: string;
  /** An application's API key (`rk_...`). */
  apiKey?: string;
  /** A `fetch` implementation; the global one by default. */
  fetch?: typeof globalThis.fetch;
  /** Extra headers sent with every request. */
  headers?: Record<string, string>;
}

export type RelaisClient = Client<paths>;

/**
 * A typed client for the Relais REST API. Paths, parameters, bodies and responses are checked at
 * compile time against the OpenAPI document the server validates against.
 *
 * @example
 * const relais = createRelaisClient({ baseUrl: 'http://localhost:3000', token });
 * const { data, error } = await relais.GET('/health');
 */
export function createRelaisClient(options: RelaisClientOptions): RelaisClient {
  const client = createClient<paths>({
    baseUrl: options.baseUrl.replace(/\/$/, ''),
    fetch: options.fetch,
    headers: options.headers,
  });
  client.use(authentication(options));
  return client;
}

function authentication(options: RelaisClientOptions): Middleware {
  return {
    onRequest({ request }) {
      if (options.token) request.headers.set('Authorization', `Bearer ${options.token}`);
      if (options.apiKey) request.headers.set('X-Api-Key', options.apiKey);
      return request;
    },
  };
}
