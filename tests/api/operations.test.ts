import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/src/app';
import { loadConfig } from '../../server/src/config';
import { startHttpServer } from '../../server/src/http/http-server';
import { createLogger } from '../../server/src/platform/core/logger';
import { createDatabase } from '../../server/src/platform/data/db';
import { OpenApiValidator } from '../../server/src/platform/web/openapi';
import { send, startTestApp, type TestApp } from '../helpers/app';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ env: { CORS_ORIGINS: 'https://intranet.example.com' } });
});
afterAll(() => app.close());

describe('operations endpoints', () => {
  it('GET /health answers ok without touching a dependency', async () => {
    const response = await app.request('GET', '/health');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: 'ok' });
  });

  it('GET /ready checks the database and reports the missing Redis as degraded', async () => {
    const response = await app.request('GET', '/ready');
    expect(response.status).toBe(200);
    expect(response.body.checks.database.status).toBe('ok');
    expect(response.body.checks.redis).toEqual({ status: 'not_configured' });
    expect(response.body.status).toBe('degraded');
  });

  it('GET /openapi.json serves the OpenAPI 3.1 document', async () => {
    const response = await app.request('GET', '/openapi.json');
    expect(response.body.openapi).toBe('3.1.0');
    expect(Object.keys(response.body.paths)).toEqual(expect.arrayContaining(['/health', '/ready']));
  });

  it('GET /docs serves a reference page whose every asset comes from this server', async () => {
    const response = await app.request('GET', '/docs');
    expect(response.headers.get('content-type')).toMatch(/text\/html/);
    const sources = [...response.text.matchAll(/(?:src|href|spec-url)="([^"]+)"/g)].map((match) => match[1]);
    expect(sources.length).toBeGreaterThan(0);
    for (const source of sources) expect(source).toMatch(/^\//);
    const asset = await fetch(`${app.url}${sources.find((source) => source?.endsWith('.js'))}`);
    expect(asset.status).toBe(200);
    expect((await asset.text()).length).toBeGreaterThan(100_000);
  });
});

describe('request ids', () => {
  it('generates one when none is sent', async () => {
    const response = await app.request('GET', '/health');
    expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('echoes a sane incoming id and replaces an insane one', async () => {
    const sane = await app.request('GET', '/health', { headers: { 'X-Request-Id': 'trace.abc-123_x' } });
    expect(sane.headers.get('x-request-id')).toBe('trace.abc-123_x');
    const insane = await app.request('GET', '/health', { headers: { 'X-Request-Id': 'a b<script>' } });
    expect(insane.headers.get('x-request-id')).not.toBe('a b<script>');
  });
});

describe('errors are problem+json', () => {
  it('answers an unknown path with a 404 problem carrying the request id', async () => {
    const response = await app.request('GET', '/v1/nothing-here', { headers: { 'X-Request-Id': 'req-404' } });
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(response.body).toMatchObject({ status: 404, instance: '/v1/nothing-here', request_id: 'req-404' });
  });

  it('answers a wrong method with 405 and Allow', async () => {
    const response = await app.request('DELETE', '/health');
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET');
  });

  it('answers malformed JSON with a 400 naming the body, without a stack trace', async () => {
    const response = await app.request('POST', '/health', {
      rawBody: '{"oops": ',
      headers: { 'content-type': 'application/json' },
    });
    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([{ in: 'body', field: '', message: 'is not valid JSON' }]);
    expect(response.text).not.toMatch(/at .*\.(ts|js):\d+/);
  });

  it('answers a body over the limit with 413', async () => {
    const response = await app.request('POST', '/health', {
      rawBody: `{"a":"${'x'.repeat(1_100_000)}"}`,
      headers: { 'content-type': 'application/json' },
    });
    expect(response.status).toBe(413);
  });

  it('answers an unknown query parameter with a 400 naming it', async () => {
    const response = await app.request('GET', '/ready?verbose=1');
    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([
      {
        in: 'query',
        field: 'verbose',
        message: 'is not a parameter of this operation, which takes no query parameters',
      },
    ]);
  });
});

describe('security headers and CORS', () => {
  it('sets helmet headers and hides the framework', async () => {
    const response = await app.request('GET', '/health');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('x-powered-by')).toBeNull();
  });

  it('allows only configured origins', async () => {
    const allowed = await app.request('GET', '/health', {
      headers: { Origin: 'https://intranet.example.com' },
    });
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://intranet.example.com');
    const other = await app.request('GET', '/health', { headers: { Origin: 'https://evil.example.com' } });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('readiness when the database is gone', () => {
  it('answers 503 unavailable while liveness stays 200', async () => {
    const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent' });
    const logger = createLogger(config);
    const db = createDatabase({ url: 'postgres://nobody@127.0.0.1:1/none', poolMax: 1, logger });
    const app = createApp({
      config,
      logger,
      db,
      redis: null,
      validator: new OpenApiValidator(),
      tokens: { secret: 'x'.repeat(40), issuer: 'relais' },
    });
    const http = await startHttpServer(app, { host: '127.0.0.1', port: 0 });
    try {
      const ready = await send<{ status: string; checks: { database: { status: string } } }>(
        http.url,
        'GET',
        '/ready',
        {},
      );
      expect(ready.status).toBe(503);
      expect(ready.body.status).toBe('unavailable');
      expect(ready.body.checks.database.status).toBe('down');
      expect((await send(http.url, 'GET', '/health', {})).status).toBe(200);
    } finally {
      await http.close(500);
      await db.destroy();
    }
  });
});
