/**
 * What the dashboard reads from the API, after camelize(). Lenient on purpose: optional
 * fields default, unknown fields are dropped, so a newer server never breaks an older page.
 */
import { z } from 'zod';

export const LEAD_STATUSES = ['new', 'contacted', 'dismissed', 'converted'] as const;
export type LeadStatus = (typeof LEAD_STATUSES)[number];

export const INTENTS = [
  'recommendation_request',
  'alternative_search',
  'pain_point',
  'competitor_complaint',
  'comparison',
  'question',
  'other',
] as const;

const strings = z.array(z.string()).nullish().transform((v) => v ?? []);
const date = z.union([z.string(), z.number()]).transform((v) => new Date(typeof v === 'number' && v < 1e12 ? v * 1000 : v).toISOString());

export const userSchema = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string().nullish(),
  role: z.enum(['owner', 'admin', 'member']).catch('member'),
});
export type User = z.infer<typeof userSchema>;

/** The session answer is either the user or { user }. */
export const sessionSchema = z.preprocess(
  (v) => (v && typeof v === 'object' && 'user' in v ? (v as { user: unknown }).user : v),
  userSchema,
);

const limitUsage = z.object({ used: z.number().catch(0), limit: z.number().nullish() });

export const meSchema = z.preprocess(
  (v) => (v && typeof v === 'object' && 'user' in v ? { ...(v as { user: object }).user, ...v } : v),
  userSchema.extend({
    plan: z
      .object({
        maxCampaigns: z.number().nullish(),
        maxRulesPerCampaign: z.number().nullish(),
        aiTokensPerMonth: z.number().nullish(),
      })
      .passthrough()
      .nullish(),
    usage: z
      .object({
        campaigns: z.union([z.number(), limitUsage]).nullish(),
        aiTokensThisMonth: z.number().nullish(),
        leadsThisMonth: z.number().nullish(),
      })
      .passthrough()
      .nullish(),
    redditAccounts: z.array(z.object({ id: z.string(), username: z.string() })).nullish(),
  }),
);
export type Me = z.infer<typeof meSchema>;

export const campaignSchema = z.object({
  id: z.string(),
  name: z.string(),
  productName: z.string().catch(''),
  productDescription: z.string().catch(''),
  productUrl: z.string().nullish(),
  leadContext: z.string().catch(''),
  rules: strings,
  negativeKeywords: strings,
  subreddits: strings,
  watchAll: z.boolean().catch(false),
  subredditDeny: strings,
  authorDeny: strings,
  minScore: z.number().nullish(),
  includeNsfw: z.boolean().catch(false),
  threshold: z.number().catch(60),
  status: z.enum(['active', 'paused']).catch('active'),
  createdAt: date.optional(),
});
export type Campaign = z.infer<typeof campaignSchema>;

const listOf = <T extends z.ZodType>(item: T) =>
  z.preprocess((v) => (Array.isArray(v) ? { items: v } : v), z.object({ items: z.array(item) })).transform((v) => v.items);

export const campaignListSchema = listOf(campaignSchema);

const itemSchema = z.object({
  fullname: z.string().catch(''),
  kind: z.enum(['post', 'comment']).catch('post'),
  subreddit: z.string().catch(''),
  author: z.string().catch(''),
  title: z.string().nullish().transform((v) => v ?? ''),
  body: z.string().nullish().transform((v) => v ?? ''),
  permalink: z.string().catch(''),
  url: z.string().nullish(),
  score: z.number().nullish(),
  source: z.enum(['reddit', 'demo', 'import']).catch('reddit'),
  createdUtc: date.optional(),
});
export type RedditItem = z.infer<typeof itemSchema>;

const ITEM_KEYS = ['fullname', 'kind', 'subreddit', 'author', 'title', 'body', 'permalink', 'url', 'source', 'createdUtc'];

/** Leads may nest their Reddit item (`item`) or carry its fields flat; the dashboard reads `item`. */
function nestItem(v: unknown): unknown {
  if (!v || typeof v !== 'object' || 'item' in v) return v;
  const flat = v as Record<string, unknown>;
  const item: Record<string, unknown> = {};
  for (const k of ITEM_KEYS) if (k in flat) item[k] = flat[k];
  if (!('fullname' in item) && 'itemId' in flat) item.fullname = flat.itemId;
  if (!('score' in item) && 'itemScore' in flat) item.score = flat.itemScore;
  return { ...flat, item };
}

/** A reply: an AI draft, then the text the person approved, then its posting state. */
export const replySchema = z.object({
  id: z.string(),
  draft: z.string().catch(''),
  text: z.string().nullish(),
  status: z.string().catch('draft'),
  error: z.string().nullish(),
});
export type Reply = z.infer<typeof replySchema>;

