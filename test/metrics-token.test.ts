import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { createHttpApp } from '../src/platform/http/app.js';
import { registerMetrics } from '../src/platform/http/metrics-routes.js';
import { startOpsServer } from '../src/platform/http/ops-server.js';
import { createLogger } from '../src/platform/logger.js';
import { createMetrics } from '../src/platform/metrics.js';

const TOKEN = 'scrape-me-7f3a';

describe('/metrics behind METRICS_TOKEN', () => {
  let app: FastifyInstance;
  let ops: Awaited<ReturnType<typeof startOpsServer>>;
  const metrics = createMetrics('test');

  beforeAll(async () => {
    const log = createLogger({ level: 'silent', pretty: false });
    app = await createHttpApp({ log, bodyLimit: 1024 * 1024, requestTimeoutMs: 5000, corsOrigins: [], readiness: [] });
    registerMetrics(app, metrics, TOKEN);
    ops = await startOpsServer(0, '127.0.0.1', metrics, [], TOKEN);
  });
  afterAll(async () => {
    await app?.close();
    await ops?.close();
  });

  it('when the api is scraped without the token or with a wrong one, then the answer is a 401 problem', async () => {
    for (const authorization of [undefined, 'Bearer nope', TOKEN]) {
      const res = await app.inject({ url: '/metrics', headers: authorization ? { authorization } : {} });
      expect(res.statusCode).toBe(401);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.json()).toMatchObject({ code: 'metrics_token_required' });
    }
  });

  it('when the api is scraped with the token, then the metrics are served', async () => {
    const res = await app.inject({ url: '/metrics', headers: { authorization: `Bearer ${TOKEN}` } });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('# TYPE');
  });

  it("when a worker's ops port is scraped, then the same token is required", async () => {
    const url = `http://127.0.0.1:${ops.port}/metrics`;
    const without = await fetch(url);
    expect(without.status).toBe(401);
    expect(await without.json()).toMatchObject({ code: 'metrics_token_required' });
    const withToken = await fetch(url, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(withToken.status).toBe(200);
    expect(await withToken.text()).toContain('# TYPE');
    // Probes stay open: orchestrators call them without credentials.
    expect((await fetch(`http://127.0.0.1:${ops.port}/healthz`)).status).toBe(200);
  });
});
