import { describe, expect, inject, it } from 'vitest';
import { startTestApp } from '../helpers/app';

const redisUrl = inject('redisUrl');

describe.skipIf(!redisUrl)('readiness with Redis', () => {
  it('reports ok when Redis answers', async () => {
    const app = await startTestApp({ env: { REDIS_URL: redisUrl! } });
    try {
      const response = await app.request('GET', '/ready');
      expect(response.status).toBe(200);
      expect(response.body.checks.redis.status).toBe('ok');
      expect(response.body.status).toBe('ok');
    } finally {
      await app.close();
    }
  });
});

describe('readiness with Redis configured but down', () => {
  it('stays 200, degraded, and keeps answering', async () => {
    const app = await startTestApp({ env: { REDIS_URL: 'redis://127.0.0.1:1' } });
    try {
      const response = await app.request('GET', '/ready');
      expect(response.status).toBe(200);
      expect(response.body.status).toBe('degraded');
      expect(response.body.checks.redis.status).toBe('down');
      expect((await app.request('GET', '/health')).status).toBe(200);
    } finally {
      await app.close();
    }
  });
});
