import { isMain } from './is-main.js';
import { runWorker } from './worker.js';

/** The scrape queue's worker (headless Chromium) in a process of its own, memory-capped by its supervisor. */
export async function runScraper(): Promise<void> {
  await runWorker('scraper', { WORKER_QUEUES: 'scrape' });
}

if (isMain(import.meta.url)) await runScraper();
