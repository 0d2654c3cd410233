/**
 * Once per test run: a PostgreSQL server (TEST_DATABASE_URL, else DATABASE_URL, else an embedded
 * one in a temporary folder), a template database migrated once that every test file clones, and
 * the Redis and Chromium the run may use. With CI=true a missing Redis or Chromium fails the run
 * instead of skipping the tests that need them.
 */
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createClient } from 'redis';
import type { TestProject } from 'vitest/node';
import { createLogger } from '../../server/src/platform/core/logger';
import { createDatabase, migrateLatest } from '../../server/src/platform/data/db';
import {
  type EmbeddedPostgresHandle,
  startEmbeddedPostgres,
} from '../../server/src/platform/data/embedded-postgres';
import { adminQuery, withDatabase } from './postgres';

declare module 'vitest' {
  export interface ProvidedContext {
    databaseAdminUrl: string;
    templateDatabase: string;
    redisUrl: string | null;
    chromiumPath: string | null;
  }
}

const CHROMIUM = '/usr/bin/chromium';

export default async function setup(project: TestProject) {
  const logger = createLogger({ logLevel: 'silent' });
  const isCi = process.env.CI === 'true';
  let embedded: EmbeddedPostgresHandle | null = null;
  let tempDir: string | null = null;
  let adminUrl = process.env.TEST_DATABASE_URL || process.env.DATABASE_URL || '';
  if (!adminUrl) {
    tempDir = await fs.mkdtemp(path.join(os.tmpdir(), 'relais-test-pg-'));
    await fs.chmod(tempDir, 0o755);
    embedded = await startEmbeddedPostgres({
      dataDir: tempDir,
      port: 0,
      database: 'relais_admin',
      logger,
      persistent: false,
    });
    adminUrl = embedded.url;
  }

  const template = `relais_tpl_${process.pid}_${Date.now().toString(36)}`;
  await adminQuery(adminUrl, `CREATE DATABASE "${template}"`);
  const db = createDatabase({ url: withDatabase(adminUrl, template), poolMax: 2, logger });
  try {
    await migrateLatest(db);
  } finally {
    await db.destroy();
  }

  const redisUrl = await findRedis(
    process.env.TEST_REDIS_URL || process.env.REDIS_URL || 'redis://127.0.0.1:6379',
  );
  if (!redisUrl && isCi)
    throw new Error('CI=true: Redis must answer (set TEST_REDIS_URL or start redis-server on 6379).');
  const chromiumPath = existsSync(CHROMIUM) ? CHROMIUM : null;
  if (!chromiumPath && isCi)
    throw new Error(`CI=true: Chromium must be installed at ${CHROMIUM} (apt-get install chromium).`);

  project.provide('databaseAdminUrl', adminUrl);
  project.provide('templateDatabase', template);
  project.provide('redisUrl', redisUrl);
  project.provide('chromiumPath', chromiumPath);

  return async () => {
    await adminQuery(adminUrl, `DROP DATABASE IF EXISTS "${template}" WITH (FORCE)`).catch(() => undefined);
    await embedded?.stop();
    if (tempDir) await fs.rm(tempDir, { recursive: true, force: true });
  };
}

async function findRedis(url: string): Promise<string | null> {
  const client = createClient({ url, socket: { connectTimeout: 1_000, reconnectStrategy: false } });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.ping();
    return url;
  } catch {
    return null;
  } finally {
    if (client.isOpen) await client.close();
  }
}
