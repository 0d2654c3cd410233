/**
 * Authentication: turns the request's credential into a `Principal`, per the operation's
 * `security` in the OpenAPI document — an operation with `security: []` is public, every other
 * one requires a credential of a scheme it lists.
 *
 * - `Authorization: Bearer <jwt>` — a user's access token (audience `relais-api`) or an embed token
 *   (audience `relais-embed`), both HS256 with our issuer, verified by passport-jwt. The user is
 *   loaded on every request, so a deactivation or a role change takes effect at once.
 * - `X-Api-Key: rk_...` — an application's key, looked up by prefix and compared by hash.
 *
 * Embed tokens reach only operations that list the `embedToken` scheme and one of the token's
 * widgets in `x-embed`, only for the token's subject, and only from one of its origins.
 */
import { createSecretKey, type KeyObject } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import { Passport } from 'passport';
import { ExtractJwt, Strategy as JwtStrategy } from 'passport-jwt';
import type { HttpRequest } from '../../http/types';
import { ForbiddenError, UnauthorizedError, ValidationError } from '../core/errors';
import type { EmbedSubject, Principal, UserIdentity, Widget } from '../core/principal';
import { headerOf, ownOrigin } from './routes';

export const ACCESS_AUDIENCE = 'relais-api';
export const EMBED_AUDIENCE = 'relais-embed';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** What authentication needs from the features that own users and keys. */
export interface CredentialStore {
  /** The user and their current token version (tokens signed under an older one are revoked). */
  findUser(id: string): Promise<{ user: UserIdentity; tokenVersion: number } | null>;
  /**
   * The key's record if `key` is a live (not revoked) API key, else null. Its scopes are those its
   * owner still holds; `owner_active` is false once the owner is deactivated.
   */
  verifyApiKey(key: string): Promise<{
    id: string;
    name: string;
    scopes: readonly string[];
    created_by: string;
    owner_active: boolean;
  } | null>;
}

export interface TokenSettings {
  secret: string;
  issuer: string;
}

/** The `x-embed` extension of an operation that widgets may call. */
export interface EmbedRule {
  widgets: Widget[];
  /** Which subject the operation serves, and the path parameter holding its id. */
  subject?: { type: EmbedSubject['type']; param?: string };
}

interface JwtPayload {
  sub?: unknown;
  aud?: unknown;
  exp?: number;
  nbf?: number;
  wid?: unknown;
  sbj?: unknown;
  org?: unknown;
  ver?: unknown;
}

const BEARER = /^Bearer\s+(.+)$/i;
const VERIFIED_TOKENS = 10_000;
const CLOCK_TOLERANCE_SECONDS = 5;

/** Whether a verified token is still inside its `nbf`..`exp` window at `now` (ms). */
function withinDates(payload: JwtPayload, now: number): boolean {
  // As jsonwebtoken counts: whole seconds, expired from exp + tolerance on.
  const seconds = Math.floor(now / 1000);
  return (
    (payload.exp === undefined || seconds < payload.exp + CLOCK_TOLERANCE_SECONDS) &&
    (payload.nbf === undefined || seconds >= payload.nbf - CLOCK_TOLERANCE_SECONDS)
  );
}

