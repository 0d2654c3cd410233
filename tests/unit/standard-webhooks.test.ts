/** Every Standard Webhooks vector of shared/fixtures gives its expected verdict. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { secretKey, signWebhook, verifyWebhook } from '../../server/src/marketing/standard-webhooks';

interface Vector {
  id: string;
  kind: 'sign' | 'verify' | 'construct';
  secret: string;
  msg_id?: string;
  timestamp?: number;
  payload?: string;
  expected_signature?: string;
  headers?: Record<string, string>;
  now?: number;
  expected?: 'valid' | 'invalid' | 'error';
}

const vectors = (
  JSON.parse(
    readFileSync(new URL('../fixtures/standard-webhooks-vectors.json', import.meta.url), 'utf8'),
  ) as { cases: Vector[] }
).cases;

describe('Standard Webhooks vectors', () => {
  it('covers every kind of case', () => {
    expect(new Set(vectors.map((vector) => vector.kind))).toEqual(new Set(['sign', 'verify', 'construct']));
  });

  it.each(vectors.map((vector) => [vector.id, vector] as const))('%s', (_id, vector) => {
    if (vector.kind === 'sign') {
      expect(signWebhook(secretKey(vector.secret), vector.msg_id!, vector.timestamp!, vector.payload!)).toBe(
        vector.expected_signature,
      );
    } else if (vector.kind === 'construct') {
      expect(() => secretKey(vector.secret)).toThrow();
    } else {
      const verify = () =>
        verifyWebhook({
          keys: [secretKey(vector.secret)],
          headers: vector.headers!,
          payload: vector.payload!,
          now: new Date(vector.now! * 1000),
        });
      if (vector.expected === 'valid') expect(verify()).toMatchObject({ id: expect.any(String) });
      else expect(verify).toThrow();
    }
  });

  it('accepts a signature from any of several secrets (rotation)', () => {
    const [old, current] = [
      secretKey('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'),
      secretKey(Buffer.from('another secret key').toString('base64')),
    ];
    const now = new Date(1_700_000_000_000);
    const headers = {
      'webhook-id': 'msg_1',
      'webhook-timestamp': '1700000000',
      'webhook-signature': signWebhook(old, 'msg_1', 1_700_000_000, '{}'),
    };
    expect(() => verifyWebhook({ keys: [current], headers, payload: '{}', now })).toThrow(/No signature/);
    expect(verifyWebhook({ keys: [current, old], headers, payload: '{}', now })).toEqual({
      id: 'msg_1',
      timestamp: 1_700_000_000,
    });
  });
});
