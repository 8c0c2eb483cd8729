import { Readable } from 'node:stream';
import type { Db } from '../../platform/db/client.js';
import { NotFoundError, ServiceUnavailableError } from '../../platform/errors.js';
import { type Cursor, decodeCursor, encodeCursor } from './cursor.js';
import { csvLine } from './csv.js';
import {
  findLead,
  type InboxRow,
  inboxRows,
  insertDraft,
  type LeadDetailRow,
  recordFeedback,
  repliesOf,
  setStatus,
} from './leads.repo.js';
import type { InboxPage, InboxQuery, LeadDetail, LeadFilters, LeadSummary, ReplyView } from './leads.schemas.js';
import type { LeadDraftWriter, Reply } from './leads.types.js';

type Status = LeadSummary['status'];

export interface LeadServiceDeps {
  db: Db;
  /** Read replica for the inbox and exports when there is one. */
  readDb?: Db;
  /** Absent until the replies module provides a writer. */
  draftWriter?: LeadDraftWriter | undefined;
  /** Throws the plan-limit problem when the user's AI tokens for the month are spent. */
  assertAiTokensLeft(userId: string): Promise<void>;
  /** Throws NotFoundError when the campaign is not the caller's, so a filter never hints at others' ids. */
  assertCampaignVisible(userId: string, campaignId: string): Promise<void>;
  now: () => Date;
}

function summary(r: InboxRow): LeadSummary {
  return {
    id: r.id,
    campaign_id: r.campaign_id,
    status: r.status as Status,
    scoring: r.scoring as LeadSummary['scoring'],
    score: r.score,
    intent: r.intent as LeadSummary['intent'],
    reasons: r.reasons,
    matched_terms: r.matched_terms,
    feedback: r.feedback as LeadSummary['feedback'],
    created_at: new Date(r.created_at).toISOString(),
    item: {
      fullname: r.fullname,
      kind: r.kind as 'post' | 'comment',
      subreddit: r.subreddit,
      author: r.author,
      title: r.title,
      body: r.body,
      permalink: r.permalink,
      url: r.url,
      score: r.item_score,
      over_18: r.over_18,
      source: r.source as LeadSummary['item']['source'],
      created_utc: new Date(r.created_utc).toISOString(),
    },
  };
}

function cursorAfter(r: InboxRow, sort: 'newest' | 'score'): Cursor {
  return sort === 'score'
    ? { sort, score: r.score ?? 0, id: r.id }
    : { sort, createdAt: r.created_key, id: r.id };
}

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);

export function replyView(r: Reply): ReplyView {
  return {
    id: r.id,
    draft: r.draft,
    drafted_by: r.draftedBy,
    text: r.text,
    status: r.status,
    created_at: r.createdAt.toISOString(),
  };
}

function detail(r: LeadDetailRow, replies: Reply[]): LeadDetail {
  const s = summary(r);
  return {
    ...s,
    item: { ...s.item, body: r.full_body },
    campaign_name: r.campaign_name,
    scored_by: r.scored_by,
    scored_at: iso(r.scored_at),
    status_changed_at: iso(r.status_changed_at),
    feedback_at: iso(r.feedback_at),
    replies: replies.map(replyView),
  };
}

const CSV_HEADER = [
  'lead_id',
  'campaign_id',
  'status',
  'score',
  'intent',
  'created_at',
  'fullname',
  'kind',
  'subreddit',
  'author',
  'title',
  'body',
  'permalink',
  'matched_terms',
];

