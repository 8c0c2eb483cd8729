import { boot } from './boot.js';
import { isMain } from './is-main.js';
import { openInfrastructure } from './infrastructure.js';

/** The scrape queue's worker (headless Chromium) in a process of its own, memory-capped by its supervisor. */
export async function runScraper(): Promise<void> {
  const { env, log, lifecycle } = boot('scraper', { WORKER_QUEUES: 'scrape' });
  await openInfrastructure(env, log, lifecycle, { migrate: false });
  log.info({ queues: env.consumedQueues }, 'scraper started');
}

if (isMain(import.meta.url)) await runScraper();
