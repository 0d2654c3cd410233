import type { Config } from '../config';
import type { Knex } from '../platform/data/db';
import { can, signedIn } from '../platform/web/access';
import type { TokenSettings } from '../platform/web/auth';
import { contextOf } from '../platform/web/context-of';
import { Routes } from '../platform/web/routes';
import { createEmbedToken } from './embed-token-service';

export function embedTokenRoutes(deps: { db: Knex; config: Config; tokens: TokenSettings }): Routes {
  const routes = new Routes();
  const settings = {
    ...deps.tokens,
    defaultTtlSeconds: deps.config.embedTokenTtlSeconds,
    allowedOrigins: deps.config.corsOrigins,
  };

  routes.post('/v1/embed-tokens', can('embed_tokens', 'create'), async (req, reply) => {
    const created = await createEmbedToken(deps.db, settings, contextOf(req), req.body);
    reply.header('Cache-Control', 'no-store');
    reply.code(201).send(created);
  });

  routes.get('/v1/embed-tokens/current', signedIn, (req, reply) => {
    const principal = contextOf(req).principal;
    if (principal.kind !== 'embed') throw new Error('unreachable: the spec admits only embed tokens here');
    reply.send({
      user_id: principal.user.id,
      user_name: principal.user.name,
      time_zone: principal.user.time_zone,
      widgets: principal.widgets,
      subject: principal.subject,
      origins: principal.origins,
      expires_at: principal.expiresAt,
    });
  });

  return routes;
}
