import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QUEUE_NAMES, type QueueName } from '../src/config/env.js';
import { createHttpApp } from '../src/platform/http/app.js';
import { registerQueueDashboard } from '../src/platform/http/bull-board.js';
import { createLogger } from '../src/platform/logger.js';
import { type BullmqQueueSystem, createBullmqQueueSystem } from '../src/platform/queue/bullmq-queue.js';
import { waitUntil } from './fixtures-queue/spawn-worker.js';
import { clearRedisPrefix, createTestRedis, TEST_REDIS_URL, uniqueRedisPrefix } from './helpers/services.js';

const log = createLogger({ level: 'silent', pretty: false });
const concurrency = Object.fromEntries(QUEUE_NAMES.map((q) => [q, 1])) as Record<QueueName, number>;

describe('queue dashboard at /admin/queues', () => {
  const prefix = uniqueRedisPrefix('qd');
  let system: BullmqQueueSystem;
  let app: FastifyInstance;

  beforeAll(async () => {
    system = createBullmqQueueSystem({ redisUrl: TEST_REDIS_URL, prefix, log, concurrency });
    app = await createHttpApp({ log, bodyLimit: 1_048_576, requestTimeoutMs: 5_000, corsOrigins: [], readiness: [] });
    // The API also serves the web build from the root; the dashboard must coexist with that static plugin.
    const webRoot = mkdtempSync(join(tmpdir(), 'subscout-web-'));
    writeFileSync(join(webRoot, 'index.html'), '<!doctype html>');
    await app.register(fastifyStatic, { root: webRoot, prefix: '/', wildcard: false, index: false });
    await registerQueueDashboard(app, {
      queues: system.queues(),
      isAdmin: (request) => request.headers['x-test-role'] === 'admin',
    });
    await app.ready();
  });

  afterAll(async () => {
    await app?.close();
    await system?.close(1_000);
    const redis = createTestRedis();
    await clearRedisPrefix(redis, prefix);
    redis.disconnect();
  });

  it('when someone who is not an admin asks for the dashboard or its API, then they get a problem+json 404', async () => {
    for (const url of ['/admin/queues', '/admin/queues/api/queues']) {
      const res = await app.inject({ method: 'GET', url, headers: { 'x-test-role': 'member' } });
      expect(res.statusCode).toBe(404);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.json()).toMatchObject({ status: 404, code: 'route_not_found' });
    }
  });

  it('when an admin asks, then the page loads and the API lists every queue with its waiting jobs', async () => {
    await waitUntil(() =>
      system.enqueue('match', { itemIds: ['t3_a'] }).then(
        () => true,
        () => false,
      ),
    );
    const page = await app.inject({ method: 'GET', url: '/admin/queues', headers: { 'x-test-role': 'admin' } });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.body).toContain('<base href="/admin/queues');

    const api = await app.inject({ method: 'GET', url: '/admin/queues/api/queues', headers: { 'x-test-role': 'admin' } });
    expect(api.statusCode).toBe(200);
    const body = api.json() as { queues: { name: string; counts: Record<string, number> }[] };
    expect(body.queues.map((q) => q.name).sort()).toEqual([...QUEUE_NAMES].sort());
    expect(body.queues.find((q) => q.name === 'match')?.counts['waiting']).toBe(1);
  });
});
