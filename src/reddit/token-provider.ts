import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { parseCached } from '../platform/cache/cache.js';
import type { Logger } from '../platform/logger.js';
import type { Redis } from '../platform/redis.js';
import { realSleep } from '../platform/retry.js';
import { appFormRequest } from './app-auth.js';
import { RedditAuthError } from './errors.js';

/** App-only access tokens for the listing client. */
export interface TokenProvider {
  getToken(): Promise<string>;
  /** Drops `token` if it is still the cached one (after a 401), so the next call fetches anew. */
  invalidate(token: string): Promise<void>;
}

export interface AppCredentials {
  clientId: string;
  clientSecret?: string | undefined;
  appType: 'web' | 'script' | 'installed';
  /** Installed apps only: 20-30 characters; Reddit documents DO_NOT_TRACK_THIS_DEVICE. */
  deviceId?: string | undefined;
}

export interface FetchedToken {
  accessToken: string;
  expiresInS: number;
}

export type FetchToken = () => Promise<FetchedToken>;

const tokenAnswer = z.object({
  access_token: z.string().min(1),
  token_type: z.string().optional(),
  expires_in: z.coerce.number().positive(),
});

/** Early refresh margin: a token is dropped a minute before Reddit would expire it. */
export const REFRESH_MARGIN_MS = 60_000;

/** The token endpoint call itself (POST {authUrl}/api/v1/access_token). */
export function createTokenFetcher(opts: {
  authUrl: string;
  credentials: AppCredentials;
  userAgent: string;
  timeoutMs?: number;
  fetch?: typeof fetch;
}): FetchToken {
  const doFetch = opts.fetch ?? fetch;
  const { clientId, clientSecret, appType } = opts.credentials;
  if (appType !== 'installed' && !clientSecret) {
    throw new RedditAuthError('REDDIT_CLIENT_SECRET is required for web and script apps.');
  }
  const form =
    appType === 'installed'
      ? new URLSearchParams({
          grant_type: 'https://oauth.reddit.com/grants/installed_client',
          device_id: opts.credentials.deviceId ?? 'DO_NOT_TRACK_THIS_DEVICE',
        })
      : new URLSearchParams({ grant_type: 'client_credentials' });
  const url = new URL('/api/v1/access_token', opts.authUrl).toString();
  const request = appFormRequest(
    { clientId, clientSecret: appType === 'installed' ? '' : clientSecret, userAgent: opts.userAgent },
    form,
  );

  return async () => {
    let res: Response;
    try {
      res = await doFetch(url, { ...request, signal: AbortSignal.timeout(opts.timeoutMs ?? 15_000) });
    } catch (err) {
      throw new RedditAuthError(`Reddit's token endpoint is unreachable: ${(err as Error).message}`);
    }
    const text = await res.text();
    if (!res.ok) throw new RedditAuthError(`Reddit refused the app credentials (HTTP ${res.status}).`, { status: res.status });
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new RedditAuthError('Reddit answered the token request with something other than JSON.');
    }
    const parsed = tokenAnswer.safeParse(body);
    if (!parsed.success) {
      // Reddit reports a bad grant as 200 {"error": "..."}.
      const error = typeof body === 'object' && body !== null && 'error' in body ? String(body.error) : 'no access_token';
      throw new RedditAuthError(`Reddit did not issue a token: ${error}.`, { error });
    }
    return { accessToken: parsed.data.access_token, expiresInS: parsed.data.expires_in };
  };
}

interface Cached {
  token: string;
  expiresAt: number;
}

/** One process, no Redis: the token lives in memory; concurrent callers share one fetch. */
export function createMemoryTokenProvider(deps: { fetchToken: FetchToken; log: Logger; now?: () => number }): TokenProvider {
  const now = deps.now ?? Date.now;
  let cached: Cached | null = null;
  let inflight: Promise<string> | null = null;
  return {
    async getToken() {
      if (cached && cached.expiresAt > now()) return cached.token;
      inflight ??= (async () => {
        try {
          const t = await deps.fetchToken();
          cached = { token: t.accessToken, expiresAt: now() + t.expiresInS * 1000 - REFRESH_MARGIN_MS };
          deps.log.info({ expiresInS: t.expiresInS }, 'reddit app token refreshed');
          return t.accessToken;
        } finally {
          inflight = null;
        }
      })();
      return inflight;
    },
    async invalidate(token) {
      if (cached?.token === token) cached = null;
    },
  };
}

const RELEASE_LOCK = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end`;
const DROP_IF_SAME = `local v = redis.call('GET', KEYS[1])
if v and cjson.decode(v).token == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

const cachedSchema = z.object({ token: z.string(), expiresAt: z.number() });

/**
 * A fleet shares one token through Redis. Only the holder of a short lock (SET NX PX) asks
 * Reddit for a new one; the others poll the key until it appears, so a hundred workers
 * starting together cost one token request.
 */
export function createRedisTokenProvider(deps: {
  redis: Redis;
  prefix: string;
  clientId: string;
  fetchToken: FetchToken;
  log: Logger;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  lockTtlMs?: number;
  pollMs?: number;
  /** Give up waiting for another process's refresh after this long. */
  waitTimeoutMs?: number;
}): TokenProvider {
  const now = deps.now ?? Date.now;
  const sleep = deps.sleep ?? realSleep;
  const key = `${deps.prefix}reddit:token:${deps.clientId}`;
  const lockKey = `${deps.prefix}reddit:token-lock:${deps.clientId}`;
  const lockTtlMs = deps.lockTtlMs ?? 20_000;
  const pollMs = deps.pollMs ?? 50;
  const waitTimeoutMs = deps.waitTimeoutMs ?? lockTtlMs + 5_000;
  let local: Cached | null = null;
  let inflight: Promise<string> | null = null;

  /** The token other processes cached; a corrupt entry counts as none, so a fresh token replaces it. */
  async function readShared(): Promise<Cached | null> {
    const cached = parseCached((await deps.redis.get(key)) ?? undefined, cachedSchema);
    return cached !== undefined && cached.expiresAt > now() ? cached : null;
  }

  async function refresh(): Promise<string> {
    const started = now();
    for (;;) {
      const shared = await readShared();
      if (shared) {
        local = shared;
        return shared.token;
      }
      const lockId = randomUUID();
      const got = await deps.redis.set(lockKey, lockId, 'PX', lockTtlMs, 'NX');
      if (got === 'OK') {
        try {
          // Another process may have finished between our read and our lock.
          const again = await readShared();
          if (again) {
            local = again;
            return again.token;
          }
          const t = await deps.fetchToken();
          const ttlMs = Math.max(1_000, t.expiresInS * 1000 - REFRESH_MARGIN_MS);
          const entry: Cached = { token: t.accessToken, expiresAt: now() + ttlMs };
          await deps.redis.set(key, JSON.stringify(entry), 'PX', ttlMs);
          local = entry;
          deps.log.info({ expiresInS: t.expiresInS }, 'reddit app token refreshed');
          return entry.token;
        } finally {
          await deps.redis.eval(RELEASE_LOCK, 1, lockKey, lockId);
        }
      }
      if (now() - started > waitTimeoutMs) {
        throw new RedditAuthError('Timed out waiting for another process to refresh the Reddit token.');
      }
      await sleep(pollMs);
    }
  }

  return {
    async getToken() {
      if (local && local.expiresAt > now()) return local.token;
      inflight ??= refresh().finally(() => {
        inflight = null;
      });
      return inflight;
    },
    async invalidate(token) {
      if (local?.token === token) local = null;
      await deps.redis.eval(DROP_IF_SAME, 1, key, token);
    },
  };
}
