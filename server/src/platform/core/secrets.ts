import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../../config';

/**
 * The JWT signing secret: `JWT_SECRET` when set; otherwise (never in production, which config
 * refuses) one generated at first start and kept in the data folder, so tokens survive restarts
 * and processes sharing the folder agree.
 */
export async function resolveJwtSecret(config: Config): Promise<string> {
  if (config.jwtSecret) return config.jwtSecret;
  return kept(
    config,
    'jwt-secret',
    (text) => text.length >= 32,
    () => randomBytes(48).toString('base64url'),
  );
}

/** Where the demo's webhook secret is kept, for `npm run demo:email-events` to sign with. */
export const DEMO_WEBHOOK_SECRET_FILE = 'webhook-secret';

/**
 * The Standard Webhooks secrets the ingest endpoint accepts: `RELAIS_WEBHOOK_SECRET` when set;
 * with demo data and none set, one generated at first start and kept in the data folder, so the
 * demo's webhook path can be tried at once. Otherwise (production) none: every delivery is refused.
 */
export async function resolveWebhookSecrets(config: Config, demo: boolean): Promise<readonly string[]> {
  if (config.marketing.webhookSecrets.length || !demo) return config.marketing.webhookSecrets;
  const secret = await kept(
    config,
    DEMO_WEBHOOK_SECRET_FILE,
    (text) => /^whsec_[A-Za-z0-9+/]{32,}={0,2}$/.test(text),
    () => `whsec_${randomBytes(32).toString('base64')}`,
  );
  return [secret];
}

/** A secret kept in the data folder: read when valid, else generated and written (owner-only). */
async function kept(
  config: Config,
  name: string,
  valid: (text: string) => boolean,
  generate: () => string,
): Promise<string> {
  const file = path.resolve(config.dataDir, name);
  try {
    const existing = (await fs.readFile(file, 'utf8')).trim();
    if (valid(existing)) return existing;
  } catch {
    // First start: generate below.
  }
  await fs.mkdir(path.dirname(file), { recursive: true, mode: 0o755 });
  const secret = generate();
  await fs.writeFile(file, secret, { mode: 0o600 });
  return secret;
}
