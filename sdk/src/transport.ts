/**
 * The `fetch` every call goes through: credentials, a timeout, and retries that cannot write twice.
 *
 * - Retried: connection failures, timeouts, 408, 429, 5xx, and a 409 that carries `Retry-After`
 *   (the server's "a request with this Idempotency-Key is still in progress").
 * - GET, HEAD, PUT and DELETE are always safe to retry; POST and PATCH only with an
 *   `Idempotency-Key` — which every POST gets by itself (a UUID kept across that call's retries;
 *   a key the caller set wins).
 * - The wait honours `Retry-After`; otherwise exponential backoff with full jitter.
 * - Each attempt sends a fresh copy of the request: a body already consumed is never resent.
 * - A token provider is asked once and remembered until shortly before the token expires; after a
 *   401 it is asked once more and the call repeated, then the 401 is thrown.
 */
import { RelaisConnectionError, RelaisTimeoutError, retryAfterSeconds } from './errors';

/** A fixed token, or a function that returns a current one (asked again after a 401). */
export type TokenSource = string | (() => string | Promise<string>) | SharedToken;

/**
 * A token source several consumers share (a page's client and its event stream): one cache, one
 * ask at a time. A consumer refused with a 401 calls `invalidate(token)`, and the next ask gets a
 * new token, once for all of them.
 */
export interface SharedToken {
  (): Promise<string>;
  invalidate(token: string): void;
}

/** Makes a `SharedToken` of a function that fetches a token (e.g. from the page's backend). */
export function sharedToken(fetchToken: () => string | Promise<string>): SharedToken {
  const cache = tokenCache(fetchToken);
  let last: string | undefined;
  const shared = async () => {
    last = (await cache.current()) ?? '';
    return last;
  };
  return Object.assign(shared, {
    invalidate(token: string) {
      if (token === last) cache.forget();
    },
  });
}

export interface TransportOptions {
  /** A user's access token or an embed token, sent as `Authorization: Bearer`. */
  token?: TokenSource;
  /** An application's API key (`rk_...`), sent as `X-Api-Key`. */
  apiKey?: string;
  /** Retries after the first attempt (default 2). */
  maxRetries?: number;
  /** Milliseconds an attempt may take before it is abandoned (default 30,000). */
  timeout?: number;
  /** A `fetch` implementation; the global one by default. */
  fetch?: typeof globalThis.fetch;
  /** Extra headers sent with every request (a call's own headers win). */
  headers?: Record<string, string>;
}

