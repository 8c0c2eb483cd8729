import { z } from 'zod';
import type { Db } from '../../platform/db/client.js';
import { type JobContext, type QueueProducer, UnrecoverableError, defineJob } from '../../platform/queue/queue.js';
import type { RedditClient } from '../../reddit/client.js';
import { RedditUnavailableError } from '../../reddit/errors.js';
import { AccountAccessRevokedError, type AccountService } from '../accounts/accounts.service.js';
import { decidePostOutcome } from './post-outcome.js';
import { claimReply, loadForPosting, markFailed, markPosted, releaseClaim } from './replies.repo.js';

export interface ReplyJobDeps {
  db: Db;
  queue: QueueProducer;
  accounts: Pick<AccountService, 'accessToken' | 'takePostingSlot' | 'pause'>;
  reddit: Pick<RedditClient, 'postComment'>;
  /** REPLY_MIN_INTERVAL_S: at most one comment per account per this many milliseconds. */
  minIntervalMs: number;
  /**
   * A post attempt older than this with no recorded outcome is taken for dead (its worker
   * stopped); younger, it may still be waiting for Reddit. Keep it above the Reddit request timeout.
   */
  claimStaleAfterMs?: number;
  now?: () => Date;
}

export const replyPayload = z.object({ replyId: z.uuid() });

export const UNKNOWN_OUTCOME =
  'Posting stopped before Reddit confirmed it, so the comment may or may not be on Reddit. Check the thread before posting again.';

/**
 * Posts one human-approved reply. Safe to run twice: every step is guarded in SQL.
 *
 * At most once, by design. The claim (queued -> posting) is recorded before the comment is
 * sent. Between Reddit accepting the comment and the row saying so, a crash leaves a
 * claimed reply: a later run cannot tell whether Reddit has it, so instead of posting again
 * it fails the reply with UNKNOWN_OUTCOME and the person decides. A duplicate public comment
 * is worse than one the person re-sends. The same holds when the request times out or the
 * connection drops after sending; only answers that prove nothing was posted (RATELIMIT,
 * refused token, breaker open) give the claim back for another try.
 */
export function createReplyJob(deps: ReplyJobDeps) {
  const { db, queue, accounts, reddit } = deps;
  const now = deps.now ?? (() => new Date());
  const staleAfterMs = deps.claimStaleAfterMs ?? 60_000;

  /** Another run later: the id differs from the reply id, which this running job still holds. */
  async function runAt(replyId: string, at: Date, ctx: JobContext, why: string): Promise<void> {
    const delayMs = Math.max(0, at.getTime() - now().getTime());
    await queue.enqueue('reply', { replyId }, { jobId: `${replyId}-at-${at.getTime()}`, delayMs });
    ctx.log.info({ replyId, delayMs, why }, 'reply postponed');
  }

  async function fail(replyId: string, error: string, claimedAt?: Date): Promise<never> {
    await markFailed(db, replyId, error, now(), claimedAt);
    throw new UnrecoverableError(error);
  }

  return defineJob({
    queue: 'reply',
    payload: replyPayload,
    async process({ replyId }, ctx) {
      const r = await loadForPosting(db, replyId);
      // Posted, failed, back to draft or deleted: nothing to do, and never a second post.
      if (r?.status !== 'queued') return;

      if (r.claimedAt) {
        const age = now().getTime() - r.claimedAt.getTime();
        if (age < staleAfterMs) {
          await runAt(replyId, new Date(r.claimedAt.getTime() + staleAfterMs), ctx, 'another attempt is in flight');
          return;
        }
        ctx.log.warn({ replyId }, 'reply attempt has no recorded outcome; not posting again');
        return fail(replyId, UNKNOWN_OUTCOME, r.claimedAt);
      }
      if (!r.accountId || !r.username) return fail(replyId, 'The Reddit account was disconnected; choose an account and post again.');
      if (!r.text) return fail(replyId, 'The reply has no text.');

      const slot = await accounts.takePostingSlot(r.accountId, deps.minIntervalMs);
      if (!slot.ok) {
        await runAt(replyId, slot.until, ctx, 'account paused');
        return;
      }

      let token: string;
      try {
        token = await accounts.accessToken(r.accountId, r.username);
      } catch (err) {
        if (err instanceof AccountAccessRevokedError) return fail(replyId, err.message);
        throw err;
      }

      const claimedAt = now();
      if (!(await claimReply(db, replyId, claimedAt))) return;

      let outcome: ReturnType<typeof decidePostOutcome>;
      try {
        outcome = decidePostOutcome(await reddit.postComment(token, r.itemId, r.text));
      } catch (err) {
        if (err instanceof RedditUnavailableError) {
          // The breaker refused the call before anything was sent.
          await releaseClaim(db, replyId, claimedAt, now());
          throw err;
        }
        ctx.log.warn({ replyId, err }, 'reply request ended without an answer from Reddit');
        return fail(replyId, UNKNOWN_OUTCOME, claimedAt);
      }

      switch (outcome.kind) {
        case 'posted':
          await markPosted(db, replyId, outcome.fullname, now());
          ctx.log.info({ replyId, leadId: r.leadId, fullname: outcome.fullname, account: r.username }, 'reply posted');
          return;
        case 'rate_limited': {
          const until = new Date(now().getTime() + outcome.waitMs);
          await accounts.pause(r.accountId, until);
          await releaseClaim(db, replyId, claimedAt, now());
          ctx.log.warn({ replyId, account: r.username, waitMs: outcome.waitMs }, 'reddit RATELIMIT; account paused');
          await runAt(replyId, until, ctx, 'RATELIMIT');
          return;
        }
        case 'retry':
          await releaseClaim(db, replyId, claimedAt, now());
          throw new Error(`reddit refused the account token (${outcome.reason}); retrying`);
        case 'failed':
          ctx.log.warn({ replyId, account: r.username, error: outcome.error }, 'reply refused by reddit');
          return fail(replyId, outcome.error, claimedAt);
      }
    },
  });
}
