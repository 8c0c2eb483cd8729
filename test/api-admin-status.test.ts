import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadEnv } from '../src/config/env.js';
import { buildContainer, type Container } from '../src/entrypoints/container.js';
import { openInfrastructure, type Infrastructure } from '../src/entrypoints/infrastructure.js';
import { registerRoutes } from '../src/entrypoints/routes.js';
import { buildHttpApp } from '../src/entrypoints/serve-http.js';
import { createApiKeyService } from '../src/modules/api-keys/api-keys.service.js';
import { streamCursors, users } from '../src/platform/db/schema.js';
import { createLifecycle } from '../src/platform/lifecycle.js';
import { createLogger } from '../src/platform/logger.js';
import { createRedis } from '../src/platform/redis.js';
import { clearRedisPrefix, createTestDatabase, type TestDatabase, TEST_REDIS_URL, uniqueRedisPrefix } from './helpers/services.js';

describe('the admin system status', () => {
  let t: TestDatabase;
  let infra: Infrastructure;
  let container: Container;
  let app: FastifyInstance;
  const prefix = uniqueRedisPrefix('status');
  const log = createLogger({ level: 'silent', pretty: false });
  const lifecycle = createLifecycle(log, { timeoutMs: 2000, exit: () => {} });
  const keys: Record<'admin' | 'member', string> = { admin: '', member: '' };

  beforeAll(async () => {
    t = await createTestDatabase();
    const env = loadEnv({
      DATABASE_URL: t.url,
      REDIS_URL: TEST_REDIS_URL,
      REDIS_PREFIX: prefix,
      ENABLE_WORKERS: 'false',
      LOG_LEVEL: 'silent',
    });
    infra = await openInfrastructure(env, log, lifecycle, { migrate: false });
    container = await buildContainer(infra, lifecycle, { workerName: 'status-test' });
    app = await buildHttpApp(infra, (a) => registerRoutes(a, infra, container.apiExtras));
    const { db } = infra.database;
    const apiKeys = createApiKeyService({ db, now: () => new Date() });
    for (const role of ['admin', 'member'] as const) {
      const [u] = await db.insert(users).values({ email: `${role}@example.com`, role }).returning();
      keys[role] = (await apiKeys.create(u!.id, 'k')).key;
    }
    await db.insert(streamCursors).values({
      streamKey: 'posts:r/saas',
      kind: 'posts',
      subreddits: ['saas'],
      lastPolledAt: new Date(Date.now() - 42_000),
      itemsPerMinute: 3.5,
      pollIntervalMs: 30_000,
    });
    await container.queue.enqueue('maintenance', { task: 'prune_items' }, { delayMs: 60_000 });
  });

  afterAll(async () => {
    await app?.close();
    await container?.queue.close(1000);
    infra?.redis?.disconnect();
    await infra?.database.close();
    const r = createRedis(TEST_REDIS_URL, 'worker');
    await clearRedisPrefix(r, prefix);
    r.disconnect();
    await t?.drop();
  });

  it('when an admin asks, then queue depths, the AI breaker and each stream with its lag come back', async () => {
    const res = await app.inject({ url: '/api/v1/admin/status', headers: { authorization: `Bearer ${keys.admin}` } });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.queues.map((q: { name: string }) => q.name)).toContain('maintenance');
    expect(body.queues.find((q: { name: string }) => q.name === 'maintenance').delayed).toBe(1);
    expect(body.ai_breaker.state).toBe('not used (local scorer)');
    expect(body.reddit_budget).toBeNull();
    expect(body.streams).toHaveLength(1);
    expect(body.streams[0]).toMatchObject({ key: 'posts:r/saas', items_per_minute: 3.5, poll_interval_s: 30 });
    expect(body.streams[0].lag_seconds).toBeGreaterThanOrEqual(42);
  });

  it('when a member asks, then the route is refused without data', async () => {
    const res = await app.inject({ url: '/api/v1/admin/status', headers: { authorization: `Bearer ${keys.member}` } });
    expect(res.statusCode).toBeGreaterThanOrEqual(400);
    expect(res.statusCode).toBeLessThan(500);
    expect(res.body).not.toContain('posts:r/saas');
  });
});
