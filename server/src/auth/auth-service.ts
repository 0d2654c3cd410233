/**
 * Signing in: email and password for an access token. An unknown email and a wrong password get
 * the same answer in the same time, so the endpoint tells nobody which emails exist.
 */

import { UnauthorizedError } from '../platform/core/errors';
import { verifyAgainstNothing, verifyPassword } from '../platform/core/passwords';
import type { Knex } from '../platform/data/db';
import type { TokenSettings } from '../platform/web/auth';
import { signAccessToken } from '../platform/web/tokens';
import { findUserWithHashByEmail, type User } from '../users';

export interface LoginResult {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  user: User;
}

export async function login(
  db: Knex,
  tokens: TokenSettings & { ttlSeconds: number },
  credentials: { email: string; password: string },
): Promise<LoginResult> {
  const found = await findUserWithHashByEmail(db, credentials.email.toLowerCase());
  const valid = found
    ? await verifyPassword(found.password_hash, credentials.password)
    : await verifyAgainstNothing(credentials.password);
  if (!found || !valid) throw new UnauthorizedError('The email or the password is incorrect.');
  if (!found.active)
    throw new UnauthorizedError('This account is deactivated; ask an admin to reactivate it.');
  const { password_hash: _hash, token_version, ...user } = found;
  const signed = signAccessToken(tokens, user, tokens.ttlSeconds, token_version);
  return { access_token: signed.token, token_type: 'Bearer', expires_in: signed.expiresIn, user };
}