export const leadSchema = z.preprocess(
  nestItem,
  z.object({
    id: z.string(),
    campaignId: z.string().catch(''),
    campaignName: z.string().nullish(),
    status: z.enum(LEAD_STATUSES).catch('new'),
    scoring: z.enum(['pending', 'scored', 'unscored']).nullish(),
    score: z.number().nullish(),
    intent: z.string().nullish(),
    reasons: strings,
    matchedTerms: strings,
    feedback: z.enum(['good', 'bad']).nullish(),
    createdAt: date.optional(),
    item: itemSchema,
    /** Only on the detail answer; newest first. */
    replies: z.array(replySchema).catch([]),
  }),
);
export type Lead = z.infer<typeof leadSchema>;

export const leadPageSchema = z.object({
  items: z.array(leadSchema),
  nextCursor: z.string().nullish(),
});
export type LeadPage = z.infer<typeof leadPageSchema>;



const counted = <K extends string>(key: K) => z.array(z.object({ [key]: z.string(), count: z.number() } as { [P in K]: z.ZodString } & { count: z.ZodNumber }));

export const statsSchema = z.object({
  days: z.number().catch(30),
  total: z.number().catch(0),
  leadsPerDay: counted('day').catch([]),
  /** Ten buckets of ten points: from 0-9 to 90-100. */
  scoreHistogram: z.array(z.object({ from: z.number(), to: z.number(), count: z.number() })).catch([]),
  intents: z.array(z.object({ intent: z.string().nullable(), count: z.number() })).catch([]),
  topSubreddits: counted('subreddit').catch([]),
  statuses: counted('status').catch([]),
});
export type CampaignStats = z.infer<typeof statsSchema>;

export const previewSchema = z.object({
  scanned: z.number().catch(0),
  matches: z
    .array(
      z.object({
        fullname: z.string(),
        kind: z.enum(['post', 'comment']).catch('post'),
        subreddit: z.string(),
        author: z.string(),
        title: z.string().catch(''),
        excerpt: z.string().catch(''),
        permalink: z.string().catch(''),
        createdUtc: date.optional(),
        matchedTerms: strings,
      }),
    )
    .catch([]),
});
export type Preview = z.infer<typeof previewSchema>;

export const apiKeySchema = z.object({
  id: z.string(),
  name: z.string(),
  prefix: z.string().catch(''),
  createdAt: date.optional(),
  lastUsedAt: date.nullish(),
  key: z.string().optional(),
});
export type ApiKey = z.infer<typeof apiKeySchema>;
export const apiKeyListSchema = listOf(apiKeySchema);

export const channelSchema = z.object({
  id: z.string(),
  kind: z.enum(['email', 'slack', 'discord', 'webhook']),
  target: z.string(),
  mode: z.enum(['instant', 'digest']).catch('instant'),
  minScore: z.number().nullish(),
  enabled: z.boolean().catch(true),
  lastError: z.string().nullish(),
  failingSince: date.nullish(),
});
export type Channel = z.infer<typeof channelSchema>;
export const channelListSchema = listOf(channelSchema);

export const redditAccountSchema = z.object({ id: z.string(), username: z.string(), karma: z.number().nullish() });
export const redditAccountListSchema = listOf(redditAccountSchema);
export type RedditAccount = z.infer<typeof redditAccountSchema>;

export const systemStatusSchema = z.object({
  queues: z
    .array(
      z.object({
        name: z.string(),
        waiting: z.number().catch(0),
        active: z.number().catch(0),
        delayed: z.number().catch(0),
        failed: z.number().catch(0),
      }),
    )
    .catch([]),
  redditBudget: z
    .object({ remaining: z.number().nullish(), limit: z.number().nullish(), resetAt: date.nullish() })
    .nullish(),
  aiBreaker: z.object({ state: z.string() }).nullish(),
  streams: z
    .array(
      z.object({
        key: z.string(),
        lagSeconds: z.number().nullish(),
        lastPolledAt: date.nullish(),
        itemsPerMinute: z.number().nullish(),
        lastError: z.string().nullish(),
      }),
    )
    .catch([]),
});
export type SystemStatus = z.infer<typeof systemStatusSchema>;

/** One rule error from the API's parser: which list (rules or exclusions), which entry, where in it, what is wrong. */
export const ruleErrorSchema = z.object({
  field: z.string().catch('rules'),
  index: z.number(),
  position: z.number().nullish(),
  message: z.string(),
});
/** `position` is 1-based, as the rule parser counts. */
export type RuleError = { field: string; index: number; position: number | null; message: string };
