import { z } from 'zod';
import type { Cache } from '../../platform/cache/cache.js';
import { AppError } from '../../platform/errors.js';
import { defineJob } from '../../platform/queue/queue.js';
import type { PageReader } from './page-reader.js';
import { createScrapeStateStore } from './scrape-state.js';
import { SCRAPE_ATTEMPTS } from './scrape.service.js';
import { suggestCampaign } from './suggest-campaign.js';

export const scrapePayload = z.object({ requestId: z.string().uuid(), userId: z.string().uuid(), url: z.string().url() });

export interface ScrapeJobDeps {
  cache: Cache;
  reader: PageReader;
  now?: () => Date;
}

/**
 * Reads the page and stores a campaign suggestion under the request id. Safe to run twice:
 * a request already done is left alone. A page that is refused, missing or too large is a
 * final answer for the user (status failed with its code), not something a retry fixes.
 */
export function createScrapeJob(deps: ScrapeJobDeps) {
  const store = createScrapeStateStore(deps.cache);
  const now = deps.now ?? (() => new Date());

  return defineJob({
    queue: 'scrape',
    payload: scrapePayload,
    async process({ requestId, userId, url }, ctx) {
      const existing = await store.get(requestId);
      if (existing?.status === 'done') return;
      const base = { url, userId };
      await store.put(requestId, { ...base, status: 'running', updatedAt: now().toISOString() });
      try {
        const read = await deps.reader.read(url);
        const suggestion = suggestCampaign({ url: read.url, page: read.page });
        await store.put(requestId, {
          ...base,
          status: 'done',
          result: { suggestion, finalUrl: read.url, via: read.via },
          updatedAt: now().toISOString(),
        });
        ctx.log.info({ requestId, via: read.via, rules: suggestion.rules.length }, 'scrape done');
      } catch (err) {
        if (err instanceof AppError) {
          await store.put(requestId, {
            ...base,
            status: 'failed',
            error: { code: err.code, message: err.message },
            updatedAt: now().toISOString(),
          });
          return;
        }
        if (ctx.attempt < SCRAPE_ATTEMPTS) throw err;
        ctx.log.error({ err, requestId }, 'scrape failed');
        await store.put(requestId, {
          ...base,
          status: 'failed',
          error: { code: 'scrape_failed', message: 'The page could not be read. Try again later.' },
          updatedAt: now().toISOString(),
        });
      }
    },
  });
}
