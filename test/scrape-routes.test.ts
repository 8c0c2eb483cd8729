import cookie from '@fastify/cookie';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QUEUE_NAMES, type QueueName } from '../src/config/env.js';
import { buildHttpApp } from '../src/entrypoints/serve-http.js';
import { createApiKeyService } from '../src/modules/api-keys/api-keys.service.js';
import { installAuthHook } from '../src/modules/auth/auth.hook.js';
import { createAuthService } from '../src/modules/auth/auth.service.js';
import { createScrapeStateStore } from '../src/modules/scrape/scrape-state.js';
import { scrapeRoutes } from '../src/modules/scrape/scrape.routes.js';
import { createScrapeService } from '../src/modules/scrape/scrape.service.js';
import { users } from '../src/platform/db/schema.js';
import { createBullmqQueueSystem } from '../src/platform/queue/bullmq-queue.js';
import { rateLimitHook } from '../src/platform/ratelimit/rate-limit.hook.js';
import { createRateLimiter } from '../src/platform/ratelimit/rate-limiter.js';
import { type ApiHarness, startApi } from './api-harness.js';
import { clearRedisPrefix, TEST_REDIS_URL } from './helpers/services.js';

const EXPENSIVE_PER_MINUTE = 6;
const concurrency = Object.fromEntries(QUEUE_NAMES.map((q) => [q, 1])) as Record<QueueName, number>;

/**
 * The scrape routes mounted the way the API mounts its signed-in routes: auth hook, caller
 * rate limit with the expensive tier, under /api/v1.
 */
