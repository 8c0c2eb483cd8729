import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadEnv } from '../src/config/env.js';
import { buildContainer, type Container } from '../src/entrypoints/container.js';
import { openInfrastructure, type Infrastructure } from '../src/entrypoints/infrastructure.js';
import { registerRoutes } from '../src/entrypoints/routes.js';
import { buildHttpApp } from '../src/entrypoints/serve-http.js';
import { createApiKeyService } from '../src/modules/api-keys/api-keys.service.js';
import { users } from '../src/platform/db/schema.js';
import { createLifecycle } from '../src/platform/lifecycle.js';
import { createLogger } from '../src/platform/logger.js';
import { createRedis } from '../src/platform/redis.js';
import { clearRedisPrefix, createTestDatabase, type TestDatabase, uniqueRedisPrefix } from './helpers/services.js';
import { startTcpProxy, type TcpProxy } from './helpers/tcp-proxy.js';

async function eventually(check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('condition not met in time');
}

describe('the distributed API while Redis is down', () => {
  let t: TestDatabase;
  let proxy: TcpProxy;
  let infra: Infrastructure;
  let container: Container;
  let app: FastifyInstance;
  let auth: { authorization: string };
  const prefix = uniqueRedisPrefix('outage');
  const direct = createRedis('redis://127.0.0.1:6379', 'worker');
  const log = createLogger({ level: 'silent', pretty: false });
  const lifecycle = createLifecycle(log, { timeoutMs: 2000, exit: () => {} });
  const version = async () => (await direct.get(`${prefix}:matcher:version`)) ?? '0';

  beforeAll(async () => {
    t = await createTestDatabase();
    proxy = await startTcpProxy('127.0.0.1', 6379);
    const env = loadEnv({
      DATABASE_URL: t.url,
      REDIS_URL: `redis://127.0.0.1:${proxy.port}`,
      REDIS_PREFIX: prefix,
      ENABLE_WORKERS: 'false',
      REDDIT_SOURCE: 'none',
      LOG_LEVEL: 'silent',
    });
    infra = await openInfrastructure(env, log, lifecycle, { migrate: false });
    container = await buildContainer(infra, lifecycle, { workerName: 'outage-test' });
    app = await buildHttpApp(infra, async (a) => {
      await registerRoutes(a, infra, container.apiExtras);
      // Stands for any route that only enqueues (scrape requests, reply posting).
      a.post('/api/v1/test-only/enqueue', async () => {
        await container.queue.enqueue('maintenance', { task: 'prune_items' });
        return { queued: true };
      });
    });
    const [user] = await infra.database.db.insert(users).values({ email: 'outage@example.com' }).returning();
    const key = await createApiKeyService({ db: infra.database.db, now: () => new Date() }).create(user!.id, 'k');
    auth = { authorization: `Bearer ${key.key}` };
  });

  afterAll(async () => {
    await app?.close();
    await container?.queue.close(1000);
    infra?.redis?.disconnect();
    await proxy?.close();
    await infra?.database.close();
    await clearRedisPrefix(direct, prefix);
    direct.disconnect();
    await t?.drop();
  });

  const campaign = (name: string) => ({
    method: 'POST' as const,
    url: '/api/v1/campaigns',
    headers: auth,
    payload: { name, product_name: 'Acme', rules: ['crm'], subreddits: ['sales'] },
  });

  it('when Redis is up, then a campaign change bumps the matcher version', async () => {
    const before = Number(await version());
    expect((await app.inject(campaign('first'))).statusCode).toBe(201);
    expect(Number(await version())).toBe(before + 1);
  });

  it('when Redis is cut, then enqueueing answers 503 problem+json, reads and writes to PostgreSQL still work, and the change propagates once Redis is back', async () => {
    const before = await version();
    await proxy.cut();

    const enqueue = await app.inject({ method: 'POST', url: '/api/v1/test-only/enqueue', headers: auth });
    expect(enqueue.statusCode).toBe(503);
    expect(enqueue.headers['content-type']).toContain('application/problem+json');
    expect(enqueue.json()).toMatchObject({ code: 'queue_unavailable' });

    const list = await app.inject({ url: '/api/v1/campaigns', headers: auth });
    expect(list.statusCode).toBe(200);
    expect(list.json().items.map((c: { name: string }) => c.name)).toContain('first');
    expect((await app.inject({ url: '/api/v1/leads', headers: auth })).statusCode).toBe(200);

    const created = await app.inject(campaign('while-down'));
    expect(created.statusCode).toBe(201);
    expect(await version()).toBe(before);
    expect((await app.inject('/readyz')).statusCode).toBe(503);

    await proxy.restore();
    await eventually(async () => Number(await version()) > Number(before));
    await eventually(async () => (await app.inject('/readyz')).statusCode === 200);
    const again = await app.inject({ method: 'POST', url: '/api/v1/test-only/enqueue', headers: auth });
    expect(again.statusCode).toBe(200);
  });
});
