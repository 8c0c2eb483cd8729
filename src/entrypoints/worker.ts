import { startOpsServer } from '../platform/http/ops-server.js';
import { boot } from './boot.js';
import { buildContainer } from './container.js';
import { openInfrastructure } from './infrastructure.js';
import { isMain } from './is-main.js';

/** Queue workers. No public HTTP port: only the optional ops port (METRICS_PORT) for metrics and probes. */
export async function runWorker(processName = 'worker', overrides: Record<string, string> = {}): Promise<void> {
  const { env, log, lifecycle } = boot(processName, overrides);
  const infra = await openInfrastructure(env, log, lifecycle, { migrate: env.MIGRATE_ON_START, processName });
  const container = await buildContainer(infra, lifecycle, {
    workerName: `${processName}-${process.pid}`,
    scrapes: processName === 'scraper',
  });
  if (env.METRICS_PORT > 0) {
    const ops = await startOpsServer(env.METRICS_PORT, env.HOST, infra.metrics, infra.readiness, env.METRICS_TOKEN);
    lifecycle.onShutdown('http', 'ops', () => ops.close());
  }
  // Every worker syncs the schedulers at start; upserts are idempotent, so N workers make one schedule each.
  await container.syncSchedules();
  const consumed = await container.startWorkers();
  log.info({ queues: consumed }, `${processName} started`);
}

if (isMain(import.meta.url)) await runWorker();
