import { z } from 'zod';

export const accountIdParams = z.object({ id: z.uuid() });

/** A connected Reddit account as the API shows it; tokens never leave the server. */
export const redditAccount = z.object({
  id: z.uuid(),
  username: z.string(),
  scope: z.string(),
  karma: z.number().int().nullable(),
  account_created_utc: z.iso.datetime().nullable(),
  /** Posting waits until then (Reddit's RATELIMIT, or the pause between two replies). */
  paused_until: z.iso.datetime().nullable(),
  created_at: z.iso.datetime(),
});
export type RedditAccountView = z.infer<typeof redditAccount>;

export const redditAccountList = z.object({ items: z.array(redditAccount) });

export const connectAnswer = z.object({ authorize_url: z.url() });

/** What Reddit appends to the redirect URI: `code` and `state`, or `error` (e.g. access_denied). */
export const callbackQuery = z.object({
  code: z.string().max(512).optional(),
  state: z.string().max(256).optional(),
  error: z.string().max(100).optional(),
});
export type CallbackQuery = z.infer<typeof callbackQuery>;
