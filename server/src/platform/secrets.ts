import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../config';

/**
 * The JWT signing secret: `JWT_SECRET` when set; otherwise (never in production, which config
 * refuses) one generated at first start and kept in the data folder, so tokens survive restarts
 * and processes sharing the folder agree.
 */
export async function resolveJwtSecret(config: Config): Promise<string> {
  if (config.jwtSecret) return config.jwtSecret;
  const file = path.resolve(config.dataDir, 'jwt-secret');
  try {
    const existing = (await fs.readFile(file, 'utf8')).trim();
    if (existing.length >= 32) return existing;
  } catch {
    // First start: generate below.
  }
  await fs.mkdir(path.dirname(file), { recursive: true, mode: 0o755 });
  const secret = randomBytes(48).toString('base64url');
  await fs.writeFile(file, secret, { mode: 0o600 });
  return secret;
}
