import { boot } from './boot.js';
import { isMain } from './is-main.js';
import { openInfrastructure } from './infrastructure.js';

/** Queue workers; no public HTTP port. */
export async function runWorker(): Promise<void> {
  const { env, log, lifecycle } = boot('worker');
  await openInfrastructure(env, log, lifecycle, { migrate: env.MIGRATE_ON_START });
  log.info({ queues: env.consumedQueues }, 'worker started');
}

if (isMain(import.meta.url)) await runWorker();
