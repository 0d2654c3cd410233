/**
 * How each provider's delivery is authenticated before its body is trusted. Signed providers
 * (Standard Webhooks, SendGrid, Mailgun) are verified cryptographically; the others present the
 * credential configured for them, compared in constant time.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Config } from '../config';
import type { HttpRequest as Request } from '../http/types';
import { UnauthorizedError } from '../platform/core/errors';
import { headerOf } from '../platform/web/routes';
import type { Provider } from './email-events';
import { type MailgunSignature, verifyMailgunSignature } from './providers/mailgun';
import {
  SENDGRID_SIGNATURE_HEADER,
  SENDGRID_TIMESTAMP_HEADER,
  sendgridPublicKey,
  verifySendgridSignature,
} from './providers/sendgrid';
import { assertFresh, secretKey, verifyWebhook, WebhookVerificationError } from './standard-webhooks';

type MarketingConfig = Config['marketing'];

/**
 * The checks for one configuration; keys are decoded once here, not on every delivery.
 * Every check throws an UnauthorizedError saying what is missing or wrong.
 */
export function webhookAuth(config: MarketingConfig) {
  const standardKeys = config.webhookSecrets.map(secretKey);
  const sendgridKey = config.sendgridPublicKey ? sendgridPublicKey(config.sendgridPublicKey) : null;

  return {
    standardWebhook(req: Request, raw: Buffer, now: Date): void {
      if (standardKeys.length === 0)
        throw new UnauthorizedError(
          'No webhook secret is configured on this server: set RELAIS_WEBHOOK_SECRET.',
        );
      unauthorizedOnFailure(() =>
        verifyWebhook({ keys: standardKeys, headers: req.headers, payload: raw, now }),
      );
    },

    sendgrid(req: Request, raw: Buffer, now: Date): void {
      if (!sendgridKey)
        throw new UnauthorizedError(
          'SendGrid deliveries are not configured: set RELAIS_SENDGRID_PUBLIC_KEY.',
        );
      const signature = headerOf(req, SENDGRID_SIGNATURE_HEADER);
      const timestamp = headerOf(req, SENDGRID_TIMESTAMP_HEADER);
      if (!signature || !timestamp)
        throw new UnauthorizedError(
          `The ${SENDGRID_SIGNATURE_HEADER} and ${SENDGRID_TIMESTAMP_HEADER} headers are required.`,
        );
      unauthorizedOnFailure(() => assertFresh(timestamp, now));
      if (!verifySendgridSignature(sendgridKey, timestamp, raw, signature))
        throw new UnauthorizedError('The SendGrid signature does not match this delivery.');
    },

    mailgun(signature: MailgunSignature, now: Date): void {
      if (!config.mailgunSigningKey)
        throw new UnauthorizedError('Mailgun deliveries are not configured: set RELAIS_MAILGUN_SIGNING_KEY.');
      unauthorizedOnFailure(() => assertFresh(signature.timestamp, now));
      if (!verifyMailgunSignature(config.mailgunSigningKey, signature))
        throw new UnauthorizedError('The Mailgun signature does not match this delivery.');
    },

    /** Brevo, Postmark and Mailjet sign nothing: the delivery must present the configured credential. */
    credential(provider: Provider, req: Request): void {
      const expected = config.credentials[provider as keyof MarketingConfig['credentials']];
      const variable = `RELAIS_${provider.toUpperCase()}_CREDENTIAL`;
      if (!expected)
        throw new UnauthorizedError(`${provider} deliveries are not configured: set ${variable}.`);
      const presented = presentedCredential(req);
      if (presented === null)
        throw new UnauthorizedError(
          `Send the ${provider} credential as basic auth in the webhook URL (https://user:password@host/...) or as ?token=.`,
        );
      if (!sameSecret(presented, expected))
        throw new UnauthorizedError(`The ${provider} credential is wrong.`);
    },
  };
}

function unauthorizedOnFailure(check: () => unknown): void {
  try {
    check();
  } catch (error) {
    if (error instanceof WebhookVerificationError) throw new UnauthorizedError(error.message);
    throw error;
  }
}

function presentedCredential(req: Request): string | null {
  const header = headerOf(req, 'authorization');
  const basic = header && /^Basic\s+(\S+)$/i.exec(header);
  if (basic) return Buffer.from(basic[1]!, 'base64').toString('utf8');
  const token = (req.query as { token?: string }).token;
  return typeof token === 'string' && token !== '' ? token : null;
}

/** Equal strings, in time independent of where they differ (digests have equal lengths). */
function sameSecret(presented: string, expected: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(presented), digest(expected));
}
