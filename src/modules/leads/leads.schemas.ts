import { z } from 'zod';
import { INTENTS, LEAD_STATUSES, SCORING_STATES } from '../../platform/db/schema.js';

/** Wire format of the lead endpoints (snake_case JSON). */

export const leadIdParams = z.object({ id: z.uuid() });

const splitList = (s: string) =>
  s
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);

/** Filters shared by the inbox and the CSV export. */
export const leadFilters = z.object({
  campaign_id: z.uuid().optional(),
  /** One status or a comma-separated list; `all` for every status. Defaults to `new`. */
  status: z
    .string()
    .max(100)
    .default('new')
    .transform((s) => (s === 'all' ? 'new,contacted,dismissed,converted' : s))
    .transform(splitList)
    .pipe(z.array(z.enum(LEAD_STATUSES)).min(1).max(4)),
  min_score: z.coerce.number().int().min(0).max(100).optional(),
  /** One intent or a comma-separated list. */
  intent: z
    .string()
    .max(300)
    .transform(splitList)
    .pipe(z.array(z.enum(INTENTS)).min(1).max(INTENTS.length))
    .optional(),
  subreddit: z
    .string()
    .trim()
    .toLowerCase()
    .regex(/^[a-z0-9_]{2,21}$/)
    .optional(),
  kind: z.enum(['post', 'comment']).optional(),
  /** Case-insensitive text search over title and body. */
  q: z.string().trim().min(1).max(200).optional(),
  /** Lead creation date range, inclusive from, exclusive to (ISO 8601). */
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  sort: z.enum(['newest', 'score']).default('newest'),
});
export type LeadFilters = z.infer<typeof leadFilters>;

export const inboxQuery = leadFilters.extend({
  limit: z.coerce.number().int().min(1).max(100).default(25),
  /** Opaque; the `next_cursor` of the previous page. */
  cursor: z.string().max(300).optional(),
});
export type InboxQuery = z.infer<typeof inboxQuery>;

export const redditItem = z.object({
  fullname: z.string(),
  kind: z.enum(['post', 'comment']),
  subreddit: z.string(),
  author: z.string(),
  title: z.string(),
  body: z.string(),
  permalink: z.string(),
  url: z.string().nullable(),
  score: z.number().int(),
  over_18: z.boolean(),
  source: z.enum(['reddit', 'demo', 'import']),
  created_utc: z.iso.datetime(),
});

export const leadSummary = z.object({
  id: z.uuid(),
  campaign_id: z.uuid(),
  status: z.enum(LEAD_STATUSES),
  scoring: z.enum(SCORING_STATES),
  score: z.number().int().nullable(),
  intent: z.enum(INTENTS).nullable(),
  /** Why the lead scored as it did, in short sentences. */
  reasons: z.array(z.string()),
  matched_terms: z.array(z.string()),
  feedback: z.enum(['good', 'bad']).nullable(),
  created_at: z.iso.datetime(),
  /** The Reddit item; `body` is cut to 600 characters in lists. */
  item: redditItem,
});
export type LeadSummary = z.infer<typeof leadSummary>;

export const inboxPage = z.object({
  items: z.array(leadSummary),
  next_cursor: z.string().nullable(),
});
export type InboxPage = z.infer<typeof inboxPage>;

export const reply = z.object({
  id: z.uuid(),
  draft: z.string(),
  drafted_by: z.string(),
  text: z.string().nullable(),
  status: z.enum(['draft', 'queued', 'posted', 'failed']),
  created_at: z.iso.datetime(),
});
export type ReplyView = z.infer<typeof reply>;

export const leadDetail = leadSummary.extend({
  campaign_name: z.string(),
  scored_by: z.string().nullable(),
  scored_at: z.iso.datetime().nullable(),
  status_changed_at: z.iso.datetime().nullable(),
  feedback_at: z.iso.datetime().nullable(),
  replies: z.array(reply),
});
export type LeadDetail = z.infer<typeof leadDetail>;

export const statusBody = z.object({ status: z.enum(LEAD_STATUSES) });

export const bulkStatusBody = z.object({
  ids: z.array(z.uuid()).min(1).max(500),
  status: z.enum(LEAD_STATUSES),
});
export const bulkStatusResult = z.object({ updated: z.number().int() });

export const feedbackBody = z.object({
  feedback: z.enum(['good', 'bad']),
  note: z.string().trim().max(1000).optional(),
});

export const draftBody = z
  .object({
    /** Extra guidance for this one draft, e.g. "shorter, mention the free tier". */
    instructions: z.string().trim().max(1000).optional(),
  })
  // The body is optional: a bare POST asks for a draft with no extra guidance.
  .nullish()
  .transform((v) => v ?? {});
