/**
 * How each provider's delivery is authenticated before its body is trusted. Signed providers
 * (Standard Webhooks, SendGrid, Mailgun) are verified cryptographically; the others present the
 * credential configured for them, compared in constant time.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';
import type { Config } from '../config';
import { UnauthorizedError } from '../platform/errors';
import type { Provider } from './email-events';
import { type MailgunSignature, verifyMailgunSignature } from './providers/mailgun';
import {
  SENDGRID_SIGNATURE_HEADER,
  SENDGRID_TIMESTAMP_HEADER,
  sendgridPublicKey,
  verifySendgridSignature,
} from './providers/sendgrid';
import { secretKey, TOLERANCE_SECONDS, verifyWebhook, WebhookVerificationError } from './standard-webhooks';

type MarketingConfig = Config['marketing'];

export function verifyStandardWebhook(config: MarketingConfig, req: Request, raw: Buffer, now: Date): void {
  if (config.webhookSecrets.length === 0)
    throw new UnauthorizedError('No webhook secret is configured on this server: set RELAIS_WEBHOOK_SECRET.');
  try {
    verifyWebhook({ keys: config.webhookSecrets.map(secretKey), headers: req.headers, payload: raw, now });
  } catch (error) {
    if (error instanceof WebhookVerificationError) throw new UnauthorizedError(error.message);
    throw error;
  }
}

export function verifySendgrid(config: MarketingConfig, req: Request, raw: Buffer, now: Date): void {
  if (!config.sendgridPublicKey)
    throw new UnauthorizedError('SendGrid deliveries are not configured: set RELAIS_SENDGRID_PUBLIC_KEY.');
  const signature = req.get(SENDGRID_SIGNATURE_HEADER);
  const timestamp = req.get(SENDGRID_TIMESTAMP_HEADER);
  if (!signature || !timestamp)
    throw new UnauthorizedError(
      `The ${SENDGRID_SIGNATURE_HEADER} and ${SENDGRID_TIMESTAMP_HEADER} headers are required.`,
    );
  assertFresh(timestamp, now);
  if (!verifySendgridSignature(sendgridPublicKey(config.sendgridPublicKey), timestamp, raw, signature))
    throw new UnauthorizedError('The SendGrid signature does not match this delivery.');
}

export function verifyMailgun(config: MarketingConfig, signature: MailgunSignature, now: Date): void {
  if (!config.mailgunSigningKey)
    throw new UnauthorizedError('Mailgun deliveries are not configured: set RELAIS_MAILGUN_SIGNING_KEY.');
  assertFresh(signature.timestamp, now);
  if (!verifyMailgunSignature(config.mailgunSigningKey, signature))
    throw new UnauthorizedError('The Mailgun signature does not match this delivery.');
}

/** Brevo, Postmark and Mailjet sign nothing: the delivery must present the configured credential. */
export function verifyCredential(config: MarketingConfig, provider: Provider, req: Request): void {
  const expected = config.credentials[provider as keyof MarketingConfig['credentials']];
  const variable = `RELAIS_${provider.toUpperCase()}_CREDENTIAL`;
  if (!expected) throw new UnauthorizedError(`${provider} deliveries are not configured: set ${variable}.`);
  const presented = presentedCredential(req);
  if (presented === null)
    throw new UnauthorizedError(
      `Send the ${provider} credential as basic auth in the webhook URL (https://user:password@host/...) or as ?token=.`,
    );
  if (!sameSecret(presented, expected)) throw new UnauthorizedError(`The ${provider} credential is wrong.`);
}

function presentedCredential(req: Request): string | null {
  const header = req.get('authorization');
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

function assertFresh(timestamp: string, now: Date): void {
  if (!/^\d+$/.test(timestamp)) throw new UnauthorizedError('The signature timestamp must be Unix seconds.');
  const age = Math.floor(now.getTime() / 1000) - Number(timestamp);
  if (age > TOLERANCE_SECONDS)
    throw new UnauthorizedError(`The delivery is too old (${age} s; at most ${TOLERANCE_SECONDS} s).`);
  if (age < -TOLERANCE_SECONDS)
    throw new UnauthorizedError(`The delivery's timestamp is ${-age} s in the future.`);
}
