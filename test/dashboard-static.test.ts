import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpApp } from '../src/platform/http/app.js';
import { registerDashboard } from '../src/platform/http/static.js';
import { createLogger } from '../src/platform/logger.js';

const INDEX = '<!doctype html><title>Subscout</title><div id="root"></div>';

async function appServing(root: string): Promise<FastifyInstance> {
  const app = await createHttpApp({
    log: createLogger({ level: 'silent', pretty: false }),
    bodyLimit: 1_048_576,
    requestTimeoutMs: 5_000,
    corsOrigins: [],
    readiness: [],
  });
  await app.register(async (v1) => {
    v1.get('/campaigns', async () => ({ items: [] }));
  }, { prefix: '/api/v1' });
  await registerDashboard(app, { root });
  await app.ready();
  return app;
}

describe('registerDashboard', () => {
  let dir: string;
  let app: FastifyInstance;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'subscout-web-'));
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'index.html'), INDEX);
    writeFileSync(join(dir, 'assets', 'index-abc123.js'), 'console.log(1)');
    app = await appServing(dir);
  });

  afterAll(async () => {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('when the root is requested, then index.html is served and revalidated on every load', async () => {
    const res = await app.inject({ url: '/' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(res.body).toBe(INDEX);
  });

  it('when a deep page link is reloaded, then the app shell answers so the client router can take over', async () => {
    for (const url of ['/leads/3f1c', '/campaigns/new?url=https%3A%2F%2Fa.b', '/settings']) {
      const res = await app.inject({ url });
      expect(res.statusCode, url).toBe(200);
      expect(res.body, url).toBe(INDEX);
    }
  });

  it('when a hashed asset is requested, then it is served with a year-long immutable cache', async () => {
    const res = await app.inject({ url: '/assets/index-abc123.js' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toContain('immutable');
    expect(res.body).toBe('console.log(1)');
  });

  it('when the dashboard is rebuilt while the server runs, then the new assets are served too', async () => {
    writeFileSync(join(dir, 'assets', 'index-new456.css'), 'body{}');
    const res = await app.inject({ url: '/assets/index-new456.css' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/css');
    expect(res.headers['cache-control']).toContain('immutable');
  });

  it('when a path tries to climb out of the build folder, then nothing outside it is sent', async () => {
    for (const url of ['/..%2F..%2Fetc%2Fpasswd.txt', '/assets/..%2F..%2Fpackage.json', '/%E0%A4%A.js']) {
      const res = await app.inject({ url });
      expect(res.statusCode, url).not.toBe(200);
      expect(res.body, url).not.toContain('root:');
    }
  });

  it('when an API route or a missing asset is requested, then the JSON 404 stays and no HTML is sent', async () => {
    for (const url of ['/api/v1/nope', '/assets/missing.js', '/favicon.ico']) {
      const res = await app.inject({ url });
      expect(res.statusCode, url).toBe(404);
      expect(res.headers['content-type'], url).toContain('application/problem+json');
    }
    const api = await app.inject({ url: '/api/v1/campaigns' });
    expect(api.json()).toEqual({ items: [] });
  });

  it('when the dashboard is not built, then the root explains how to build it instead of failing', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'subscout-web-empty-'));
    const bare = await appServing(empty);
    try {
      const res = await bare.inject({ url: '/' });
      expect(res.statusCode).toBe(200);
      expect(res.body).toContain('npm run build:web');
      expect((await bare.inject({ url: '/leads' })).statusCode).toBe(404);
    } finally {
      await bare.close();
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