export function createLeadService(deps: LeadServiceDeps) {
  const { db, now } = deps;
  const readDb = deps.readDb ?? db;

  async function page(userId: string, f: LeadFilters, after: Cursor | undefined, limit: number, fullBody = false) {
    const rows = await inboxRows(readDb, userId, f, after, limit, { fullBody });
    const more = rows.length > limit;
    const shown = more ? rows.slice(0, limit) : rows;
    const last = shown.at(-1);
    return { rows: shown, next: more && last ? cursorAfter(last, f.sort) : undefined };
  }

  async function get(userId: string, leadId: string): Promise<LeadDetail> {
    const row = await findLead(readDb, userId, leadId);
    if (!row) throw new NotFoundError('lead');
    return detail(row, await repliesOf(readDb, userId, leadId));
  }

  return {
    async inbox(userId: string, q: InboxQuery): Promise<InboxPage> {
      const after = q.cursor ? decodeCursor(q.cursor, q.sort) : undefined;
      const { rows, next } = await page(userId, q, after, q.limit);
      // The query is scoped by user already; an empty page is where a foreign campaign id becomes a 404.
      if (rows.length === 0 && q.campaign_id) await deps.assertCampaignVisible(userId, q.campaign_id);
      return { items: rows.map(summary), next_cursor: next ? encodeCursor(next) : null };
    },

    get,

    async setStatus(userId: string, leadId: string, status: Status): Promise<LeadDetail> {
      if ((await setStatus(db, userId, [leadId], status, now())) === undefined) throw new NotFoundError('lead');
      return get(userId, leadId);
    },

    /** All or nothing: one id that is not the caller's makes it a 404 and changes nothing. */
    async setStatusBulk(userId: string, ids: readonly string[], status: Status): Promise<{ updated: number }> {
      const updated = await setStatus(db, userId, ids, status, now());
      if (updated === undefined) throw new NotFoundError('lead');
      return { updated };
    },

    async feedback(userId: string, leadId: string, verdict: 'good' | 'bad', note?: string): Promise<LeadDetail> {
      if (!(await recordFeedback(db, userId, leadId, verdict, note, now()))) throw new NotFoundError('lead');
      return get(userId, leadId);
    },

    async draft(userId: string, leadId: string, instructions: string | undefined): Promise<ReplyView> {
      const lead = await findLead(db, userId, leadId);
      if (!lead) throw new NotFoundError('lead');
      if (!deps.draftWriter) throw new ServiceUnavailableError('drafts_unavailable', 'Reply drafts are not available.');
      await deps.assertAiTokensLeft(userId);
      const written = await deps.draftWriter.draft({
        userId,
        leadId,
        campaignId: lead.campaign_id,
        product: { name: lead.product_name, description: lead.product_description, url: lead.product_url },
        item: {
          fullname: lead.fullname,
          kind: lead.kind as 'post' | 'comment',
          subreddit: lead.subreddit,
          author: lead.author,
          title: lead.title,
          body: lead.full_body,
          permalink: lead.permalink,
        },
        intent: lead.intent,
        reasons: lead.reasons,
        ...(instructions ? { instructions } : {}),
      });
      const row = await insertDraft(db, { userId, leadId, draft: written.text, draftedBy: written.draftedBy });
      return replyView(row);
    },

    /** CSV of every lead matching the filters, read page by page: memory stays flat whatever the size. */
    async exportCsv(userId: string, f: LeadFilters, pageSize = 500): Promise<Readable> {
      if (f.campaign_id) await deps.assertCampaignVisible(userId, f.campaign_id);
      async function* lines() {
        yield csvLine(CSV_HEADER);
        let after: Cursor | undefined;
        do {
          const { rows, next } = await page(userId, f, after, pageSize, true);
          yield rows
            .map((r) =>
              csvLine([
                r.id,
                r.campaign_id,
                r.status,
                r.score,
                r.intent,
                new Date(r.created_at).toISOString(),
                r.fullname,
                r.kind,
                r.subreddit,
                r.author,
                r.title,
                r.body,
                `https://www.reddit.com${r.permalink}`,
                r.matched_terms.join('; '),
              ]),
            )
            .join('');
          after = next;
        } while (after);
      }
      return Readable.from(lines());
    },
  };
}

export type LeadService = ReturnType<typeof createLeadService>;
