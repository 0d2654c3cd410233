import { describe, expect, it } from 'vitest';
import { scrubBreadcrumb, scrubEvent, scrubText } from '../../server/src/platform/runtime/sentry';

const JWT =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwiYXVkIjoicmVsYWlzLWFwaSJ9.c2lnbmF0dXJlLXNpZ25hdHVyZQ';

describe('the Sentry scrubber', () => {
  it('removes secrets and personal data from any text', () => {
    const text = [
      `token ${JWT}`,
      'Authorization: Bearer abc.def.ghi',
      'secret whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
      'key rk_live_0123456789abcdef',
      'signature v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4=',
      'from jeanne.dupont@example.com',
      'password=hunter2&next=1',
      'GET /v1/events?access_token=abc&last_event_id=1-0',
    ].join('\n');
    const scrubbed = scrubText(text);
    for (const leaked of [
      JWT,
      'abc.def.ghi',
      'whsec_MfKQ',
      'rk_live_0123456789abcdef',
      'K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN',
      'jeanne.dupont',
      'hunter2',
      'access_token=abc',
    ]) {
      expect(scrubbed).not.toContain(leaked);
    }
    expect(scrubbed).toContain('[email]');
    expect(scrubbed).toContain('last_event_id=[Filtered]');
  });

  it('keeps only harmless request parts and the user id', () => {
    const event = scrubEvent({
      message: 'failed for jeanne@example.com',
      request: {
        method: 'POST',
        url: 'http://relais.test/v1/people?email=jeanne@example.com',
        headers: {
          authorization: `Bearer ${JWT}`,
          'x-api-key': 'rk_live_abcdefghij',
          'user-agent': 'curl/8',
          cookie: 'a=b',
        },
        data: { email: 'jeanne@example.com', password: 'hunter2' },
        query_string: 'email=jeanne@example.com',
        cookies: { session: 'x' },
      },
      user: { id: 'u-1', email: 'admin@example.com', ip_address: '10.0.0.1' },
      extra: { payload: { raw: 'webhook body' }, nested: { password: 'p', note: 'ok' } },
      tags: { request_id: 'r-1', role: 'manager' },
    });
    expect(event.request).toEqual({
      method: 'POST',
      url: 'http://relais.test/v1/people',
      headers: { 'user-agent': 'curl/8' },
    });
    expect(event.user).toEqual({ id: 'u-1' });
    expect(event.message).toBe('failed for [email]');
    expect(event.extra).toEqual({ payload: '[Filtered]', nested: { password: '[Filtered]', note: 'ok' } });
    expect(event.tags).toEqual({ request_id: 'r-1', role: 'manager' });
  });

  it('scrubs breadcrumbs', () => {
    expect(
      scrubBreadcrumb({ category: 'http', data: { url: '/x?token=abc' }, message: `Bearer ${JWT}` }),
    ).toEqual({ category: 'http', data: '[Filtered]', message: 'Bearer [Filtered]' });
  });
});
