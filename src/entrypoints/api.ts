import { boot } from './boot.js';
import { isMain } from './is-main.js';
import { openInfrastructure } from './infrastructure.js';
import { registerRoutes } from './routes.js';
import { buildHttpApp, listen } from './serve-http.js';

/** The HTTP API: in distributed mode it consumes no queue and only enqueues. */
export async function runApi(): Promise<void> {
  const { env, log, lifecycle } = boot('api', process.env.REDIS_URL ? { ENABLE_WORKERS: 'false' } : {});
  const infra = await openInfrastructure(env, log, lifecycle, { migrate: env.MIGRATE_ON_START });
  const app = await buildHttpApp(infra, (a) => registerRoutes(a, infra));
  const url = await listen(app, infra, lifecycle);
  log.info({ url }, 'api listening');
}

if (isMain(import.meta.url)) await runApi();
