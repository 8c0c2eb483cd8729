import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Redis } from '../src/platform/redis.js';
import { RedditAuthError } from '../src/reddit/errors.js';
import { type FakeReddit, startFakeReddit } from '../src/reddit/fake-server/server.js';
import {
  createMemoryTokenProvider,
  createRedisTokenProvider,
  createTokenFetcher,
  type FetchToken,
} from '../src/reddit/token-provider.js';
import { clearRedisPrefix, createTestRedis, uniqueRedisPrefix } from './helpers/services.js';

const log = pino({ level: 'silent' });
const UA = 'test:com.example.subscout:0.1.0 (by /u/subscout_test)';

describe('Reddit app tokens', () => {
  let redis: Redis;
  let fake: FakeReddit | undefined;
  const prefixes: string[] = [];
  beforeAll(() => {
    redis = createTestRedis();
  });
  afterEach(async () => {
    await fake?.close();
    fake = undefined;
  });
  afterAll(async () => {
    for (const p of prefixes) await clearRedisPrefix(redis, p);
    await redis.quit();
  });

  function prefix() {
    const p = uniqueRedisPrefix('reddit-tokens');
    prefixes.push(p);
    return p;
  }

  it('when two providers on one Redis ask for a token at once, then Reddit sees one token request and both get it', async () => {
    fake = await startFakeReddit();
    const fetchToken = createTokenFetcher({
      authUrl: fake.url,
      userAgent: UA,
      credentials: { clientId: 'fake-client', clientSecret: 'fake-secret', appType: 'script' },
    });
    const p = prefix();
    const a = createRedisTokenProvider({ redis, prefix: p, clientId: 'fake-client', fetchToken, log, pollMs: 5 });
    const b = createRedisTokenProvider({ redis, prefix: p, clientId: 'fake-client', fetchToken, log, pollMs: 5 });
    const tokens = await Promise.all([a.getToken(), b.getToken(), a.getToken(), b.getToken()]);
    expect(new Set(tokens).size).toBe(1);
    expect(fake.stats().tokenRequests).toBe(1);
    const ttl = await redis.pttl(`${p}reddit:token:fake-client`);
    // expires_in 3600 s, cached a minute short.
    expect(ttl).toBeGreaterThan(3_500_000);
    expect(ttl).toBeLessThanOrEqual(3_540_000);
  });

  it('when a token is invalidated after a 401, then the next call fetches a fresh one for every process', async () => {
    let n = 0;
    const fetchToken: FetchToken = async () => ({ accessToken: `tok-${++n}`, expiresInS: 3600 });
    const p = prefix();
    const a = createRedisTokenProvider({ redis, prefix: p, clientId: 'c', fetchToken, log });
    const b = createRedisTokenProvider({ redis, prefix: p, clientId: 'c', fetchToken, log });
    expect(await a.getToken()).toBe('tok-1');
    expect(await b.getToken()).toBe('tok-1');
    await a.invalidate('tok-1');
    expect(await a.getToken()).toBe('tok-2');
    // A stale invalidation must not throw away the newer token.
    await b.invalidate('tok-1');
    expect(await b.getToken()).toBe('tok-2');
    expect(n).toBe(2);
  });

  it('when the shared token entry is corrupt, then a fresh token is fetched and replaces it', async () => {
    let n = 0;
    const fetchToken: FetchToken = async () => ({ accessToken: `tok-${++n}`, expiresInS: 3600 });
    const p = prefix();
    await redis.set(`${p}reddit:token:c`, '{"token":', 'PX', 60_000);
    const provider = createRedisTokenProvider({ redis, prefix: p, clientId: 'c', fetchToken, log });
    expect(await provider.getToken()).toBe('tok-1');
    expect(JSON.parse((await redis.get(`${p}reddit:token:c`)) ?? '{}')).toMatchObject({ token: 'tok-1' });
  });

  it('when the cached token is within a minute of expiry, then it is refreshed before Reddit would refuse it', async () => {
    let t = 1_000_000;
    let n = 0;
    const fetchToken: FetchToken = async () => ({ accessToken: `tok-${++n}`, expiresInS: 3600 });
    const provider = createMemoryTokenProvider({ fetchToken, log, now: () => t });
    expect(await provider.getToken()).toBe('tok-1');
    t += 3_539_000;
    expect(await provider.getToken()).toBe('tok-1');
    t += 2_000;
    expect(await provider.getToken()).toBe('tok-2');
  });

  it('when another process holds the refresh lock, then this one waits and reads the token it stores', async () => {
    const p = prefix();
    await redis.set(`${p}reddit:token-lock:c`, 'someone-else', 'PX', 5_000);
    let fetched = 0;
    const provider = createRedisTokenProvider({
      redis,
      prefix: p,
      clientId: 'c',
      log,
      pollMs: 5,
      fetchToken: async () => ({ accessToken: `mine-${++fetched}`, expiresInS: 3600 }),
    });
    const pending = provider.getToken();
    await new Promise((r) => setTimeout(r, 30));
    await redis.set(`${p}reddit:token:c`, JSON.stringify({ token: 'theirs', expiresAt: Date.now() + 60_000 }), 'PX', 60_000);
    expect(await pending).toBe('theirs');
    expect(fetched).toBe(0);
  });

  it('when an installed app fetches a token, then it uses the installed_client grant without a secret', async () => {
    fake = await startFakeReddit({ clientSecret: '' });
    const fetchToken = createTokenFetcher({
      authUrl: fake.url,
      userAgent: UA,
      credentials: { clientId: 'fake-client', appType: 'installed' },
    });
    const t = await fetchToken();
    expect(t.expiresInS).toBe(3600);
    expect(t.accessToken).toMatch(/^fake-/);
  });

  it('when the credentials are wrong, then a RedditAuthError with a stable code is thrown', async () => {
    fake = await startFakeReddit();
    const fetchToken = createTokenFetcher({
      authUrl: fake.url,
      userAgent: UA,
      credentials: { clientId: 'fake-client', clientSecret: 'wrong', appType: 'web' },
    });
    await expect(fetchToken()).rejects.toBeInstanceOf(RedditAuthError);
    await expect(fetchToken()).rejects.toMatchObject({ code: 'reddit_auth_failed' });
  });
});
