import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedis } from '../src/platform/redis.js';
import { type ContainerApp, startContainerApp } from './helpers/container-app.js';
import { eventually } from './helpers/eventually.js';
import { TEST_REDIS_URL } from './helpers/services.js';
import { startTcpProxy, type TcpProxy } from './helpers/tcp-proxy.js';

describe('the distributed API while Redis is down', () => {
  let proxy: TcpProxy;
  let h: ContainerApp;
  let auth: { authorization: string };
  const direct = createRedis(TEST_REDIS_URL, 'worker');
  const version = async () => (await direct.get(`${h.prefix}:matcher:version`)) ?? '0';

  beforeAll(async () => {
    proxy = await startTcpProxy('127.0.0.1', 6379);
    h = await startContainerApp(
      { REDIS_URL: `redis://127.0.0.1:${proxy.port}`, REDDIT_SOURCE: 'none' },
      async (app, container) => {
        // Stands for any route that only enqueues (scrape requests, reply posting).
        app.post('/api/v1/test-only/enqueue', async () => {
          await container.queue.enqueue('maintenance', { task: 'prune_items' });
          return { queued: true };
        });
      },
    );
    auth = (await h.user('outage@example.com')).headers;
  });

  afterAll(async () => {
    await h?.close();
    await proxy?.close();
    direct.disconnect();
  });

  const campaign = (name: string) => ({
    method: 'POST' as const,
    url: '/api/v1/campaigns',
    headers: auth,
    payload: { name, product_name: 'Acme', rules: ['crm'], subreddits: ['sales'] },
  });

  it('when Redis is up, then a campaign change bumps the matcher version', async () => {
    const before = Number(await version());
    expect((await h.app.inject(campaign('first'))).statusCode).toBe(201);
    expect(Number(await version())).toBe(before + 1);
  });

  it('when Redis is cut, then enqueueing answers 503 problem+json, reads and writes to PostgreSQL still work, and the change propagates once Redis is back', async () => {
    const { app } = h;
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
