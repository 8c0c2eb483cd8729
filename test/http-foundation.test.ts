import { spawnSync } from 'node:child_process';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadEnv } from '../src/config/env.js';
import { openInfrastructure, type Infrastructure } from '../src/entrypoints/infrastructure.js';
import { buildHttpApp } from '../src/entrypoints/serve-http.js';
import { NotFoundError } from '../src/platform/errors.js';
import { createLifecycle } from '../src/platform/lifecycle.js';
import { createLogger } from '../src/platform/logger.js';
import { createTestDatabase, type TestDatabase } from './helpers/services.js';
import { eventually } from './helpers/eventually.js';
import { startTcpProxy, type TcpProxy } from './helpers/tcp-proxy.js';

describe('the HTTP foundation on PostgreSQL and Redis', () => {
  let t: TestDatabase;
  let proxy: TcpProxy;
  let app: FastifyInstance;
  let infra: Infrastructure;
  const log = createLogger({ level: 'silent', pretty: false });
  const lifecycle = createLifecycle(log, { timeoutMs: 1000, exit: () => {} });

  beforeAll(async () => {
    t = await createTestDatabase();
    proxy = await startTcpProxy('127.0.0.1', 6379);
    const env = loadEnv({ DATABASE_URL: t.url, REDIS_URL: `redis://127.0.0.1:${proxy.port}`, LOG_LEVEL: 'silent' });
    infra = await openInfrastructure(env, log, lifecycle, { migrate: false });
    app = await buildHttpApp(infra, async (a) => {
      a.get('/api/v1/boom', async () => {
        throw new Error('select secret from passwords failed at /srv/app.ts:12');
      });
      a.get('/api/v1/things/:id', async () => ({ ok: true }));
      a.post('/api/v1/echo', async (request) => ({ body: request.body }));
      a.get('/api/v1/missing', async () => {
        throw new NotFoundError('campaign');
      });
    });
  });
  afterAll(async () => {
    await app?.close();
    infra?.redis?.disconnect();
    await proxy?.close();
    await t?.drop();
  });

  it('when everything is up, then /healthz and /readyz answer 200', async () => {
    expect((await app.inject('/healthz')).statusCode).toBe(200);
    const ready = await app.inject('/readyz');
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toMatchObject({ checks: { database: 'ok', redis: 'ok' } });
  });

  it('when Redis goes away, then /readyz answers 503 naming Redis, and 200 again once it is back', async () => {
    await proxy.cut();
    await eventually(async () => (await app.inject('/readyz')).statusCode === 503);
    const down = await app.inject('/readyz');
    expect(down.headers['content-type']).toContain('application/problem+json');
    expect(down.json()).toMatchObject({ code: 'not_ready', failed: ['redis'] });
    expect((await app.inject('/healthz')).statusCode).toBe(200);

    await proxy.restore();
    await eventually(async () => (await app.inject('/readyz')).statusCode === 200);
  });

  it('when a handler throws an unknown error, then the answer is an opaque problem with no internals', async () => {
    const res = await app.inject('/api/v1/boom');
    expect(res.statusCode).toBe(500);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json()).toMatchObject({ status: 500, code: 'internal_error' });
    expect(res.body).not.toMatch(/passwords|srv|stack/);
  });

  it('when a known error is thrown, then its status and stable code are the answer', async () => {
    const res = await app.inject('/api/v1/missing');
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ code: 'campaign_not_found' });
  });

  it('when a route does not exist or JSON is malformed, then the answer is a problem body', async () => {
    const missing = await app.inject('/api/v1/nothing-here');
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ code: 'route_not_found' });
    const bad = await app.inject({
      method: 'POST',
      url: '/api/v1/boom',
      headers: { 'content-type': 'application/json' },
      payload: '{"oops":',
    });
    expect(bad.statusCode).toBeLessThan(500);
    expect(bad.headers['content-type']).toContain('application/problem+json');
  });

  it('when a query, path or JSON body carries a NUL character, then the answer is a 400 problem naming it, not a database error', async () => {
    const requests = [
      app.inject('/api/v1/things/1?q=%00'),
      app.inject('/api/v1/things/a%00b'),
      app.inject({ method: 'POST', url: '/api/v1/echo', payload: { name: 'ok', rules: [['deep', 'x\u0000y']] } }),
      app.inject({ method: 'POST', url: '/api/v1/echo', payload: { 'key\u0000': 1 } }),
    ];
    for (const res of await Promise.all(requests)) {
      expect(res.statusCode).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.json()).toMatchObject({ status: 400, code: 'nul_character' });
    }
    const clean = await app.inject({ method: 'POST', url: '/api/v1/echo', payload: { name: 'crm \u00e9' } });
    expect(clean.statusCode).toBe(200);
    expect(clean.json()).toEqual({ body: { name: 'crm é' } });
  });

  it('when /metrics is scraped after some requests, then request durations are labelled by route pattern', async () => {
    await app.inject('/api/v1/missing');
    const res = await app.inject('/metrics');
    expect(res.statusCode).toBe(200);
    expect(res.body).toMatch(/subscout_http_request_duration_seconds_count\{[^}]*route="\/api\/v1\/missing"[^}]*status="404"/);
  });

  it('when the URL itself is malformed or a path segment is too long, then the answer is a problem body', async () => {
    const encoded = await app.inject('/api/v1/things/%E0%A4%A');
    expect(encoded.statusCode).toBe(400);
    expect(encoded.headers['content-type']).toContain('application/problem+json');
    const long = await app.inject(`/api/v1/things/${'a'.repeat(500)}`);
    expect(long.statusCode).toBe(414);
    expect(long.json()).toMatchObject({ code: 'uri_too_long' });
    expect(long.headers['content-type']).toContain('application/problem+json');
  });

  it('when a caller sends a request id, then it is echoed back', async () => {
    const res = await app.inject({ url: '/healthz', headers: { 'x-request-id': 'lb-123' } });
    expect(res.headers['x-request-id']).toBe('lb-123');
  });
});

describe('configuration', () => {
  it('when PORT is not a number, then start-up stops with one line naming PORT and a non-zero exit', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'src/entrypoints/cli.ts', 'api'], {
      env: { ...process.env, PORT: 'abc' },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(run.status).not.toBe(0);
    const lines = run.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('PORT');
    expect(lines[0]).toContain('"abc"');
  });

  it('when no variable is set, then the embedded defaults are chosen', () => {
    const env = loadEnv({});
    expect(env.distributed).toBe(false);
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.PORT).toBe(3000);
    expect(env.consumedQueues).toContain('ingest');
  });

  it('when WORKER_QUEUES names an unknown queue, then the error lists the known ones', () => {
    expect(() => loadEnv({ WORKER_QUEUES: 'match,bogus' })).toThrow(/WORKER_QUEUES.*bogus.*known: ingest/);
  });
});
