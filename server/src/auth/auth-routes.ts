import type { Config } from '../config';
import { NotFoundError } from '../platform/core/errors';
import { actingUser } from '../platform/core/principal';
import type { RedisClient } from '../platform/runtime/redis';
import type { ServiceDeps } from '../platform/runtime/service-deps';
import { publicRoute, signedIn } from '../platform/web/access';
import type { TokenSettings } from '../platform/web/auth';
import { contextOf } from '../platform/web/context-of';
import { createRateLimit } from '../platform/web/rate-limit';
import { Routes } from '../platform/web/routes';
import { signOutEverywhere, type UserDirectory, updateOwnProfile } from '../users';
import { login } from './auth-service';

export function authRoutes(deps: {
  services: ServiceDeps;
  redis: RedisClient | null;
  config: Config;
  tokens: TokenSettings;
  users: UserDirectory;
}): Routes {
  const { config, services } = deps;
  const { db } = services;
  const routes = new Routes();
  const limits = config.loginLimits;
  const perIp = createRateLimit(deps.redis, config.redisPrefix, {
    name: 'login-ip',
    windowSeconds: limits.windowSeconds,
    limit: limits.perIp,
    key: (req) => `ip:${req.ip}`,
    detail: 'Too many sign-in attempts from this address; wait before trying again.',
  });
  const perAccount = createRateLimit(deps.redis, config.redisPrefix, {
    name: 'login-account',
    windowSeconds: limits.windowSeconds,
    limit: limits.perAccount,
    key: (req) =>
      `account:${String((req.body as { email?: unknown } | undefined)?.email ?? '').toLowerCase()}`,
    failuresOnly: true,
    detail: 'Too many failed sign-ins for this account; wait before trying again.',
  });

  routes.post(
    '/v1/auth/login',
    publicRoute,
    async (req, reply) => {
      reply.header('Cache-Control', 'no-store');
      reply.send(await login(db, { ...deps.tokens, ttlSeconds: config.jwtTtlSeconds }, req.body));
    },
    { hooks: [perIp, perAccount] },
  );

  // The signed-in user as the spec shows them, from the directory authentication read them from.
  routes.get('/v1/me', signedIn, async (req, reply) => {
    const { id } = actingUser(contextOf(req).principal)!;
    const user = await deps.users.find(id);
    if (!user) throw new NotFoundError(`User ${id} not found.`);
    reply.send(user);
  });

  routes.patch('/v1/me', signedIn, async (req, reply) => {
    const context = contextOf(req);
    const user = actingUser(context.principal)!;
    const updated = await updateOwnProfile(services, { ...context, reach: 'own' }, user.id, req.body);
    deps.users.evict(user.id);
    reply.send(updated);
  });

  routes.post('/v1/auth/logout-everywhere', signedIn, async (req, reply) => {
    const context = contextOf(req);
    const user = actingUser(context.principal)!;
    await signOutEverywhere(db, { ...context, reach: 'own' }, user.id);
    deps.users.evict(user.id);
    reply.code(204).send();
  });

  return routes;
}
