import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { newWebhookSecret, signWebhook, verifyWebhook } from './webhook-signature.js';

describe('webhook signature', () => {
  const secret = 'whsec_test';
  const body = '{"type":"leads.alert"}';

  it('when a body is signed, then the signature is the hex HMAC-SHA256 of "<timestamp>.<body>"', () => {
    const expected = createHmac('sha256', secret).update(`1700000000.${body}`).digest('hex');
    expect(signWebhook(secret, 1_700_000_000, body)).toBe(`sha256=${expected}`);
  });

  it('when a receiver verifies, then a changed body, a wrong secret or a stale timestamp fail', () => {
    const signature = signWebhook(secret, 1_700_000_000, body);
    const base = { secret, timestamp: '1700000000', signature, body, nowSeconds: 1_700_000_100 };
    expect(verifyWebhook(base)).toBe(true);
    expect(verifyWebhook({ ...base, body: `${body} ` })).toBe(false);
    expect(verifyWebhook({ ...base, secret: 'whsec_other' })).toBe(false);
    expect(verifyWebhook({ ...base, nowSeconds: 1_700_000_000 + 301 })).toBe(false);
    expect(verifyWebhook({ ...base, signature: undefined })).toBe(false);
  });

  it('when secrets are generated, then they are distinct and carry 32 random bytes', () => {
    const a = newWebhookSecret();
    expect(a).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(newWebhookSecret()).not.toBe(a);
  });
});
