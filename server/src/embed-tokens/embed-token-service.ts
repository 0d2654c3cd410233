/**
 * Embed tokens: what an intranet page's backend mints so a widget can call Relais from the
 * browser. A token acts for one user, serves listed widgets, for one subject, from listed origins,
 * for at most an hour. Tokens are not stored; revoking the acting user revokes them.
 */
import { recordChange } from '../audit';
import type { RequestContext } from '../platform/core/context';
import { type FieldError, ForbiddenError, NotFoundError, ValidationError } from '../platform/core/errors';
import { assertMayActFor, assertMayMintWidgets } from '../platform/core/grants';
import { actingUser, type EmbedSubject, type Widget } from '../platform/core/principal';
import type { Knex } from '../platform/data/db';
import type { TokenSettings } from '../platform/web/auth';
import { signEmbedToken } from '../platform/web/tokens';
import { findUserCredential } from '../users';

/**
 * The subject types each widget can show. The inbox and hot leads are the acting user's whatever
 * the subject, so one token can serve a page's four widgets around one person.
 */
const WIDGET_SUBJECTS: Record<Widget, readonly EmbedSubject['type'][]> = {
  timeline: ['person', 'organisation'],
  'lead-score': ['person'],
  inbox: ['person', 'organisation', 'inbox'],
  'hot-leads': ['person', 'organisation', 'inbox'],
};

export interface EmbedTokenRequest {
  widgets: Widget[];
  subject: { type: EmbedSubject['type']; id?: string };
  origins: string[];
  ttl_seconds?: number;
  user_id?: string;
}

export async function createEmbedToken(
  db: Knex,
  settings: TokenSettings & { defaultTtlSeconds: number; allowedOrigins: readonly string[] },
  context: RequestContext,
  input: EmbedTokenRequest,
) {
  const errors: FieldError[] = [];
  input.origins.forEach((origin, index) => {
    if (!settings.allowedOrigins.includes(origin)) {
      errors.push({
        in: 'body',
        field: `/origins/${index}`,
        message: 'is not in CORS_ORIGINS, so a widget there could not call the API',
      });
    }
  });
  input.widgets.forEach((widget, index) => {
    if (!WIDGET_SUBJECTS[widget].includes(input.subject.type)) {
      errors.push({
        in: 'body',
        field: `/widgets/${index}`,
        message: `cannot show a ${input.subject.type}; it shows ${WIDGET_SUBJECTS[widget].join(' or ')}`,
      });
    }
  });
  if (input.subject.type !== 'inbox' && !input.subject.id) {
    errors.push({ in: 'body', field: '/subject/id', message: `is required for a ${input.subject.type}` });
  }
  if (errors.length)
    throw new ValidationError('The embed token request cannot be honoured as it stands.', { errors });

  const { userId, tokenVersion } = await resolveActingUser(db, context, input);
  if (input.subject.type === 'inbox' && input.subject.id && input.subject.id !== userId) {
    throw new ValidationError('An inbox subject is the acting user’s own inbox.', {
      errors: [{ in: 'body', field: '/subject/id', message: 'must be the acting user’s id, or omitted' }],
    });
  }
  const subject: EmbedSubject = { type: input.subject.type, id: input.subject.id ?? userId };
  const widgets = [...new Set(input.widgets)];
  const signed = signEmbedToken(
    settings,
    { userId, widgets, subject, origins: input.origins, tokenVersion },
    input.ttl_seconds ?? settings.defaultTtlSeconds,
  );
  await recordChange(db, context, {
    action: 'create',
    resource: 'embed_tokens',
    resourceId: null,
    changes: {
      user_id: userId,
      widgets,
      subject,
      origins: input.origins,
      expires_at: signed.expiresAt.toISOString(),
    },
  });
  return {
    token: signed.token,
    token_type: 'Bearer' as const,
    expires_in: signed.expiresIn,
    expires_at: signed.expiresAt,
    user_id: userId,
    widgets,
    subject,
    origins: input.origins,
  };
}

/**
 * A user mints for themselves (an admin for anyone); an API key must name the user. Either way
 * the caller must hold what the widgets read, and, acting for someone else, with reach over all
 * records: a token never shows what its maker could not read as that user.
 */
async function resolveActingUser(
  db: Knex,
  context: RequestContext,
  input: EmbedTokenRequest,
): Promise<{ userId: string; tokenVersion: number }> {
  const requested = input.user_id;
  const caller = actingUser(context.principal);
  if (caller && requested && requested !== caller.id && context.reach !== 'all') {
    throw new ForbiddenError('You may create embed tokens only for yourself.');
  }
  const userId = requested ?? caller?.id;
  if (!userId) {
    throw new ValidationError('An API key must say which user the widget acts for.', {
      errors: [{ in: 'body', field: '/user_id', message: 'is required when an API key creates the token' }],
    });
  }
  assertMayMintWidgets(context.principal, input.widgets);
  const found = await findUserCredential(db, userId);
  if (!found?.user.active) throw new NotFoundError(`No active user ${userId}.`);
  if (userId !== caller?.id) assertMayActFor(context.principal, input.widgets, found.user);
  return { userId, tokenVersion: found.tokenVersion };
}
