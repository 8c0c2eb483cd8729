import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ServiceUnavailableError } from '../../platform/errors.js';
import type { Logger } from '../../platform/logger.js';

/**
 * Authenticated encryption (AES-256-GCM) for secrets kept at rest: webhook signing secrets,
 * Reddit refresh tokens. A sealed value is `iv:tag:data`, each part base64, so a tampered or
 * foreign ciphertext fails to open instead of yielding garbage.
 */
export interface SecretBox {
  seal(plain: string): string;
  open(sealed: string): string;
}

const IV_BYTES = 12;
const KEY_BYTES = 32;

export class SecretKeyError extends Error {
  override name = 'SecretKeyError';
}

/** Accepts 32 bytes written as 64 hex characters or as base64 (standard or url-safe). */
export function parseEncryptionKey(text: string): Buffer {
  const t = text.trim();
  if (/^[0-9a-fA-F]{64}$/.test(t)) return Buffer.from(t, 'hex');
  if (/^[A-Za-z0-9+/_-]{43}=?$/.test(t)) {
    const key = Buffer.from(t.replaceAll('-', '+').replaceAll('_', '/'), 'base64');
    if (key.length === KEY_BYTES) return key;
  }
  throw new SecretKeyError('ENCRYPTION_KEY must be 32 bytes, as 64 hex characters or 44 base64 characters');
}

export function createSecretBox(key: Buffer): SecretBox {
  if (key.length !== KEY_BYTES) throw new SecretKeyError(`encryption key must be ${KEY_BYTES} bytes`);
  return {
    seal(plain) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return [iv, cipher.getAuthTag(), data].map((b) => b.toString('base64')).join(':');
    },
    open(sealed) {
      const parts = sealed.split(':');
      if (parts.length !== 3) throw new SecretKeyError('sealed value is not iv:tag:data');
      const [iv, tag, data] = parts.map((p) => Buffer.from(p, 'base64')) as [Buffer, Buffer, Buffer];
      if (iv.length !== IV_BYTES || tag.length !== 16) throw new SecretKeyError('sealed value is malformed');
      const decipher = createDecipheriv('aes-256-gcm', key, iv);
      decipher.setAuthTag(tag);
      try {
        return Buffer.concat([decipher.update(data), decipher.final()]).toString('utf8');
      } catch {
        throw new SecretKeyError('sealed value does not open with this key (wrong key or tampered)');
      }
    },
  };
}

/** Reads DATA_DIR/secret.key, or creates it (exclusive create, so two processes agree on one key). */
function loadOrCreateKeyFile(path: string, log: Logger): Buffer {
  try {
    return parseEncryptionKey(readFileSync(path, 'utf8'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  mkdirSync(dirname(path), { recursive: true });
  try {
    writeFileSync(path, `${randomBytes(KEY_BYTES).toString('hex')}\n`, { flag: 'wx', mode: 0o600 });
    log.warn({ path }, 'ENCRYPTION_KEY is not set: generated an encryption key in this file; back it up with the data');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  return parseEncryptionKey(readFileSync(path, 'utf8'));
}

export interface SecretBoxSettings {
  /** ENCRYPTION_KEY. */
  encryptionKey: string | undefined;
  /** DATA_DIR, where the embedded mode keeps its generated key. */
  dataDir: string;
  /** REDIS_URL is set: several processes on several machines must share one key from env. */
  distributed: boolean;
  log: Logger;
}

/**
 * The process's secret box, resolved on first use: ENCRYPTION_KEY when set; in the embedded
 * mode a key generated once into DATA_DIR/secret.key; in distributed mode without a key,
 * every use fails with 503 `encryption_key_missing` (a per-machine key file would make one
 * worker unable to open what another sealed).
 */
export function secretBoxFromSettings(settings: SecretBoxSettings): SecretBox & { available(): boolean } {
  let box: SecretBox | undefined;
  const available = () => settings.encryptionKey !== undefined || !settings.distributed;
  const get = (): SecretBox => {
    if (box) return box;
    if (settings.encryptionKey !== undefined) {
      box = createSecretBox(parseEncryptionKey(settings.encryptionKey));
    } else if (!settings.distributed) {
      box = createSecretBox(loadOrCreateKeyFile(resolve(settings.dataDir, 'secret.key'), settings.log));
    } else {
      throw new ServiceUnavailableError(
        'encryption_key_missing',
        'Set ENCRYPTION_KEY (32 bytes, hex or base64) on every process to store secrets.',
      );
    }
    return box;
  };
  return {
    available,
    seal: (plain) => get().seal(plain),
    open: (sealed) => get().open(sealed),
  };
}
