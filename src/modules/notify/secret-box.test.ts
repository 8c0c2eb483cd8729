import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../platform/logger.js';
import { createSecretBox, parseEncryptionKey, SecretKeyError, secretBoxFromSettings } from './secret-box.js';

const log = createLogger({ level: 'silent', pretty: false });

describe('secret box', () => {
  it('when a value is sealed, then it opens to the same text and two seals of it differ', () => {
    const box = createSecretBox(randomBytes(32));
    const a = box.seal('whsec_example');
    const b = box.seal('whsec_example');
    expect(a).not.toBe(b);
    expect(a).not.toContain('whsec');
    expect(a.split(':')).toHaveLength(3);
    expect(box.open(a)).toBe('whsec_example');
  });

  it('when the ciphertext is altered or opened with another key, then opening fails', () => {
    const box = createSecretBox(randomBytes(32));
    const [iv, tag, data] = box.seal('secret').split(':') as [string, string, string];
    const flipped = Buffer.from(data, 'base64');
    flipped[0] = (flipped[0] ?? 0) ^ 1;
    expect(() => box.open([iv, tag, flipped.toString('base64')].join(':'))).toThrow(SecretKeyError);
    expect(() => createSecretBox(randomBytes(32)).open(box.seal('secret'))).toThrow(SecretKeyError);
  });

  it('when ENCRYPTION_KEY is hex, base64 or base64url of 32 bytes, then it parses; anything else is refused', () => {
    const key = randomBytes(32);
    expect(parseEncryptionKey(key.toString('hex'))).toEqual(key);
    expect(parseEncryptionKey(key.toString('base64'))).toEqual(key);
    expect(parseEncryptionKey(key.toString('base64url'))).toEqual(key);
    expect(() => parseEncryptionKey(randomBytes(16).toString('hex'))).toThrow(SecretKeyError);
    expect(() => parseEncryptionKey('correct horse battery staple')).toThrow(SecretKeyError);
  });

  it('when no key is set in the embedded mode, then one key file is created on first use and reused by the next process', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'subscout-key-'));
    const first = secretBoxFromSettings({ encryptionKey: undefined, dataDir, distributed: false, log });
    const sealed = first.seal('token');
    const file = join(dataDir, 'secret.key');
    expect(readFileSync(file, 'utf8').trim()).toMatch(/^[0-9a-f]{64}$/);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const second = secretBoxFromSettings({ encryptionKey: undefined, dataDir, distributed: false, log });
    expect(second.open(sealed)).toBe('token');
  });

  it('when no key is set in distributed mode, then using the box fails with 503 encryption_key_missing', () => {
    const box = secretBoxFromSettings({ encryptionKey: undefined, dataDir: '/nonexistent', distributed: true, log });
    expect(box.available()).toBe(false);
    expect(() => box.seal('x')).toThrow(expect.objectContaining({ status: 503, code: 'encryption_key_missing' }));
  });
});