export function authenticate(
  store: CredentialStore,
  tokens: TokenSettings,
  defaultSecurity: unknown[],
): (req: HttpRequest) => Promise<void> {
  const passport = new Passport();
  passport.use(
    'jwt',
    new JwtStrategy(
      {
        jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
        // A KeyObject: given a string, jsonwebtoken first tries (and fails) to parse a public key on every call.
        secretOrKey: secretKeyOf(tokens.secret) as unknown as string,
        issuer: tokens.issuer,
        audience: [ACCESS_AUDIENCE, EMBED_AUDIENCE],
        algorithms: ['HS256'],
        jsonWebTokenOptions: { clockTolerance: CLOCK_TOLERANCE_SECONDS },
      },
      (payload: JwtPayload, done: (error: unknown, user?: JwtPayload | false) => void) => done(null, payload),
    ),
  );

  const verifyWithPassport = (req: HttpRequest): Promise<JwtPayload> =>
    new Promise((resolve, reject) => {
      passport.authenticate(
        'jwt',
        { session: false },
        (error: unknown, payload: JwtPayload | false, info: unknown) => {
          if (error) reject(error);
          else if (!payload)
            reject(new UnauthorizedError(`The access token is not valid: ${reason(info)}.`, challenge()));
          else resolve(payload);
        },
      )(req, {} as never, reject);
    });

  // A token's signature, issuer and audience never change: each is verified once, then only its
  // dates are checked again. Nothing unverified enters the cache.
  const verified = new LRUCache<string, JwtPayload>({ max: VERIFIED_TOKENS });
  const verifyJwt = async (req: HttpRequest, authorization: string): Promise<JwtPayload> => {
    const known = verified.get(authorization);
    if (known && withinDates(known, Date.now())) return known;
    const payload = await verifyWithPassport(req);
    verified.set(authorization, payload);
    return payload;
  };

  // The schemes each operation accepts, worked out on its first request.
  const schemesOf = new WeakMap<object, ReadonlySet<string>>();
  return async (req) => {
    const operation = req.operation;
    const security = (operation?.definition.security ?? defaultSecurity) as Record<string, unknown>[];
    if (!operation || security.length === 0) return;
    let schemes = schemesOf.get(operation);
    if (!schemes) {
      schemes = new Set(security.flatMap((requirement) => Object.keys(requirement)));
      schemesOf.set(operation, schemes);
    }

    const authorization = headerOf(req, 'authorization') ?? queryToken(req);
    const apiKey = headerOf(req, 'x-api-key');
    if (authorization && apiKey) {
      throw new ValidationError('Send one credential: either Authorization or X-Api-Key, not both.', {
        errors: [{ in: 'header', field: 'x-api-key', message: 'must not be sent with Authorization' }],
      });
    }
    if (apiKey) {
      req.principal = await authenticateApiKey(store, apiKey, schemes);
      return;
    }
    if (!authorization) {
      throw new UnauthorizedError(
        'This operation needs credentials: a Bearer access token (POST /v1/auth/login) or an X-Api-Key.',
        challenge(),
      );
    }
    if (!BEARER.test(authorization)) {
      throw new UnauthorizedError('The Authorization header must be "Bearer <token>".', challenge());
    }
    const payload = await verifyJwt(req, authorization);
    if (typeof payload.sub !== 'string' || !UUID.test(payload.sub)) {
      throw new UnauthorizedError('The access token has no valid subject.', challenge());
    }
    const credential = await store.findUser(payload.sub);
    if (!credential) throw new UnauthorizedError('The access token names no known user.', challenge());
    const { user, tokenVersion } = credential;
    if (!user.active) throw new UnauthorizedError('This account is deactivated.', challenge());
    if ((typeof payload.ver === 'number' ? payload.ver : 0) !== tokenVersion) {
      throw new UnauthorizedError(
        'The token was revoked by a password change or a sign-out everywhere; sign in again.',
        challenge(),
      );
    }

    if (payload.aud === ACCESS_AUDIENCE) {
      if (!schemes.has('bearerAuth')) {
        throw new ForbiddenError('This operation does not accept user access tokens.');
      }
      req.principal = { kind: 'user', user };
      return;
    }
    req.principal = authorizeEmbed(
      payload,
      user,
      schemes,
      operation.definition['x-embed'] as EmbedRule | undefined,
      {
        origin: pageOrigin(req),
        pathParams: req.params as Record<string, string>,
      },
    );
  };
}

/**
 * The origin of the page a browser request comes from. Browsers send `Origin` on cross-origin
 * requests, but not on a same-origin GET: that one says `Sec-Fetch-Site: same-origin`, and its
 * page's origin is this server's, as the request addressed it.
 */
