import { z } from 'zod';
import { SCRAPE_STATUSES } from './scrape-state.js';
import type { ScrapeView } from './scrape.service.js';

/** Wire format of the scrape endpoints (snake_case, like the rest of the API). */

export const scrapeBody = z.object({
  url: z.url({ protocol: /^https?$/ }).max(2000),
});

export const scrapeIdParams = z.object({ id: z.uuid() });

export const scrapeAccepted = z.object({ id: z.uuid(), status: z.enum(SCRAPE_STATUSES) });

/** Shaped like the campaign input, so the dashboard can post it to /campaigns after review. */
export const campaignSuggestion = z.object({
  name: z.string(),
  product_name: z.string(),
  product_description: z.string(),
  product_url: z.string(),
  lead_context: z.string(),
  rules: z.array(z.string()),
  negative_keywords: z.array(z.string()),
  subreddits: z.array(z.string()),
  categories: z.array(z.string()),
  competitors: z.array(z.string()),
});

export const scrapeRequest = z.object({
  id: z.uuid(),
  status: z.enum(SCRAPE_STATUSES),
  url: z.string(),
  updated_at: z.string(),
  final_url: z.string().optional(),
  via: z.enum(['chromium', 'fetch']).optional(),
  suggestion: campaignSuggestion.optional(),
  error: z.object({ code: z.string(), message: z.string() }).optional(),
});

export function toWire(view: ScrapeView): z.infer<typeof scrapeRequest> {
  const s = view.result?.suggestion;
  return {
    id: view.id,
    status: view.status,
    url: view.url,
    updated_at: view.updatedAt.toISOString(),
    ...(view.result ? { final_url: view.result.finalUrl, via: view.result.via } : {}),
    ...(s
      ? {
          suggestion: {
            name: s.name,
            product_name: s.productName,
            product_description: s.productDescription,
            product_url: s.productUrl,
            lead_context: s.leadContext,
            rules: s.rules,
            negative_keywords: s.negativeKeywords,
            subreddits: s.subreddits,
            categories: s.categories,
            competitors: s.competitors,
          },
        }
      : {}),
    ...(view.error ? { error: view.error } : {}),
  };
}
