/**
 * Error monitoring with `@sentry/node`, on when `SENTRY_DSN` is set. Request errors (5xx) and job
 * failures are reported with the request id, the user's id and role, the environment and release
 * — and nothing that identifies a person or grants access: `scrubEvent` removes emails, tokens,
 * passwords, API keys, webhook secrets and signatures, request and webhook bodies, headers other
 * than a few harmless ones, and query strings, from every event and breadcrumb before it leaves.
 */
import * as Sentry from '@sentry/node';
import type { Principal } from '../core/principal';

export interface SentrySettings {
  dsn: string | null;
  environment: string;
  release: string;
}

export interface ErrorContext {
  requestId?: string;
  principal?: Principal;
  job?: string;
  method?: string;
  route?: string;
}

let enabled = false;

/** Initialises the SDK when a DSN is configured; returns whether it did. */
export function initSentry(settings: SentrySettings): boolean {
  if (!settings.dsn || enabled) return enabled;
  Sentry.init({
    dsn: settings.dsn,
    environment: settings.environment,
    release: settings.release,
    dataCollection: {
      userInfo: false,
      cookies: false,
      httpHeaders: { request: { allow: [...SAFE_HEADERS] }, response: false },
      httpBodies: [],
      urlQueryParams: false,
    },
    tracesSampleRate: 0,
    maxBreadcrumbs: 30,
    // Errors are reported where Relais handles them (the problem handler, the job runtime).
    integrations: (defaults) =>
      defaults.filter(
        (integration) => !['OnUncaughtException', 'Http', 'Express', 'Fastify'].includes(integration.name),
      ),
    beforeSend: (event) => scrubEvent(event),
    beforeBreadcrumb: (breadcrumb) => scrubBreadcrumb(breadcrumb),
  });
  enabled = true;
  return true;
}

export function sentryEnabled(): boolean {
  return enabled;
}

/** Reports an unexpected error with who and what was running; a no-op when Sentry is off. */
export function captureError(error: unknown, context: ErrorContext): void {
  if (!enabled) return;
  Sentry.withScope((scope) => {
    if (context.requestId) scope.setTag('request_id', context.requestId);
    if (context.job) scope.setTag('job', context.job);
    if (context.route) scope.setTag('route', `${context.method ?? ''} ${context.route}`.trim());
    const principal = context.principal;
    if (principal) {
      scope.setTag('principal', principal.kind);
      if (principal.kind === 'api_key') scope.setUser({ id: `api_key:${principal.keyId}` });
      else {
        scope.setUser({ id: principal.user.id });
        scope.setTag('role', principal.user.role);
      }
    }
    Sentry.captureException(error);
  });
}

/** Sends what is queued; for shutdown and tests. */
export async function flushSentry(timeoutMs = 2_000): Promise<void> {
  if (enabled) await Sentry.flush(timeoutMs);
}

export async function closeSentry(timeoutMs = 2_000): Promise<void> {
  if (!enabled) return;
  await Sentry.close(timeoutMs);
  enabled = false;
}

const FILTERED = '[Filtered]';
/** Keys whose values are never sent, whatever they hold. */
const SENSITIVE_KEY =
  /pass(word)?|secret|token|authori[sz]ation|cookie|api[-_]?key|e-?mail|signature|credential|^raw$|^body$|payload|^data$|dsn|private/i;
/** Header names kept on a request; every other header is dropped. */
const SAFE_HEADERS = new Set(['user-agent', 'content-type', 'content-length', 'x-request-id', 'accept']);
/** Secrets and personal data recognised inside any string. */
const SENSITIVE_TEXT: Array<[RegExp, string]> = [
  [/\beyJ[\w-]{5,}\.[\w-]{5,}\.[\w-]{5,}/g, '[jwt]'],
  [/\bBearer\s+\S+/gi, 'Bearer [Filtered]'],
  [/\bwhsec_[A-Za-z0-9+/=]+/g, '[webhook-secret]'],
  [/\brk_[A-Za-z0-9_-]{8,}/g, '[api-key]'],
  [/\b(v1,)[A-Za-z0-9+/=]{20,}/g, '$1[signature]'],
  [/[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g, '[email]'],
  [/((?:password|secret|token|api[-_]?key)\s*[=:]\s*)("[^"]*"|'[^']*'|[^\s&,;]+)/gi, '$1[Filtered]'],
  [/([?&][^=&#\s]+=)[^&#\s]*/g, '$1[Filtered]'],
];

export function scrubText(text: string): string {
  return SENSITIVE_TEXT.reduce((value, [pattern, replacement]) => value.replace(pattern, replacement), text);
}

/** Walks a value, dropping sensitive keys and scrubbing every string. */
function scrubValue(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return scrubText(value);
  if (value === null || typeof value !== 'object' || depth > 12) return value;
  if (Array.isArray(value)) return value.map((item) => scrubValue(item, depth + 1));
  const result: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    result[key] = SENSITIVE_KEY.test(key) ? FILTERED : scrubValue(item, depth + 1);
  }
  return result;
}

export function scrubEvent<T extends Sentry.ErrorEvent | Sentry.Event>(event: T): T {
  const { request, user, breadcrumbs, ...rest } = event;
  const scrubbed = scrubValue(rest) as T;
  if (request) {
    const headers = Object.fromEntries(
      Object.entries(request.headers ?? {}).filter(([name]) => SAFE_HEADERS.has(name.toLowerCase())),
    );
    scrubbed.request = {
      method: request.method,
      url: request.url ? scrubText(request.url.split('?')[0] ?? '') : undefined,
      headers,
    };
  }
  if (user?.id !== undefined) scrubbed.user = { id: String(user.id) };
  if (breadcrumbs) {
    scrubbed.breadcrumbs = breadcrumbs
      .map((breadcrumb) => scrubBreadcrumb(breadcrumb))
      .filter((breadcrumb): breadcrumb is Sentry.Breadcrumb => breadcrumb !== null);
  }
  return scrubbed;
}

export function scrubBreadcrumb(breadcrumb: Sentry.Breadcrumb): Sentry.Breadcrumb | null {
  return scrubValue(breadcrumb) as Sentry.Breadcrumb;
}
