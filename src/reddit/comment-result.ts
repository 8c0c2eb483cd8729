import { z } from 'zod';
import { toRedditThing } from './things.schemas.js';
import type { RedditThing } from './types.js';

/** Reddit's answer to POST /api/comment, made into something the reply module can act on. */
export type PostCommentResult =
  | { ok: true; fullname: string; thing: RedditThing | null }
  | {
      ok: false;
      /** Reddit's code (RATELIMIT, THREAD_LOCKED, TOO_OLD, DELETED_COMMENT, ...), or FORBIDDEN / UNAUTHORIZED. */
      code: string;
      message: string;
      field: string | null;
      /** RATELIMIT only: how long Reddit asked the account to wait. */
      retryAfterMs: number | null;
      /** Retrying the same reply can never succeed (locked, archived, deleted, banned). */
      permanent: boolean;
    };

const PERMANENT = new Set(['THREAD_LOCKED', 'TOO_OLD', 'DELETED_COMMENT', 'SUBREDDIT_NOTALLOWED', 'FORBIDDEN', 'BANNED_FROM_SUBREDDIT']);

const answerSchema = z.object({
  json: z.object({
    errors: z.array(z.array(z.union([z.string(), z.null()]))).default([]),
    data: z
      .object({ things: z.array(z.object({ kind: z.string(), data: z.unknown() })).default([]) })
      .optional(),
  }),
});

const UNIT_MS: Record<string, number> = { millisecond: 1, second: 1000, minute: 60_000, hour: 3_600_000 };

/** "You are doing that too much. Try again in 3 minutes." -> 180000; null when no wait is stated. */
export function parseRateLimitWait(message: string): number | null {
  const m = /(\d+(?:\.\d+)?)\s*(millisecond|second|minute|hour)s?/i.exec(message);
  if (!m) return null;
  return Math.round(Number(m[1]) * UNIT_MS[m[2]!.toLowerCase()]!);
}

function failure(code: string, message: string, field: string | null): PostCommentResult {
  return {
    ok: false,
    code,
    message,
    field,
    retryAfterMs: code === 'RATELIMIT' ? parseRateLimitWait(message) : null,
    permanent: PERMANENT.has(code),
  };
}

export function parseCommentAnswer(status: number, body: unknown): PostCommentResult {
  if (status === 401) return failure('UNAUTHORIZED', 'The account token was refused.', null);
  if (status === 403) return failure('FORBIDDEN', 'Reddit refused the account (suspended or banned).', null);
  const parsed = answerSchema.safeParse(body);
  if (!parsed.success) return failure('UNKNOWN', `Unexpected answer (HTTP ${status}).`, null);
  const [first] = parsed.data.json.errors;
  if (first) return failure(first[0] ?? 'UNKNOWN', first[1] ?? '', first[2] ?? null);
  const child = parsed.data.json.data?.things[0];
  const thing = child ? toRedditThing(child) : null;
  const name =
    thing?.fullname ??
    (child && typeof child.data === 'object' && child.data !== null && 'name' in child.data
      ? String(child.data.name)
      : null);
  if (!name) return failure('UNKNOWN', 'Reddit accepted the comment but returned no thing.', null);
  return { ok: true, fullname: name, thing };
}