const RETRIED_STATUSES = new Set([408, 429, 500, 502, 503, 504]);
const ALWAYS_RETRIED_METHODS = new Set(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS']);
const BASE_DELAY_MS = 500;
const MAX_DELAY_MS = 8_000;
const MAX_RETRY_AFTER_MS = 60_000;

/** What one call may change of the client's settings. */
export interface PerCallOptions {
  maxRetries?: number;
  timeout?: number;
}

/** The client's transport: `send` for one request, and the credentials it holds. */
export interface Transport {
  send(request: Request, perCall?: PerCallOptions): Promise<Response>;
  /** The token source in use (after `useToken`, the token given). */
  readonly token: TokenSource | undefined;
  /** Sends this token from now on (what `auth.login` does with the token it receives). */
  useToken(token: string): void;
}

/**
 * A `fetch` with Relais's credentials, timeout and retries. It resolves with the response, whatever
 * its status, once retries are spent; it rejects only with `RelaisConnectionError` or
 * `RelaisTimeoutError` when no response arrived, and with the caller's abort reason.
 */
export function relaisFetch(options: TransportOptions): typeof globalThis.fetch {
  const transport = createTransport(options);
  return (input, init) => transport.send(new Request(input, init));
}

export function createTransport(options: TransportOptions): Transport {
  const fetchImpl = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  let source = options.token;
  let tokens = tokenCache(source);

  const send = async (original: Request, perCall: PerCallOptions = {}) => {
    const maxRetries = perCall.maxRetries ?? options.maxRetries ?? 2;
    const timeout = perCall.timeout ?? options.timeout ?? 30_000;
    const headers = new Headers(original.headers);
    for (const [name, value] of Object.entries(options.headers ?? {})) {
      if (!headers.has(name)) headers.set(name, value);
    }
    const method = original.method.toUpperCase();
    if (method === 'POST' && !headers.has('idempotency-key'))
      headers.set('Idempotency-Key', crypto.randomUUID());
    if (options.apiKey) headers.set('X-Api-Key', options.apiKey);
    const body = method === 'GET' || method === 'HEAD' ? undefined : await original.arrayBuffer();
    const retriable = ALWAYS_RETRIED_METHODS.has(method) || headers.has('idempotency-key');
    let refreshed = false;

    for (let attempt = 0; ; attempt += 1) {
      const token = await tokens.current();
      if (token) headers.set('Authorization', `Bearer ${token}`);
      const request = new Request(original.url, { method, headers, body, redirect: original.redirect });
      let response: Response;
      try {
        response = await withTimeout(fetchImpl, request, timeout, original.signal);
      } catch (error) {
        if (original.signal.aborted) throw original.signal.reason;
        if (!retriable || attempt >= maxRetries) throw error;
        await sleep(backoff(attempt), original.signal);
        continue;
      }
      if (response.status === 401 && tokens.refreshable && !refreshed) {
        refreshed = true;
        tokens.forget();
        await response.body?.cancel();
        attempt -= 1;
        continue;
      }
      const retryAfter = retryAfterSeconds(response);
      const again =
        RETRIED_STATUSES.has(response.status) || (response.status === 409 && retryAfter !== undefined);
      if (!again || !retriable || attempt >= maxRetries) return response;
      await response.body?.cancel();
      await sleep(
        retryAfter === undefined ? backoff(attempt) : Math.min(retryAfter * 1000, MAX_RETRY_AFTER_MS),
        original.signal,
      );
    }
  };

  return {
    send,
    get token() {
      return source;
    },
    useToken(token) {
      source = token;
      tokens = tokenCache(token);
    },
  };
}

/**
 * A token source, asked once and remembered: asked again after `forget()` (a 401), and before a
 * remembered JWT expires (30 s ahead), so a page refreshes its token without a failed request.
 * Concurrent callers share one pending ask.
 */
export function tokenCache(source: TokenSource | undefined) {
  let pending: Promise<string> | undefined;
  let expiresAt = Number.POSITIVE_INFINITY;
  let last: string | undefined;
  const shared = typeof source === 'function' && 'invalidate' in source ? source : undefined;
  return {
    refreshable: typeof source === 'function',
    current(): Promise<string | undefined> | undefined {
      if (source === undefined) return undefined;
      if (typeof source === 'string') return Promise.resolve(source);
      // A shared source keeps the one cache.
      if (shared) return shared().then((token) => (last = token));
      if (Date.now() >= expiresAt - 30_000) pending = undefined;
      if (!pending) {
        expiresAt = Number.POSITIVE_INFINITY;
        pending = Promise.resolve(source()).then(
          (token) => {
            expiresAt = expiryOf(token);
            return token;
          },
          (error: unknown) => {
            pending = undefined;
            throw error;
          },
        );
      }
      return pending;
    },
    forget() {
      pending = undefined;
      if (shared && last !== undefined) shared.invalidate(last);
    },
  };
}

/** When a JWT expires (ms since the epoch); never for anything else. */
export function expiryOf(token: string): number {
  try {
    const payload = token.split('.')[1] ?? '';
    const { exp } = JSON.parse(atob(payload.replace(/-/g, '+').replace(/_/g, '/'))) as { exp?: unknown };
    return typeof exp === 'number' ? exp * 1000 : Number.POSITIVE_INFINITY;
  } catch {
    return Number.POSITIVE_INFINITY;
  }
}

async function withTimeout(
  fetchImpl: typeof globalThis.fetch,
  request: Request,
  timeoutMs: number,
  callerSignal: AbortSignal,
): Promise<Response> {
  const controller = new AbortController();
  const timer = setTimeout(
    () => controller.abort(new RelaisTimeoutError(`No response within ${timeoutMs} ms.`)),
    timeoutMs,
  );
  const onAbort = () => controller.abort(callerSignal.reason);
  callerSignal.addEventListener('abort', onAbort, { once: true });
  try {
    return await fetchImpl(new Request(request, { signal: controller.signal }));
  } catch (error) {
    if (controller.signal.reason instanceof RelaisTimeoutError) throw controller.signal.reason;
    if (callerSignal.aborted) throw error;
    throw new RelaisConnectionError(`The connection to ${new URL(request.url).origin} failed.`, {
      cause: error,
    });
  } finally {
    clearTimeout(timer);
    callerSignal.removeEventListener('abort', onAbort);
  }
}

/** Exponential backoff with full jitter: a random wait up to 0.5 s, 1 s, 2 s… capped at 8 s. */
function backoff(attempt: number): number {
  return Math.random() * Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** attempt);
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
