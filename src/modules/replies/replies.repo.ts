import { and, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.js';
import { leads, redditAccounts, replies } from '../../platform/db/schema.js';

export type ReplyRow = typeof replies.$inferSelect;

/*
 * A reply being posted is `status = 'queued'` with `posted_at` set: the schema has no
 * `posting` status, so `posted_at` doubles as "the post attempt started at" until the
 * outcome is recorded (posted: the real time; failed or released: cleared).
 */

/** The caller's lead, locked until the transaction ends so two clicks cannot queue two replies. */
export async function lockLead(db: Db, userId: string, leadId: string): Promise<{ id: string; itemId: string } | undefined> {
  const [row] = await db
    .select({ id: leads.id, itemId: leads.itemId })
    .from(leads)
    .where(and(eq(leads.id, leadId), eq(leads.userId, userId)))
    .for('update');
  return row;
}

export async function leadExists(db: Db, userId: string, leadId: string): Promise<boolean> {
  const [row] = await db
    .select({ id: leads.id })
    .from(leads)
    .where(and(eq(leads.id, leadId), eq(leads.userId, userId)));
  return row !== undefined;
}

/** A reply of the lead that is queued or already posted, if any. */
export async function activeReplyOf(db: Db, leadId: string): Promise<ReplyRow | undefined> {
  const [row] = await db
    .select()
    .from(replies)
    .where(and(eq(replies.leadId, leadId), inArray(replies.status, ['queued', 'posted'])))
    .limit(1);
  return row;
}

export async function findReply(db: Db, userId: string, leadId: string, id: string): Promise<ReplyRow | undefined> {
  const [row] = await db
    .select()
    .from(replies)
    .where(and(eq(replies.id, id), eq(replies.userId, userId), eq(replies.leadId, leadId)));
  return row;
}

/** Turns a draft (or a failed reply) into the queued, human-approved text. */
export async function queueExisting(
  db: Db,
  id: string,
  values: { text: string; accountId: string; now: Date },
): Promise<ReplyRow | undefined> {
  const [row] = await db
    .update(replies)
    .set({
      text: values.text,
      accountId: values.accountId,
      status: 'queued',
      error: null,
      postedAt: null,
      updatedAt: values.now,
    })
    .where(and(eq(replies.id, id), inArray(replies.status, ['draft', 'failed']), isNull(replies.redditFullname)))
    .returning();
  return row;
}

/** A reply written without a stored draft: the person's text is both draft and final text. */
export async function insertQueued(
  db: Db,
  values: { userId: string; leadId: string; accountId: string; text: string; now: Date },
): Promise<ReplyRow> {
  const [row] = await db
    .insert(replies)
    .values({
      userId: values.userId,
      leadId: values.leadId,
      accountId: values.accountId,
      draft: values.text,
      draftedBy: 'human',
      text: values.text,
      status: 'queued',
      createdAt: values.now,
      updatedAt: values.now,
    })
    .returning();
  return row!;
}

export async function listReplies(db: Db, userId: string, leadId: string): Promise<ReplyRow[]> {
  return db
    .select()
    .from(replies)
    .where(and(eq(replies.leadId, leadId), eq(replies.userId, userId)))
    .orderBy(desc(replies.createdAt), desc(replies.id));
}

export interface PostingRow {
  id: string;
  userId: string;
  leadId: string;
  status: ReplyRow['status'];
  text: string | null;
  /** When set on a queued reply: a post attempt started then and has no recorded outcome. */
  claimedAt: Date | null;
  itemId: string;
  accountId: string | null;
  username: string | null;
}

/** What the reply job needs; the account only when it still belongs to the reply's user. */
export async function loadForPosting(db: Db, id: string): Promise<PostingRow | undefined> {
  const [row] = await db
    .select({
      id: replies.id,
      userId: replies.userId,
      leadId: replies.leadId,
      status: replies.status,
      text: replies.text,
      postedAt: replies.postedAt,
      itemId: leads.itemId,
      accountId: redditAccounts.id,
      username: redditAccounts.username,
    })
    .from(replies)
    .innerJoin(leads, eq(leads.id, replies.leadId))
    .leftJoin(redditAccounts, and(eq(redditAccounts.id, replies.accountId), eq(redditAccounts.userId, replies.userId)))
    .where(eq(replies.id, id));
  if (!row) return undefined;
  const { postedAt, ...rest } = row;
  return { ...rest, claimedAt: row.status === 'queued' ? postedAt : null };
}

/** The guarded queued -> posting step: true for exactly one caller. */
export async function claimReply(db: Db, id: string, now: Date): Promise<boolean> {
  const rows = await db
    .update(replies)
    .set({ postedAt: now, updatedAt: now })
    .where(
      and(eq(replies.id, id), eq(replies.status, 'queued'), isNull(replies.postedAt), isNull(replies.redditFullname)),
    )
    .returning({ id: replies.id });
  return rows.length === 1;
}

/** Gives the claim back when Reddit certainly did not take the comment (RATELIMIT, breaker open). */
export async function releaseClaim(db: Db, id: string, claimedAt: Date, now: Date): Promise<void> {
  await db
    .update(replies)
    .set({ postedAt: null, updatedAt: now })
    .where(and(eq(replies.id, id), eq(replies.status, 'queued'), eq(replies.postedAt, claimedAt)));
}

/**
 * Records Reddit's acceptance and marks the lead contacted, together. Reddit's answer is the
 * truth, so it wins over a failure recorded meanwhile by a run that thought this one dead.
 */
export async function markPosted(db: Db, id: string, fullname: string, now: Date): Promise<boolean> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(replies)
      .set({ status: 'posted', redditFullname: fullname, error: null, postedAt: now, updatedAt: now })
      .where(and(eq(replies.id, id), isNull(replies.redditFullname)))
      .returning({ leadId: replies.leadId });
    if (!row) return false;
    await tx
      .update(leads)
      .set({ status: 'contacted', statusChangedAt: now })
      .where(and(eq(leads.id, row.leadId), inArray(leads.status, ['new', 'dismissed'])));
    return true;
  });
}

/** Fails a reply that is still queued; `claimedAt` narrows it to one abandoned attempt. */
export async function markFailed(db: Db, id: string, error: string, now: Date, claimedAt?: Date): Promise<boolean> {
  const rows = await db
    .update(replies)
    .set({ status: 'failed', error, postedAt: null, updatedAt: now })
    .where(
      and(
        eq(replies.id, id),
        eq(replies.status, 'queued'),
        isNull(replies.redditFullname),
        claimedAt ? eq(replies.postedAt, claimedAt) : sql`true`,
      ),
    )
    .returning({ id: replies.id });
  return rows.length === 1;
}
