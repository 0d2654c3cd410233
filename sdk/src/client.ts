import createClient, { type Client } from 'openapi-fetch';
import { errorFromResponse } from './errors';
import type { paths } from './generated/openapi';
import { operationTable, type RelaisOperations } from './generated/operations';
import { type ApiPromise, apiPromise, bindOperations, type CallOptions, type Result } from './operations';
import { type EventStream, type EventStreamOptions, subscribeToEvents } from './realtime';
import { createTransport, type TransportOptions } from './transport';

export interface RelaisClientOptions extends TransportOptions {
  /** The API's origin, e.g. `https://relais.intranet.example.com`. */
  baseUrl: string;
}

/**
 * The Relais API by name (`relais.people.list(...)`), plus:
 * - `auth.login(email, password)`, which signs in and sends the token it receives from then on;
 * - `events.subscribe(...)`, your events as an async iterable;
 * - `raw`, the path-based client (openapi-fetch) for anything else.
 */
export type RelaisClient = Omit<RelaisOperations, 'auth'> & {
  auth: Omit<RelaisOperations['auth'], 'login'> & {
    /** Signs in; the client then sends the access token it received. */
    login(email: string, password: string, options?: CallOptions): ApiPromise<Result<'login'>>;
  };
  events: {
    /** Follows your events (Server-Sent Events over fetch); see `subscribeToEvents`. */
    subscribe(options?: Omit<EventStreamOptions, 'baseUrl' | 'token' | 'apiKey' | 'fetch'>): EventStream;
  };
  /** The path-based client, typed from the spec: `relais.raw.GET('/v1/people/{id}', ...)`. */
  raw: Client<paths>;
};

/**
 * A typed client for the Relais API. Every call carries the credentials, a timeout and retries
 * that cannot write twice; failures are thrown as typed `RelaisError`s.
 *
 * @example
 * const relais = createRelaisClient({ baseUrl: 'http://localhost:3000', token });
 * for await (const person of relais.people.list({ q: 'dupre' })) console.log(person.last_name);
 */
export function createRelaisClient(options: RelaisClientOptions): RelaisClient {
  const baseUrl = options.baseUrl.replace(/\/$/, '');
  const transport = createTransport(options);
  const operations = bindOperations(operationTable, baseUrl, transport) as unknown as RelaisOperations;
  const login = operations.auth.login;
  return {
    ...operations,
    auth: {
      ...operations.auth,
      login(email, password, callOptions) {
        const signedIn = login({ email, password }, callOptions)
          .withResponse()
          .then((result) => {
            transport.useToken(result.data.access_token);
            return result;
          });
        return apiPromise(signedIn);
      },
    },
    events: {
      subscribe: (subscription) =>
        subscribeToEvents({
          ...subscription,
          baseUrl,
          token: async () => {
            const token = transport.token;
            return (typeof token === 'function' ? await token() : token) ?? '';
          },
          apiKey: options.apiKey,
          fetch: options.fetch,
        }),
    },
    raw: createClient<paths>({
      baseUrl,
      fetch: (request: Request) => transport.send(request),
    }),
  };
}

/** What an openapi-fetch call resolves to. */
interface CallResult<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/**
 * A `raw` call's data, or its failure thrown as a typed `RelaisError`.
 *
 * @example
 * const person = await unwrap(relais.raw.GET('/v1/people/{id}', { params: { path: { id } } }));
 */
export async function unwrap<T>(call: Promise<CallResult<T>>): Promise<T> {
  const { data, error, response } = await call;
  if (response.ok) return data as T;
  throw errorFromResponse(response, error);
}
