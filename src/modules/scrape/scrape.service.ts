import { randomUUID } from 'node:crypto';
import type { Cache } from '../../platform/cache/cache.js';
import { NotFoundError } from '../../platform/errors.js';
import { assertPublicUrl, type UrlPolicy } from '../../platform/net/ssrf-guard.js';
import type { QueueProducer } from '../../platform/queue/queue.js';
import { createScrapeStateStore, type ScrapeState, type ScrapeStatus } from './scrape-state.js';

export interface ScrapeServiceDeps {
  cache: Cache;
  queue: QueueProducer;
  /** The address policy; tests that scrape their own 127.0.0.1 server allow it here. */
  policy?: UrlPolicy;
  newId?: () => string;
  now?: () => Date;
}

export interface ScrapeView extends Omit<ScrapeState, 'userId' | 'updatedAt'> {
  id: string;
  updatedAt: Date;
}

/** Attempts per scrape job: one retry for a browser crash; refused or unreachable pages are not retried. */
export const SCRAPE_ATTEMPTS = 2;

export function createScrapeService(deps: ScrapeServiceDeps) {
  const store = createScrapeStateStore(deps.cache);
  const newId = deps.newId ?? randomUUID;
  const now = deps.now ?? (() => new Date());

  return {
    /** Checks the URL at once (a refused address is a 400 now, not a failed job later), then queues the scrape. */
    async requestScrape(userId: string, rawUrl: string): Promise<{ id: string; status: ScrapeStatus }> {
      const url = (await assertPublicUrl(rawUrl, deps.policy ?? {})).toString();
      const id = newId();
      await store.put(id, { status: 'queued', url, userId, updatedAt: now().toISOString() });
      try {
        await deps.queue.enqueue('scrape', { requestId: id, userId, url }, { jobId: id, attempts: SCRAPE_ATTEMPTS });
      } catch (err) {
        await store.remove(id).catch(() => {});
        throw err;
      }
      return { id, status: 'queued' };
    },

    /** Another user's request (or an expired one) is reported exactly like a missing one. */
    async getScrape(userId: string, id: string): Promise<ScrapeView> {
      const state = await store.get(id);
      if (!state || state.userId !== userId) throw new NotFoundError('scrape_request');
      const { userId: _owner, updatedAt, ...rest } = state;
      return { id, ...rest, updatedAt: new Date(updatedAt) };
    },
  };
}

export type ScrapeService = ReturnType<typeof createScrapeService>;
