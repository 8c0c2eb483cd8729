import { type SQL, and, eq, sql } from 'drizzle-orm';
import { type Db, queryRows } from '../../platform/db/client.js';
import { auditLog, leads, replies } from '../../platform/db/schema.js';
import type { Cursor } from './cursor.js';
import type { LeadFilters } from './leads.schemas.js';

export interface InboxRow {
  id: string;
  campaign_id: string;
  status: string;
  scoring: string;
  score: number | null;
  intent: string | null;
  reasons: string[];
  matched_terms: string[];
  feedback: string | null;
  created_at: Date;
  /** created_at as microsecond UTC text, for the cursor. */
  created_key: string;
  fullname: string;
  kind: string;
  subreddit: string;
  author: string;
  title: string;
  body: string;
  permalink: string;
  url: string | null;
  item_score: number;
  over_18: boolean;
  source: string;
  created_utc: Date;
}

const BODY_CUT = 600;

function list(values: readonly string[]): SQL {
  return sql.join(
    values.map((v) => sql`${v}`),
    sql`, `,
  );
}

function likePattern(q: string): string {
  return `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** Conditions other than status and the keyset position, shared by every branch. */
function filterConditions(userId: string, f: LeadFilters): SQL[] {
  const c: SQL[] = [sql`l.user_id = ${userId}`];
  if (f.campaign_id) c.push(sql`l.campaign_id = ${f.campaign_id}`);
  if (f.min_score !== undefined) c.push(sql`l.score >= ${f.min_score}`);
  if (f.intent) c.push(sql`l.intent in (${list(f.intent)})`);
  if (f.from) c.push(sql`l.created_at >= ${f.from}::timestamptz`);
  if (f.to) c.push(sql`l.created_at < ${f.to}::timestamptz`);
  if (f.subreddit) c.push(sql`i.subreddit = ${f.subreddit}`);
  if (f.kind) c.push(sql`i.kind = ${f.kind}`);
  if (f.q) {
    const p = likePattern(f.q);
    c.push(sql`(i.title ilike ${p} or i.body ilike ${p})`);
  }
  return c;
}

const selectColumns = (bodyCut: number | undefined) =>
  sql.raw(`
  l.id, l.campaign_id, l.status, l.scoring, l.score, l.intent, l.reasons, l.matched_terms, l.feedback, l.created_at,
  to_char(l.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as created_key,
  i.fullname, i.kind, i.subreddit, i.author, i.title, ${bodyCut ? `left(i.body, ${bodyCut})` : 'i.body'} as body, i.permalink, i.url,
  i.score as item_score, i.over_18, i.source, i.created_utc`);
const SELECT = selectColumns(BODY_CUT);

/**
 * One inbox page (limit rows, plus one to tell whether there is more). Newest-first runs one
 * keyset branch per status and merges them, so each branch walks the
 * (user_id|campaign_id, status, created_at desc, id desc) index and stops after `limit` rows,
 * whatever the number of statuses asked for. Score order walks (user_id, score desc, id desc).
 * `nulls last` is spelled out because the indexes are built that way and PostgreSQL only
 * matches an index to ORDER BY when the null placement agrees, NOT NULL or not.
 */
export async function inboxRows(
  db: Db,
  userId: string,
  f: LeadFilters,
  after: Cursor | undefined,
  limit: number,
  opts: { fullBody?: boolean } = {},
): Promise<InboxRow[]> {
  return queryRows<InboxRow>(db, inboxQuery(userId, f, after, limit, opts));
}

/** The inbox statement itself, exported so benches can EXPLAIN exactly what the API runs. */
export function inboxQuery(
  userId: string,
  f: LeadFilters,
  after: Cursor | undefined,
  limit: number,
  opts: { fullBody?: boolean } = {},
): SQL {
  const SELECT = selectColumns(opts.fullBody ? undefined : BODY_CUT);
  const base = filterConditions(userId, f);
  const take = limit + 1;
  if (f.sort === 'score') {
    const c = [...base, sql`l.score is not null`, sql`l.status in (${list(f.status)})`];
    if (after?.sort === 'score') c.push(sql`(l.score, l.id) < (${after.score}, ${after.id}::uuid)`);
    return sql`select ${SELECT} from leads l join reddit_items i on i.fullname = l.item_id
          where ${sql.join(c, sql` and `)}
          order by l.score desc nulls last, l.id desc nulls last limit ${take}`;
  }
  const keyset =
    after?.sort === 'newest' ? sql`(l.created_at, l.id) < (${after.createdAt}::timestamptz, ${after.id}::uuid)` : undefined;
  const branches = [...new Set(f.status)].map((status) => {
    const c = [...base, sql`l.status = ${status}`, ...(keyset ? [keyset] : [])];
    return sql`(select ${SELECT} from leads l join reddit_items i on i.fullname = l.item_id
               where ${sql.join(c, sql` and `)}
               order by l.created_at desc nulls last, l.id desc nulls last limit ${take})`;
  });
  return sql`select * from (${sql.join(branches, sql` union all `)}) page
        order by created_at desc nulls last, id desc nulls last limit ${take}`;
}

export interface LeadDetailRow extends InboxRow {
  campaign_name: string;
  scored_by: string | null;
  scored_at: Date | null;
  status_changed_at: Date | null;
  feedback_at: Date | null;
  full_body: string;
  product_name: string;
  product_description: string;
  product_url: string | null;
}

export async function findLead(db: Db, userId: string, leadId: string): Promise<LeadDetailRow | undefined> {
  const [row] = await queryRows<LeadDetailRow>(
    db,
    sql`select ${SELECT}, c.name as campaign_name, l.scored_by, l.scored_at, l.status_changed_at,
               l.feedback_at, i.body as full_body, c.product_name, c.product_description, c.product_url
        from leads l
        join reddit_items i on i.fullname = l.item_id
        join campaigns c on c.id = l.campaign_id
        where l.id = ${leadId} and l.user_id = ${userId}`,
  );
  return row;
}

export async function repliesOf(db: Db, userId: string, leadId: string) {
  return db
    .select()
    .from(replies)
    .where(and(eq(replies.leadId, leadId), eq(replies.userId, userId)))
    .orderBy(replies.createdAt);
}

/**
 * Sets the status of the caller's leads, all or none: when any id is not the caller's (or
 * does not exist) nothing changes and undefined is returned, one statement either way.
 */
export async function setStatus(
  db: Db,
  userId: string,
  ids: readonly string[],
  status: (typeof leads.$inferSelect)['status'],
  now: Date,
): Promise<number | undefined> {
  const unique = [...new Set(ids)];
  const [row] = await queryRows<{ updated: number }>(
    db,
    sql`with mine as (
          select id from leads where user_id = ${userId} and id in (${list(unique)})
        ), done as (
          update leads set status = ${status}, status_changed_at = ${now.toISOString()}::timestamptz
          where id in (select id from mine) and (select count(*) from mine) = ${unique.length}
          returning 1
        )
        select (select count(*) from done)::int as updated, (select count(*) from mine)::int as found`,
  );
  return row && row.updated === unique.length ? row.updated : undefined;
}

/** Stores the verdict on the lead and in the audit log, together. */
export async function recordFeedback(
  db: Db,
  userId: string,
  leadId: string,
  feedback: 'good' | 'bad',
  note: string | undefined,
  now: Date,
): Promise<boolean> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(leads)
      .set({ feedback, feedbackAt: now })
      .where(and(eq(leads.id, leadId), eq(leads.userId, userId)))
      .returning({ campaignId: leads.campaignId, score: leads.score, intent: leads.intent, scoredBy: leads.scoredBy });
    if (!row) return false;
    await tx.insert(auditLog).values({
      userId,
      action: 'lead.feedback',
      subjectType: 'lead',
      subjectId: leadId,
      meta: { feedback, ...(note ? { note } : {}), ...row },
      createdAt: now,
    });
    return true;
  });
}

export async function insertDraft(
  db: Db,
  row: { userId: string; leadId: string; draft: string; draftedBy: string },
) {
  const [created] = await db.insert(replies).values({ ...row, status: 'draft' }).returning();
  return created!;
}
