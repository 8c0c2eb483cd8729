import type { Db } from '../../platform/db/client.js';
import { ConflictError, NotFoundError } from '../../platform/errors.js';
import type { QueueProducer } from '../../platform/queue/queue.js';
import type { AccountService } from '../accounts/accounts.service.js';
import {
  activeReplyOf,
  findReply,
  insertQueued,
  leadExists,
  listReplies,
  lockLead,
  markFailed,
  queueExisting,
  type ReplyRow,
} from './replies.repo.js';
import type { PostReplyBody, ReplyView } from './replies.schemas.js';

export interface ReplyServiceDeps {
  db: Db;
  queue: QueueProducer;
  accounts: Pick<AccountService, 'get'>;
  now?: () => Date;
}

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);

export function replyView(r: ReplyRow): ReplyView {
  const posting = r.status === 'queued' && r.postedAt !== null;
  return {
    id: r.id,
    lead_id: r.leadId,
    account_id: r.accountId,
    draft: r.draft,
    drafted_by: r.draftedBy,
    text: r.text,
    status: posting ? 'posting' : r.status,
    reddit_fullname: r.redditFullname,
    error: r.error,
    posted_at: r.status === 'posted' ? iso(r.postedAt) : null,
    created_at: new Date(r.createdAt).toISOString(),
    updated_at: new Date(r.updatedAt).toISOString(),
  };
}

/** Queues the human-approved text of a reply; the `reply` job posts it. */
export function createReplyService(deps: ReplyServiceDeps) {
  const { db, queue } = deps;
  const now = deps.now ?? (() => new Date());

  return {
    async queue(userId: string, leadId: string, body: PostReplyBody): Promise<{ id: string; status: 'queued' }> {
      // Checked first so another user's account is a 404 whatever the lead.
      await deps.accounts.get(userId, body.account_id);
      const t = now();
      const reply = await db.transaction(async (tx) => {
        if (!(await lockLead(tx, userId, leadId))) throw new NotFoundError('lead');
        // One press, one comment: a double click or a second tab must not post twice.
        const active = await activeReplyOf(tx, leadId);
        if (active?.status === 'posted') throw new ConflictError('reply_already_posted', 'A reply to this lead was already posted.');
        if (active) throw new ConflictError('reply_in_progress', 'A reply to this lead is already being posted.');
        if (body.reply_id === undefined) {
          return insertQueued(tx, { userId, leadId, accountId: body.account_id, text: body.text, now: t });
        }
        if (!(await findReply(tx, userId, leadId, body.reply_id))) throw new NotFoundError('reply');
        const queued = await queueExisting(tx, body.reply_id, { text: body.text, accountId: body.account_id, now: t });
        if (!queued) throw new ConflictError('reply_not_editable', 'Only a draft or a failed reply can be posted.');
        return queued;
      });
      // After the commit, so a job never finds its row missing. When the queue is down nothing
      // was posted: the reply is failed (the person can press the button again) and the API answers 503.
      try {
        await queue.enqueue('reply', { replyId: reply.id }, { jobId: reply.id });
      } catch (err) {
        await markFailed(db, reply.id, 'The reply could not be queued; nothing was posted. Try again.', now());
        throw err;
      }
      return { id: reply.id, status: 'queued' };
    },

    async list(userId: string, leadId: string): Promise<ReplyView[]> {
      if (!(await leadExists(db, userId, leadId))) throw new NotFoundError('lead');
      return (await listReplies(db, userId, leadId)).map(replyView);
    },
  };
}

export type ReplyService = ReturnType<typeof createReplyService>;
