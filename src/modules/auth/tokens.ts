import { createHash, randomBytes } from 'node:crypto';

/** `sk_live_` for API keys, `ss_` for dashboard sessions, both followed by 32 random bytes (base64url). */
export const API_KEY_PREFIX = 'sk_live_';
export const SESSION_PREFIX = 'ss_';

export interface IssuedKey {
  /** Shown once; never stored. */
  key: string;
  /** Stored to tell keys apart in lists. */
  prefix: string;
  /** SHA-256 hex, the only form stored. */
  hash: string;
}

export function hashKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

export function issueKey(kind: 'api' | 'session', random: (n: number) => Buffer = randomBytes): IssuedKey {
  const key = `${kind === 'api' ? API_KEY_PREFIX : SESSION_PREFIX}${random(32).toString('base64url')}`;
  return { key, prefix: key.slice(0, kind === 'api' ? 14 : 7), hash: hashKey(key) };
}

/** Shape check before any lookup, so garbage never reaches the database. */
export function looksLikeKey(token: string): boolean {
  return /^(sk_live_|ss_)[A-Za-z0-9_-]{43}$/.test(token);
}
