import { boot } from './boot.js';
import { isMain } from './is-main.js';
import { openInfrastructure } from './infrastructure.js';
import { registerRoutes } from './routes.js';
import { buildHttpApp, listen } from './serve-http.js';

/** Every role in one process: the quick start (`npm start`) and single-machine installs. */
export async function runAll(): Promise<void> {
  const { env, log, lifecycle } = boot('subscout');
  const infra = await openInfrastructure(env, log, lifecycle, { migrate: true });
  const app = await buildHttpApp(infra, (a) => registerRoutes(a, infra));
  const url = await listen(app, infra, lifecycle);
  log.info({ url, database: infra.database.kind, distributed: env.distributed }, 'subscout is running');
  process.stdout.write(`\n  Subscout is running. Open ${url}\n\n`);
}

if (isMain(import.meta.url)) await runAll();
