import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clearRedisPrefix, createTestDatabase, createTestRedis, type TestDatabase, uniqueRedisPrefix } from './helpers/services.js';
import { type ApiHarness, createUser, startApi, type TestUser } from './api-harness.js';
import { startTcpProxy, type TcpProxy } from './helpers/tcp-proxy.js';

describe('rate limits shared through Redis', () => {
  let t: TestDatabase;
  const prefix = uniqueRedisPrefix('rl');
  let one: ApiHarness;
  let two: ApiHarness;
  let user: TestUser;
  const limits = { RATE_LIMIT_PER_MINUTE: '5', RATE_LIMIT_IP_PER_MINUTE: '1000', RATE_LIMIT_EXPENSIVE_PER_MINUTE: '2' };

  beforeAll(async () => {
    t = await createTestDatabase();
    one = await startApi(limits, {}, { t, prefix });
    two = await startApi(limits, {}, { t, prefix });
    user = await createUser(one, 'limited@example.com');
  });
  afterAll(async () => {
    await one?.close();
    await two?.close();
    const redis = createTestRedis();
    await clearRedisPrefix(redis, prefix);
    redis.disconnect();
    await t?.drop();
  });

  const call = (h: ApiHarness, url = '/api/v1/me', key = user.key) =>
    h.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${key}` } });

  it('when a client spends its budget across two instances, then either instance refuses it with 429 and RateLimit headers', async () => {
    const answers = [];
    for (let i = 0; i < 5; i++) answers.push(await call(i % 2 === 0 ? one : two));
    expect(answers.map((a) => a.statusCode)).toEqual([200, 200, 200, 200, 200]);
    expect(answers.map((a) => Number(a.headers['ratelimit-remaining']))).toEqual([4, 3, 2, 1, 0]);
    expect(answers[0]!.headers['ratelimit-limit']).toBe('5');
    expect(Number(answers[0]!.headers['ratelimit-reset'])).toBeGreaterThan(0);

    for (const h of [one, two]) {
      const refused = await call(h);
      expect(refused.statusCode).toBe(429);
      expect(refused.headers['content-type']).toContain('application/problem+json');
      expect(refused.json().code).toBe('rate_limited');
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
      expect(refused.headers['ratelimit-remaining']).toBe('0');
    }
  });

  it('when one client is limited, then another user is not', async () => {
    const other = await createUser(one, 'unlimited@example.com');
    const res = await call(two, '/api/v1/me', other.key);
    expect(res.statusCode).toBe(200);
  });

  it('when an expensive route is called, then the stricter tier applies on top', async () => {
    const exporter = await createUser(one, 'exporter@example.com');
    const codes = [];
    for (let i = 0; i < 3; i++) codes.push((await call(i === 1 ? two : one, '/api/v1/leads/export.csv', exporter.key)).statusCode);
    expect(codes).toEqual([200, 200, 429]);
    // The cheap tier still has budget: ordinary routes keep working.
    expect((await call(two, '/api/v1/me', exporter.key)).statusCode).toBe(200);
  });

  it('when anonymous clients hammer the API from one IP, then the per-IP tier refuses them', async () => {
    const ipLimited = await startApi({ ...limits, RATE_LIMIT_IP_PER_MINUTE: '3' }, {}, { t, prefix: uniqueRedisPrefix('rl-ip') });
    try {
      const codes = [];
      for (let i = 0; i < 4; i++) {
        codes.push((await ipLimited.app.inject({ url: '/api/v1/me', remoteAddress: '198.51.100.9' })).statusCode);
      }
      expect(codes).toEqual([401, 401, 401, 429]);
      const elsewhere = await ipLimited.app.inject({ url: '/api/v1/me', remoteAddress: '198.51.100.10' });
      expect(elsewhere.statusCode).toBe(401);
    } finally {
      await ipLimited.close();
    }
  });
});

describe('rate limits without Redis (embedded mode)', () => {
  let h: ApiHarness;
  beforeAll(async () => {
    h = await startApi({ REDIS_URL: '', RATE_LIMIT_PER_MINUTE: '2' });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('when Redis is not configured, then limits are counted in process', async () => {
    expect(h.infra.redis).toBeUndefined();
    const u = await createUser(h, 'embedded@example.com');
    const codes = [];
    for (let i = 0; i < 3; i++) codes.push((await u.call({ url: '/api/v1/me' })).statusCode);
    expect(codes).toEqual([200, 200, 429]);
  });
});

describe('rate limits when Redis goes away', () => {
  let h: ApiHarness;
  let proxy: TcpProxy;

  beforeAll(async () => {
    proxy = await startTcpProxy('127.0.0.1', 6379);
    h = await startApi({ REDIS_URL: `redis://127.0.0.1:${proxy.port}`, RATE_LIMIT_PER_MINUTE: '3' });
  });
  afterAll(async () => {
    await h?.close();
    await proxy?.close();
  });

  it('when Redis is unreachable, then requests are still served and limits fall back to this instance', async () => {
    const u = await createUser(h, 'outage@example.com');
    expect((await u.call({ url: '/api/v1/me' })).statusCode).toBe(200);
    await proxy.cut();
    const codes = [];
    for (let i = 0; i < 4; i++) codes.push((await u.call({ url: '/api/v1/me' })).statusCode);
    // No 500s: reads go on, and the in-process fallback still stops a flood.
    expect(codes.every((c) => c === 200 || c === 429)).toBe(true);
    expect(codes[0]).toBe(200);
    expect(codes.at(-1)).toBe(429);
  });
});
