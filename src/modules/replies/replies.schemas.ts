import { z } from 'zod';

/** Reddit's own limit for a comment's markdown. */
export const MAX_REPLY_CHARS = 10_000;

export const postReplyBody = z.object({
  /** The final text, as the person approved it. */
  text: z.string().trim().min(1).max(MAX_REPLY_CHARS),
  account_id: z.uuid(),
  /** The draft this text came from; without it a new reply is recorded. */
  reply_id: z.uuid().optional(),
});
export type PostReplyBody = z.infer<typeof postReplyBody>;

export const REPLY_STATES = ['draft', 'queued', 'posting', 'posted', 'failed'] as const;

export const replyView = z.object({
  id: z.uuid(),
  lead_id: z.uuid(),
  account_id: z.uuid().nullable(),
  draft: z.string(),
  drafted_by: z.string(),
  text: z.string().nullable(),
  /** `posting`: the post was sent to Reddit and its answer is not recorded yet. */
  status: z.enum(REPLY_STATES),
  reddit_fullname: z.string().nullable(),
  error: z.string().nullable(),
  posted_at: z.iso.datetime().nullable(),
  created_at: z.iso.datetime(),
  updated_at: z.iso.datetime(),
});
export type ReplyView = z.infer<typeof replyView>;

export const replyList = z.object({ items: z.array(replyView) });

export const queuedAnswer = z.object({ id: z.uuid(), status: z.literal('queued') });
