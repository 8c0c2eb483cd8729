import { describe, expect, it } from 'vitest';
import { hashPassword, verifyPassword } from './password.js';
import { hashKey, issueKey, looksLikeKey } from './tokens.js';

describe('API keys and passwords', () => {
  it('when a key is issued, then it has the sk_live_ shape, a display prefix and only its SHA-256 is kept', () => {
    const fixed = issueKey('api', (n) => Buffer.alloc(n, 7));
    expect(fixed.key).toMatch(/^sk_live_[A-Za-z0-9_-]{43}$/);
    expect(fixed.key.startsWith(fixed.prefix)).toBe(true);
    expect(fixed.hash).toBe(hashKey(fixed.key));
    expect(fixed.hash).not.toContain(fixed.key.slice(8));
    expect(looksLikeKey(fixed.key)).toBe(true);
    expect(looksLikeKey(issueKey('session').key)).toBe(true);
    expect(looksLikeKey('sk_live_short')).toBe(false);
  });

  it('when a password is hashed, then only the same password verifies', async () => {
    const stored = await hashPassword('correct horse');
    expect(stored.startsWith('scrypt$')).toBe(true);
    expect(await verifyPassword('correct horse', stored)).toBe(true);
    expect(await verifyPassword('correct horsE', stored)).toBe(false);
    expect(await verifyPassword('anything', null)).toBe(false);
  });
});
