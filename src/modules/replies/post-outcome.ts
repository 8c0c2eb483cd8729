import type { PostCommentResult } from '../../reddit/comment-result.js';

/** What the reply job does with Reddit's answer to POST /api/comment. */
export type PostOutcome =
  | { kind: 'posted'; fullname: string }
  /** Reddit refused for now and said so: nothing was posted, wait and try again. */
  | { kind: 'rate_limited'; waitMs: number }
  /** The user token was refused before anything was posted: try again with a fresh one. */
  | { kind: 'retry'; reason: string }
  /** Trying again cannot help (or could post twice): the reply fails with this text. */
  | { kind: 'failed'; error: string };

/** Reddit's RATELIMIT without a readable wait parks the account this long. */
export const DEFAULT_RATELIMIT_WAIT_MS = 10 * 60_000;

const READABLE: Record<string, string> = {
  THREAD_LOCKED: 'The thread is locked: Reddit accepts no new comments there.',
  TOO_OLD: 'The thread is archived (too old to reply to).',
  DELETED_COMMENT: 'The post or comment was deleted, so there is nothing to reply to.',
  SUBREDDIT_NOTALLOWED: 'The subreddit does not let this account comment there.',
  BANNED_FROM_SUBREDDIT: 'The account is banned from this subreddit.',
  FORBIDDEN: 'Reddit refused the account (suspended or banned).',
};

export function decidePostOutcome(result: PostCommentResult): PostOutcome {
  if (result.ok) return { kind: 'posted', fullname: result.fullname };
  if (result.code === 'RATELIMIT') {
    return { kind: 'rate_limited', waitMs: Math.max(1_000, result.retryAfterMs ?? DEFAULT_RATELIMIT_WAIT_MS) };
  }
  if (result.code === 'UNAUTHORIZED' || result.code === 'USER_REQUIRED') return { kind: 'retry', reason: result.code };
  const readable = READABLE[result.code];
  if (readable) return { kind: 'failed', error: readable };
  // Anything else (text too long, an answer we cannot read) is reported as Reddit said it.
  const detail = result.message ? `: ${result.message}` : '';
  return { kind: 'failed', error: `Reddit did not take the comment (${result.code}${detail}).` };
}
