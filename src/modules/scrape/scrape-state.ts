import { z } from 'zod';
import { type Cache, parseCached } from '../../platform/cache/cache.js';
import type { CampaignSuggestion } from './suggest-campaign.js';

/**
 * A scrape request lives only a day and is read by id, so it is kept in the cache (Redis in
 * distributed mode) rather than in a table: `scrape:<requestId>` holds this JSON.
 */
export const SCRAPE_TTL_SECONDS = 86_400;

export const SCRAPE_STATUSES = ['queued', 'running', 'done', 'failed'] as const;
export type ScrapeStatus = (typeof SCRAPE_STATUSES)[number];

export interface ScrapeResult {
  suggestion: CampaignSuggestion;
  /** The URL the page was finally read from, after redirects. */
  finalUrl: string;
  via: 'chromium' | 'fetch';
}

const stateSchema = z.object({
  status: z.enum(SCRAPE_STATUSES),
  url: z.string(),
  userId: z.string(),
  result: z.custom<ScrapeResult>((v) => typeof v === 'object' && v !== null && 'suggestion' in v).optional(),
  error: z.object({ code: z.string(), message: z.string() }).optional(),
  updatedAt: z.string(),
});

export type ScrapeState = z.infer<typeof stateSchema>;

const keyOf = (requestId: string) => `scrape:${requestId}`;

export function createScrapeStateStore(cache: Cache) {
  return {
    async get(requestId: string): Promise<ScrapeState | undefined> {
      return parseCached(await cache.get(keyOf(requestId)), stateSchema);
    },
    async put(requestId: string, state: ScrapeState): Promise<void> {
      await cache.set(keyOf(requestId), JSON.stringify(state), SCRAPE_TTL_SECONDS);
    },
    async remove(requestId: string): Promise<void> {
      await cache.delete(keyOf(requestId));
    },
  };
}

export type ScrapeStateStore = ReturnType<typeof createScrapeStateStore>;
