/**
 * Signing the tokens `auth.ts` verifies: user access tokens and widget embed tokens, both HS256
 * JWTs with our issuer, told apart by audience.
 */
import { randomUUID } from 'node:crypto';
import jwt from 'jsonwebtoken';
import type { EmbedSubject, Widget } from '../core/principal';
import { ACCESS_AUDIENCE, EMBED_AUDIENCE, secretKeyOf, type TokenSettings } from './auth';

export interface SignedToken {
  token: string;
  expiresIn: number;
  expiresAt: Date;
}

/** `tokenVersion`: the user's current token version; bumping it revokes the token (`ver`). */
export function signAccessToken(
  settings: TokenSettings,
  user: { id: string; role: string },
  ttlSeconds: number,
  tokenVersion = 0,
): SignedToken {
  return sign(settings, ACCESS_AUDIENCE, user.id, { role: user.role, ver: tokenVersion }, ttlSeconds);
}

export function signEmbedToken(
  settings: TokenSettings,
  claims: {
    userId: string;
    widgets: Widget[];
    subject: EmbedSubject;
    origins: string[];
    tokenVersion?: number;
  },
  ttlSeconds: number,
): SignedToken {
  return sign(
    settings,
    EMBED_AUDIENCE,
    claims.userId,
    { wid: claims.widgets, sbj: claims.subject, org: claims.origins, ver: claims.tokenVersion ?? 0 },
    ttlSeconds,
  );
}

function sign(
  settings: TokenSettings,
  audience: string,
  subject: string,
  claims: object,
  ttlSeconds: number,
): SignedToken {
  const token = jwt.sign(claims, secretKeyOf(settings.secret), {
    algorithm: 'HS256',
    issuer: settings.issuer,
    audience,
    subject,
    expiresIn: ttlSeconds,
    jwtid: randomUUID(),
  });
  return { token, expiresIn: ttlSeconds, expiresAt: new Date(Date.now() + ttlSeconds * 1000) };
}
