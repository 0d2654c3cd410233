import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../tests/helpers/app';
import { createRelaisClient } from '../src';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

describe('createRelaisClient', () => {
  it('calls /health on a real server with types from the spec', async () => {
    const relais = createRelaisClient({ baseUrl: app.url });
    const { data, error, response } = await relais.GET('/health');
    expect(error).toBeUndefined();
    expect(response.headers.get('x-request-id')).toBeTruthy();
    const status: 'ok' | undefined = data?.status;
    expect(status).toBe('ok');
  });

  it('returns the problem document as a typed error', async () => {
    const relais = createRelaisClient({ baseUrl: app.url });
    const { data, error } = await relais.GET('/ready', { params: { query: { verbose: 1 } as never } });
    expect(data).toBeUndefined();
    expect(error).toMatchObject({ status: 400, errors: [{ in: 'query', field: 'verbose' }] });
  });
});
