import { ensureOwner } from '../modules/auth/ensure-owner.js';
import { boot } from './boot.js';
import { ensureDashboardBuilt } from './dashboard-build.js';
import { buildContainer } from './container.js';
import { openInfrastructure } from './infrastructure.js';
import { isMain } from './is-main.js';
import { registerRoutes } from './routes.js';
import { buildHttpApp, listen } from './serve-http.js';

/** Every role in one process: the quick start (`npm start`) and single-machine installs. */
export async function runAll(): Promise<void> {
  const { env, log, lifecycle } = boot('subscout');
  await ensureDashboardBuilt(log);
  const infra = await openInfrastructure(env, log, lifecycle, { migrate: true, processName: 'all' });
  const owner = await ensureOwner(infra.database.db, env);
  const container = await buildContainer(infra, lifecycle, { workerName: `all-${process.pid}`, scrapes: true });
  const app = await buildHttpApp(infra, (a) => registerRoutes(a, infra, container.apiExtras), { dashboard: true });
  await container.syncSchedules();
  const consumed = await container.startWorkers();
  const url = await listen(app, infra, lifecycle);
  log.info({ url, database: infra.database.kind, distributed: env.distributed, consumed }, 'subscout is running');
  const lines = [`Subscout is running. Open ${url}`];
  if (owner.password) {
    lines.push(`Owner account created: ${owner.email} / ${owner.password} (shown once; on localhost you are signed in automatically)`);
  }
  process.stdout.write(`\n  ${lines.join('\n  ')}\n\n`);
}

if (isMain(import.meta.url)) await runAll();
