import { boot } from './boot.js';
import { buildContainer } from './container.js';
import { openInfrastructure } from './infrastructure.js';
import { isMain } from './is-main.js';
import { registerRoutes } from './routes.js';
import { buildHttpApp, listen } from './serve-http.js';

/** The HTTP API and dashboard. In distributed mode it consumes no queue: it only enqueues. */
export async function runApi(): Promise<void> {
  const { env, log, lifecycle } = boot('api', process.env.REDIS_URL ? { ENABLE_WORKERS: 'false' } : {});
  const infra = await openInfrastructure(env, log, lifecycle, { migrate: env.MIGRATE_ON_START, processName: 'api' });
  const container = await buildContainer(infra, lifecycle, { workerName: `api-${process.pid}`, scrapes: !env.distributed });
  const app = await buildHttpApp(infra, (a) => registerRoutes(a, infra, container.apiExtras), { dashboard: true });
  // Only in embedded mode does an api process run jobs (and so own the schedules).
  if (env.ENABLE_WORKERS) await container.syncSchedules();
  const consumed = await container.startWorkers();
  const url = await listen(app, infra, lifecycle);
  log.info({ url, consumed }, 'api listening');
}

if (isMain(import.meta.url)) await runApi();
