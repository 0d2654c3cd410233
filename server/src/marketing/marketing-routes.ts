/**
 * Email-provider webhooks in, email events out. Ingest routes read the body as raw bytes
 * (declared with `rawBody`), authenticate it, and only then parse and validate it.
 */
import type { Config } from '../config';
import {
  AppError,
  ServiceUnavailableError,
  UnauthorizedError,
  ValidationError,
} from '../platform/core/errors';
import { webhookDeliveries } from '../platform/runtime/metrics';
import type { ServiceDeps } from '../platform/runtime/service-deps';
import { can, publicRoute } from '../platform/web/access';
import { type OpenApiValidator, RequestValidationFailure } from '../platform/web/openapi';
import { type RouteHooks, type RouteRequest, Routes } from '../platform/web/routes';
import { listEmailEvents } from './email-event-service';
import { type NormalisedEvent, PayloadError, type Provider } from './email-events';
import { ingestEvents } from './ingest-service';
import { parseJsonBody } from './json-body';
import { parseBrevo } from './providers/brevo';
import { parseGeneric } from './providers/generic';
import { mailgunSignatureOf, parseMailgun } from './providers/mailgun';
import { parseMailjet } from './providers/mailjet';
import { parsePostmark } from './providers/postmark';
import { parseSendgrid } from './providers/sendgrid';
import { webhookAuth } from './webhook-auth';

export const INGEST_PATH = '/v1/marketing/email/ingest';

const PARSERS: Record<Provider, (body: unknown) => NormalisedEvent[]> = {
  sendgrid: parseSendgrid,
  mailgun: parseMailgun,
  brevo: parseBrevo,
  postmark: parsePostmark,
  mailjet: parseMailjet,
};

/** A metrics label from a known set: the path parameter is whatever the caller sent. */
function providerLabel(provider: string | undefined): string {
  if (provider === undefined) return 'standard-webhooks';
  return Object.hasOwn(PARSERS, provider) ? provider : 'unknown';
}

export function marketingRoutes(deps: {
  services: ServiceDeps;
  config: Config;
  validator: OpenApiValidator;
  clock: () => Date;
}): Routes {
  const { services, clock } = deps;
  const { db } = services;
  const verify = webhookAuth(deps.config.marketing);
  const routes = new Routes();
  // Every delivery, accepted or refused, by provider and status (a burst of 401s is an alert).
  const counted: RouteHooks = {
    async onResponse(req, reply) {
      webhookDeliveries.inc({
        provider: providerLabel((req.params as { provider?: string }).provider),
        status: String(reply.statusCode),
      });
    },
  };
  const ingest = { hooks: [counted], rawBody: { bodyLimit: deps.config.marketing.bodyLimit } };

  routes.post(
    INGEST_PATH,
    publicRoute,
    async (req, reply) => {
      const raw = rawBodyOf(req);
      verify.standardWebhook(req, raw, clock());
      const body = readBody(deps.validator, req, raw, { lossless: false });
      reply.send(await store(services, () => parseGeneric(body), { now: clock() }));
    },
    ingest,
  );

  routes.post(
    `${INGEST_PATH}/:provider`,
    publicRoute,
    async (req, reply) => {
      const provider = req.params.provider as Provider;
      const raw = rawBodyOf(req);
      if (provider === 'sendgrid') verify.sendgrid(req, raw, clock());
      else if (provider !== 'mailgun') verify.credential(provider, req);
      const body = readBody(deps.validator, req, raw);
      let replayToken: { provider: string; token: string } | undefined;
      if (provider === 'mailgun') {
        // Mailgun signs a timestamp and a token carried in the body, not the body itself.
        const signature = asValidation(() => mailgunSignatureOf(body));
        verify.mailgun(signature, clock());
        replayToken = { provider, token: signature.token };
      }
      reply.send(await store(services, () => PARSERS[provider](body), { now: clock(), replayToken }));
    },
    ingest,
  );

  routes.get('/v1/email-events', can('email_events', 'read'), async (req, reply) => {
    reply.send(await listEmailEvents(db, req.query));
  });

  return routes;
}

function rawBodyOf(req: RouteRequest): Buffer {
  return Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
}

function readBody(
  validator: OpenApiValidator,
  req: RouteRequest,
  raw: Buffer,
  options: { lossless?: boolean } = {},
): unknown {
  const body = asValidation(() => parseJsonBody(raw, options));
  try {
    validator.validateBody(req.operation!, body);
  } catch (error) {
    if (error instanceof RequestValidationFailure)
      throw new ValidationError(error.message, { errors: error.errors });
    throw error;
  }
  return body;
}

/** A payload an adapter cannot read is the sender's error: a 400 naming the field. */
function asValidation<T>(read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (!(error instanceof PayloadError)) throw error;
    throw new ValidationError(`The delivery cannot be read: ${error.field || '(root)'} ${error.message}.`, {
      errors: [{ in: 'body', field: error.field, message: error.message }],
    });
  }
}

/**
 * Parses then stores. Once a delivery is authenticated and its body validated, whatever keeps it
 * from being stored is this server's to fix, never the sender's: a 503, which providers retry,
 * while a 4xx would make them drop the events.
 */
async function store(
  services: ServiceDeps,
  parse: () => NormalisedEvent[],
  options: { now: Date; replayToken?: { provider: string; token: string } },
) {
  const events = asValidation(parse);
  try {
    return await ingestEvents(services, events, {
      ...options,
      onReplay: () =>
        new UnauthorizedError('This Mailgun signature token was already used: the delivery is a replay.'),
    });
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw new ServiceUnavailableError(
      'The events could not be stored, and none were kept; retry the delivery.',
      {
        headers: { 'Retry-After': '5' },
        cause: error,
      },
    );
  }
}