describe('scrape routes', () => {
  let h: ApiHarness;
  let app: FastifyInstance;
  let queue: ReturnType<typeof createBullmqQueueSystem>;
  const keys: Record<'a' | 'b', { id: string; key: string }> = { a: { id: '', key: '' }, b: { id: '', key: '' } };

  const call = (who: 'a' | 'b', method: 'GET' | 'POST', url: string, payload?: unknown) =>
    app.inject({ method, url: `/api/v1${url}`, payload: payload as object, headers: { authorization: `Bearer ${keys[who].key}` } });

  beforeAll(async () => {
    h = await startApi({ RATE_LIMIT_EXPENSIVE_PER_MINUTE: String(EXPENSIVE_PER_MINUTE) });
    const { infra } = h;
    const { db } = infra.database;
    queue = createBullmqQueueSystem({ redisUrl: TEST_REDIS_URL, prefix: h.prefix, log: infra.log, concurrency });
    // Public DNS is not reachable from tests: shop.example resolves to a public address by decree.
    const scrapes = createScrapeService({
      cache: infra.cache,
      queue,
      policy: { resolve: async (host) => (host === 'shop.example' ? ['93.184.216.34'] : []) },
    });
    const auth = createAuthService({ db, mode: 'local', now: () => new Date() });
    const limiter = createRateLimiter({
      redis: infra.redis,
      prefix: h.prefix,
      log: infra.log,
      tiers: {
        caller: { points: 1000, durationSeconds: 60 },
        expensive: { points: EXPENSIVE_PER_MINUTE, durationSeconds: 60 },
      },
    });
    app = await buildHttpApp(infra, async (root) => {
      await root.register(
        async (v1) => {
          await v1.register(cookie);
          await v1.register(async (signedIn) => {
            installAuthHook(signedIn, auth);
            signedIn.addHook(
              'onRequest',
              rateLimitHook(limiter, { tier: 'caller', expensiveTier: 'expensive', keyOf: (r) => (r.caller ? `user:${r.caller.userId}` : undefined) }),
            );
            await scrapeRoutes(signedIn, { scrapes });
          });
        },
        { prefix: '/api/v1' },
      );
    });
    await app.ready();
    for (const who of ['a', 'b'] as const) {
      const [u] = await db.insert(users).values({ email: `${who}@scrape.test`, role: 'member' }).returning();
      keys[who] = { id: u!.id, key: (await createApiKeyService({ db, now: () => new Date() }).create(u!.id, 't')).key };
    }
  });

  afterAll(async () => {
    await app?.close();
    await queue?.close(2_000);
    if (h.infra.redis) await clearRedisPrefix(h.infra.redis, h.prefix);
    await h?.close();
  });

  it('when a signed-in user posts a public URL, then 202 with the request id, and GET shows it queued', async () => {
    const res = await call('a', 'POST', '/scrapes', { url: 'https://shop.example/pricing' });
    expect(res.statusCode).toBe(202);
    const body = res.json() as { id: string; status: string };
    expect(body.status).toBe('queued');
    const got = await call('a', 'GET', `/scrapes/${body.id}`);
    expect(got.statusCode).toBe(200);
    expect(got.json()).toMatchObject({ id: body.id, status: 'queued', url: 'https://shop.example/pricing' });
    expect(got.json()).not.toHaveProperty('suggestion');
  });

  it("when another user reads the request, then it is a 404 problem that does not confirm it exists", async () => {
    const { id } = (await call('a', 'POST', '/scrapes', { url: 'https://shop.example/' })).json() as { id: string };
    const res = await call('b', 'GET', `/scrapes/${id}`);
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json()).toMatchObject({ code: 'scrape_request_not_found' });
    const unknown = await call('a', 'GET', '/scrapes/6b3c8f7e-4a8e-4f0e-9d8e-3c1f2b9a7d10');
    expect(unknown.json()).toMatchObject({ code: 'scrape_request_not_found' });
  });

  it('when the URL points at a private address or another scheme, then 400 at once', async () => {
    const priv = await call('a', 'POST', '/scrapes', { url: 'http://169.254.169.254/latest/meta-data/' });
    expect(priv.statusCode).toBe(400);
    expect(priv.json()).toMatchObject({ code: 'url_not_allowed' });
    const scheme = await call('a', 'POST', '/scrapes', { url: 'file:///etc/passwd' });
    expect(scheme.statusCode).toBe(400);
  });

  it('when the scrape is done, then GET returns the suggestion shaped like a campaign input', async () => {
    const { id } = (await call('b', 'POST', '/scrapes', { url: 'https://shop.example/' })).json() as { id: string };
    await createScrapeStateStore(h.infra.cache).put(id, {
      status: 'done',
      url: 'https://shop.example/',
      userId: keys.b.id,
      updatedAt: new Date().toISOString(),
      result: {
        finalUrl: 'https://shop.example/',
        via: 'fetch',
        suggestion: {
          name: 'Shop leads',
          productName: 'Shop',
          productDescription: 'A shop.',
          productUrl: 'https://shop.example/',
          leadContext: 'People asking for ecommerce recommendations.',
          rules: ['"online store" (tool OR app)'],
          negativeKeywords: ['hiring'],
          subreddits: ['ecommerce'],
          categories: ['online store'],
          competitors: ['shopify'],
        },
      },
    });
    const res = await call('b', 'GET', `/scrapes/${id}`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      status: 'done',
      via: 'fetch',
      suggestion: { product_name: 'Shop', lead_context: 'People asking for ecommerce recommendations.', negative_keywords: ['hiring'] },
    });
  });

  it('when the caller is anonymous, then 401', async () => {
    const res = await app.inject({ method: 'POST', url: '/api/v1/scrapes', payload: { url: 'https://shop.example/' } });
    expect(res.statusCode).toBe(401);
  });

  it('when a user posts more scrapes than the expensive tier allows, then 429 while reads still work', async () => {
    let limited = 0;
    for (let i = 0; i < EXPENSIVE_PER_MINUTE + 2; i++) {
      const res = await call('a', 'POST', '/scrapes', { url: 'https://shop.example/' });
      if (res.statusCode === 429) limited++;
    }
    expect(limited).toBeGreaterThan(0);
    const read = await call('a', 'GET', '/scrapes/6b3c8f7e-4a8e-4f0e-9d8e-3c1f2b9a7d10');
    expect(read.statusCode).toBe(404);
  });
});
