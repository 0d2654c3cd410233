/** Provider signature checks: SendGrid's ECDSA vectors (shared fixtures) and Mailgun's HMAC. */
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { mailgunSignatureOf, verifyMailgunSignature } from '../../server/src/marketing/providers/mailgun';
import { sendgridPublicKey, verifySendgridSignature } from '../../server/src/marketing/providers/sendgrid';

const vectors = JSON.parse(
  readFileSync(new URL('../fixtures/esp/sendgrid-signature-vectors.json', import.meta.url), 'utf8'),
) as {
  public_key_b64_der: string;
  cases: {
    name: string;
    public_key: string;
    payload: string;
    timestamp: string;
    signature: string;
    expected: string;
  }[];
};

describe('SendGrid ECDSA signature vectors', () => {
  it.each(vectors.cases.map((vector) => [vector.name, vector] as const))('%s', (_name, vector) => {
    const key = sendgridPublicKey(
      vector.public_key === 'default' ? vectors.public_key_b64_der : vector.public_key,
    );
    expect(verifySendgridSignature(key, vector.timestamp, vector.payload, vector.signature)).toBe(
      vector.expected === 'valid',
    );
  });

  it('refuses a signature that is not base64 DER without throwing', () => {
    const key = sendgridPublicKey(vectors.public_key_b64_der);
    expect(verifySendgridSignature(key, '1588788367', '{}', 'not a signature')).toBe(false);
  });
});

describe('Mailgun HMAC signature', () => {
  const signingKey = 'key-3ax6xnjp29jd6fds4gc373sgvjxteol0';
  const sign = (timestamp: string, token: string) =>
    createHmac('sha256', signingKey).update(`${timestamp}${token}`).digest('hex');

  it('accepts the HMAC of timestamp + token and refuses any change', () => {
    const block = { timestamp: '1529006854', token: 'a8ce0edb2dd8301dee6c2405235584e45aa91d1e9f979f3de0' };
    const signature = { ...block, signature: sign(block.timestamp, block.token) };
    expect(verifyMailgunSignature(signingKey, signature)).toBe(true);
    expect(verifyMailgunSignature(signingKey, { ...signature, token: `${block.token}0` })).toBe(false);
    expect(verifyMailgunSignature(signingKey, { ...signature, timestamp: '1529006855' })).toBe(false);
    expect(verifyMailgunSignature('another-key', signature)).toBe(false);
    expect(verifyMailgunSignature(signingKey, { ...signature, signature: 'zz' })).toBe(false);
  });

  it('reads the signature block of the documented envelope', () => {
    const envelope = JSON.parse(
      readFileSync(new URL('../fixtures/esp/mailgun-webhook-envelope.json', import.meta.url), 'utf8'),
    );
    expect(mailgunSignatureOf(envelope)).toEqual(envelope.signature);
    // The docs publish no signing key, so their signature verifies against no key we know.
    expect(verifyMailgunSignature(signingKey, mailgunSignatureOf(envelope))).toBe(false);
    expect(() => mailgunSignatureOf({ 'event-data': {} })).toThrow(/signature/);
  });
});
