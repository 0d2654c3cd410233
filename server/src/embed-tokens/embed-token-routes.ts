import { Router } from 'express';
import type { Config } from '../config';
import { can, signedIn } from '../platform/access';
import type { TokenSettings } from '../platform/auth';
import { contextOf } from '../platform/context';
import type { Knex } from '../platform/db';
import { createEmbedToken } from './embed-token-service';

export function embedTokenRoutes(deps: { db: Knex; config: Config; tokens: TokenSettings }): Router {
  const router = Router();
  const settings = {
    ...deps.tokens,
    defaultTtlSeconds: deps.config.embedTokenTtlSeconds,
    allowedOrigins: deps.config.corsOrigins,
  };

  router.post('/v1/embed-tokens', can('embed_tokens', 'create'), async (req, res) => {
    const created = await createEmbedToken(deps.db, settings, contextOf(req), req.body);
    res.setHeader('Cache-Control', 'no-store');
    res.status(201).json(created);
  });

  router.get('/v1/embed-tokens/current', signedIn, (req, res) => {
    const principal = contextOf(req).principal;
    if (principal.kind !== 'embed') throw new Error('unreachable: the spec admits only embed tokens here');
    res.json({
      user_id: principal.user.id,
      widgets: principal.widgets,
      subject: principal.subject,
      origins: principal.origins,
      expires_at: principal.expiresAt,
    });
  });

  return router;
}
