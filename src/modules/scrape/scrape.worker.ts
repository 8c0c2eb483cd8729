import type { Env } from '../../config/env.js';
import type { Cache } from '../../platform/cache/cache.js';
import type { Logger } from '../../platform/logger.js';
import type { UrlPolicy } from '../../platform/net/ssrf-guard.js';
import { createBrowserPool } from './chromium.js';
import { createPageReader, type RenderMode } from './page-reader.js';
import { createScrapeJob } from './scrape.jobs.js';

/** What the scraper process needs: the `scrape` job definition and the browser to close on shutdown. */
export function createScrapeWorker(deps: {
  env: Pick<Env, 'CHROMIUM_PATH' | 'SCRAPE_TIMEOUT_MS' | 'SCRAPE_MAX_BYTES'>;
  cache: Cache;
  log: Logger;
  render?: RenderMode;
  policy?: UrlPolicy;
}) {
  const policy = deps.policy ?? {};
  const limits = { timeoutMs: deps.env.SCRAPE_TIMEOUT_MS, maxBytes: deps.env.SCRAPE_MAX_BYTES };
  const browser = createBrowserPool({ executablePath: deps.env.CHROMIUM_PATH, policy, ...limits, log: deps.log });
  if (!browser.installed) deps.log.warn({ path: deps.env.CHROMIUM_PATH }, 'no Chromium; pages are read without rendering');
  const reader = createPageReader({ policy, ...limits, browser, render: deps.render ?? 'auto', log: deps.log });
  return {
    job: createScrapeJob({ cache: deps.cache, reader }),
    close: () => browser.close(),
  };
}
