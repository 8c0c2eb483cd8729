import { z } from 'zod';
import { INTENTS } from '../../platform/db/schema.js';

/** Wire format of the campaign endpoints. JSON fields are snake_case across the API. */

const subredditName = z
  .string()
  .trim()
  .toLowerCase()
  .transform((s) => s.replace(/^\/?r\//, ''))
  .pipe(z.string().regex(/^[a-z0-9_]{2,21}$/, 'a subreddit name: 2 to 21 letters, digits or _'));

const authorName = z
  .string()
  .trim()
  .toLowerCase()
  .transform((s) => s.replace(/^\/?u\//, ''))
  .pipe(z.string().regex(/^[a-z0-9_-]{2,20}$/, 'a Reddit username'));

const rule = z.string().trim().min(1).max(500);

export const campaignIdParams = z.object({ id: z.uuid() });

export const campaignInput = z.object({
  name: z.string().trim().min(1).max(120),
  product_name: z.string().trim().max(200).default(''),
  product_description: z.string().trim().max(5000).default(''),
  product_url: z.url({ protocol: /^https?$/ }).max(2000).nullable().default(null),
  lead_context: z.string().trim().max(5000).default(''),
  rules: z.array(rule).max(1000).default([]),
  negative_keywords: z.array(rule).max(1000).default([]),
  subreddits: z.array(subredditName).max(500).default([]),
  watch_all: z.boolean().default(false),
  subreddit_deny: z.array(subredditName).max(500).default([]),
  author_deny: z.array(authorName).max(1000).default(['automoderator']),
  min_score: z.number().int().min(-100_000).max(1_000_000).nullable().default(null),
  include_nsfw: z.boolean().default(false),
  threshold: z.number().int().min(0).max(100).default(60),
});
export type CampaignInput = z.infer<typeof campaignInput>;

/** PATCH: every field optional, none defaulted, so only what is sent changes. */
export const campaignPatch = z
  .object({
    name: z.string().trim().min(1).max(120),
    product_name: z.string().trim().max(200),
    product_description: z.string().trim().max(5000),
    product_url: z.url({ protocol: /^https?$/ }).max(2000).nullable(),
    lead_context: z.string().trim().max(5000),
    rules: z.array(rule).max(1000),
    negative_keywords: z.array(rule).max(1000),
    subreddits: z.array(subredditName).max(500),
    watch_all: z.boolean(),
    subreddit_deny: z.array(subredditName).max(500),
    author_deny: z.array(authorName).max(1000),
    min_score: z.number().int().min(-100_000).max(1_000_000).nullable(),
    include_nsfw: z.boolean(),
    threshold: z.number().int().min(0).max(100),
  })
  .partial();
export type CampaignPatch = z.infer<typeof campaignPatch>;

export const campaign = z.object({
  id: z.uuid(),
  name: z.string(),
  product_name: z.string(),
  product_description: z.string(),
  product_url: z.string().nullable(),
  lead_context: z.string(),
  rules: z.array(z.string()),
  negative_keywords: z.array(z.string()),
  subreddits: z.array(z.string()),
  watch_all: z.boolean(),
  subreddit_deny: z.array(z.string()),
  author_deny: z.array(z.string()),
  min_score: z.number().int().nullable(),
  include_nsfw: z.boolean(),
  threshold: z.number().int(),
  status: z.enum(['active', 'paused']),
  version: z.number().int(),
  /** Set when soft-deleted; restorable until `restorable_until`. */
  deleted_at: z.iso.datetime().nullable(),
  restorable_until: z.iso.datetime().nullable(),
  created_at: z.iso.datetime(),
  updated_at: z.iso.datetime(),
});
export type CampaignView = z.infer<typeof campaign>;

export const campaignListQuery = z.object({
  /** Also list soft-deleted campaigns that can still be restored. */
  include_deleted: z.enum(['true', 'false']).default('false').transform((v) => v === 'true'),
});

export const campaignList = z.object({ items: z.array(campaign) });

export const previewBody = z.object({
  rules: z.array(rule).min(1).max(1000),
  negative_keywords: z.array(rule).max(1000).default([]),
  subreddits: z.array(subredditName).max(500).default([]),
  subreddit_deny: z.array(subredditName).max(500).default([]),
  author_deny: z.array(authorName).max(1000).default(['automoderator']),
  min_score: z.number().int().nullable().default(null),
  include_nsfw: z.boolean().default(false),
  limit: z.number().int().min(1).max(100).default(25),
});
export type PreviewInput = z.infer<typeof previewBody>;

export const previewResult = z.object({
  /** Recent stored items examined. */
  scanned: z.number().int(),
  matches: z.array(
    z.object({
      fullname: z.string(),
      kind: z.enum(['post', 'comment']),
      subreddit: z.string(),
      author: z.string(),
      title: z.string(),
      excerpt: z.string(),
      permalink: z.string(),
      created_utc: z.iso.datetime(),
      matched_terms: z.array(z.string()),
    }),
  ),
});
export type PreviewResult = z.infer<typeof previewResult>;

export const statsQuery = z.object({ days: z.coerce.number().int().min(1).max(365).default(30) });

export const campaignStats = z.object({
  days: z.number().int(),
  total: z.number().int(),
  leads_per_day: z.array(z.object({ day: z.iso.date(), count: z.number().int() })),
  /** Ten buckets: 0-9, 10-19, ... 90-100. */
  score_histogram: z.array(z.object({ from: z.number().int(), to: z.number().int(), count: z.number().int() })),
  intents: z.array(z.object({ intent: z.enum(INTENTS).nullable(), count: z.number().int() })),
  top_subreddits: z.array(z.object({ subreddit: z.string(), count: z.number().int() })),
  statuses: z.array(z.object({ status: z.string(), count: z.number().int() })),
});
export type CampaignStats = z.infer<typeof campaignStats>;
