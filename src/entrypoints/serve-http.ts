import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { publicUrlOf } from '../config/env.js';
import { createHttpApp } from '../platform/http/app.js';
import { registerMetrics } from '../platform/http/metrics-routes.js';
import { registerDashboard } from '../platform/http/static.js';
import type { Lifecycle } from '../platform/lifecycle.js';
import type { Infrastructure } from './infrastructure.js';

const DASHBOARD_ROOT = fileURLToPath(new URL('../../web/dist', import.meta.url));

/** Builds the HTTP app on the given infrastructure; `register` adds the feature routes. */
export async function buildHttpApp(
  infra: Infrastructure,
  register: (app: FastifyInstance) => Promise<void>,
  opts: { dashboard?: boolean } = {},
): Promise<FastifyInstance> {
  const { env } = infra;
  const app = await createHttpApp({
    log: infra.log,
    bodyLimit: env.BODY_LIMIT_BYTES,
    requestTimeoutMs: env.REQUEST_TIMEOUT_MS,
    corsOrigins: env.CORS_ORIGINS,
    trustProxy: env.TRUST_PROXY,
    readiness: infra.readiness,
  });
  registerMetrics(app, infra.metrics, env.METRICS_TOKEN);
  await register(app);
  if (opts.dashboard) await registerDashboard(app, { root: DASHBOARD_ROOT });
  return app;
}

export async function listen(app: FastifyInstance, infra: Infrastructure, lifecycle: Lifecycle): Promise<string> {
  const { env } = infra;
  lifecycle.onShutdown('http', 'http', () => app.close());
  const address = await app.listen({ port: env.PORT, host: env.HOST });
  return publicUrlOf(env, new URL(address).port);
}