function pageOrigin(req: HttpRequest): string | undefined {
  const origin = headerOf(req, 'origin');
  if (origin) return origin;
  if (headerOf(req, 'sec-fetch-site') !== 'same-origin') return undefined;
  return ownOrigin(req);
}

/**
 * The `access_token` query parameter, on the operations marked `x-query-token` only (the realtime
 * streams, which browsers open without headers), as if it were sent as a Bearer header.
 */
function queryToken(req: HttpRequest): string | undefined {
  if (req.operation?.definition['x-query-token'] !== true) return undefined;
  const token = new URL(req.url, 'http://relais.invalid').searchParams.get('access_token');
  if (!token) return undefined;
  req.headers.authorization = `Bearer ${token}`;
  return req.headers.authorization;
}

async function authenticateApiKey(
  store: CredentialStore,
  key: string,
  schemes: ReadonlySet<string>,
): Promise<Principal> {
  const record = await store.verifyApiKey(key);
  if (!record) throw new UnauthorizedError('The API key is not valid or has been revoked.', challenge());
  if (!record.owner_active)
    throw new UnauthorizedError('The account that created this API key is deactivated.', challenge());
  if (!schemes.has('apiKeyAuth')) throw new ForbiddenError('This operation does not accept API keys.');
  return {
    kind: 'api_key',
    keyId: record.id,
    name: record.name,
    scopes: new Set(record.scopes),
    createdBy: record.created_by,
  };
}

/** Checks an embed token against the operation it calls: widget, subject and origin. */
export function authorizeEmbed(
  payload: JwtPayload,
  user: UserIdentity,
  schemes: ReadonlySet<string>,
  rule: EmbedRule | undefined,
  request: { origin: string | undefined; pathParams: Record<string, string> },
): Principal {
  const widgets = Array.isArray(payload.wid) ? (payload.wid as Widget[]) : [];
  const subject = payload.sbj as EmbedSubject | undefined;
  const origins = Array.isArray(payload.org) ? (payload.org as string[]) : [];
  if (!subject || typeof subject.id !== 'string' || !widgets.length) {
    throw new UnauthorizedError('The embed token is malformed.', challenge());
  }
  if (!schemes.has('embedToken') || !rule) {
    throw new ForbiddenError('Embed tokens reach only the operations their widgets need.');
  }
  if (!request.origin || !origins.includes(request.origin)) {
    throw new ForbiddenError(`This embed token is not valid from origin ${request.origin ?? '(none)'}.`);
  }
  if (!widgets.some((widget) => rule.widgets.includes(widget))) {
    throw new ForbiddenError(
      `This embed token serves ${widgets.join(', ')}; this operation serves ${rule.widgets.join(', ')}.`,
    );
  }
  if (rule.subject) {
    const sameType = rule.subject.type === subject.type;
    const param = rule.subject.param;
    const sameId = param ? request.pathParams[param] === subject.id : true;
    if (!sameType || !sameId) throw new ForbiddenError('This embed token is for another subject.');
  }
  return { kind: 'embed', user, widgets, subject, origins, expiresAt: new Date((payload.exp ?? 0) * 1000) };
}

const secretKeys = new Map<string, KeyObject>();

/** The HMAC key for a secret, created once. */
export function secretKeyOf(secret: string): KeyObject {
  let key = secretKeys.get(secret);
  if (!key) {
    key = createSecretKey(Buffer.from(secret, 'utf8'));
    secretKeys.set(secret, key);
  }
  return key;
}

function challenge() {
  return { headers: { 'WWW-Authenticate': 'Bearer realm="relais"' } };
}

function reason(info: unknown): string {
  if (info instanceof Error) {
    if (info.name === 'TokenExpiredError') return 'it has expired; sign in again';
    if (info.name === 'NotBeforeError') return 'it is not valid yet';
    if (/No auth token/i.test(info.message)) return 'none was sent';
    return info.message.replace(/^jwt /, '');
  }
  return 'it could not be verified';
}
