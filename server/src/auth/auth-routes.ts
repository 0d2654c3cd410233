import { Router } from 'express';
import type { Config } from '../config';
import { publicRoute, signedIn } from '../platform/access';
import type { TokenSettings } from '../platform/auth';
import { contextOf } from '../platform/context';
import type { Knex } from '../platform/db';
import { actingUser } from '../platform/principal';
import { createRateLimit } from '../platform/rate-limit';
import type { RedisClient } from '../platform/redis';
import { findUserById, type UserDirectory, updateOwnProfile } from '../users';
import { login } from './auth-service';

export function authRoutes(deps: {
  db: Knex;
  redis: RedisClient | null;
  config: Config;
  tokens: TokenSettings;
  users: UserDirectory;
}): Router {
  const { db, config } = deps;
  const router = Router();
  const limits = config.loginLimits;
  const perIp = createRateLimit(deps.redis, {
    name: 'login-ip',
    windowSeconds: limits.windowSeconds,
    limit: limits.perIp,
    key: (req) => `ip:${req.ip}`,
    detail: 'Too many sign-in attempts from this address; wait before trying again.',
  });
  const perAccount = createRateLimit(deps.redis, {
    name: 'login-account',
    windowSeconds: limits.windowSeconds,
    limit: limits.perAccount,
    key: (req) => `account:${String(req.body?.email ?? '').toLowerCase()}`,
    failuresOnly: true,
    detail: 'Too many failed sign-ins for this account; wait before trying again.',
  });

  router.post('/v1/auth/login', publicRoute, perIp, perAccount, async (req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    res.json(await login(db, { ...deps.tokens, ttlSeconds: config.jwtTtlSeconds }, req.body));
  });

  router.get('/v1/me', signedIn, async (req, res) => {
    res.json(actingUser(contextOf(req).principal));
  });

  router.patch('/v1/me', signedIn, async (req, res) => {
    const context = contextOf(req);
    const user = actingUser(context.principal)!;
    await updateOwnProfile(db, { ...context, reach: 'own' }, user.id, req.body);
    deps.users.evict(user.id);
    res.json(await findUserById(db, user.id));
  });

  return router;
}
