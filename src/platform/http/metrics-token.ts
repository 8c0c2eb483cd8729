import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Whether an Authorization header carries the metrics token. With no token configured,
 * /metrics is open (the embedded default and private ports); set, scrapers must send
 * `Authorization: Bearer <token>`. Compared as hashes, so time does not reveal the token.
 */
export function metricsAuthorized(token: string | undefined, header: string | undefined): boolean {
  if (token === undefined) return true;
  if (header === undefined || !header.startsWith('Bearer ')) return false;
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(header.slice('Bearer '.length)), digest(token));
}
