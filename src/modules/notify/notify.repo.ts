import { and, asc, desc, eq, inArray, isNull, like, ne, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.js';
import { campaigns, deliveries, leads, notificationChannels, redditItems } from '../../platform/db/schema.js';
import type { AlertLead } from './alert-message.js';

export interface AlertChannel {
  id: string;
  userId: string;
  kind: 'email' | 'slack' | 'discord' | 'webhook';
  target: string;
  secretEnc: string | null;
  mode: 'instant' | 'digest';
  minScore: number | null;
  createdAt: Date;
}

export type LeadForAlert = AlertLead & { userId: string };

const channelColumns = {
  id: notificationChannels.id,
  userId: notificationChannels.userId,
  kind: notificationChannels.kind,
  target: notificationChannels.target,
  secretEnc: notificationChannels.secretEnc,
  mode: notificationChannels.mode,
  minScore: notificationChannels.minScore,
  createdAt: notificationChannels.createdAt,
};

const leadColumns = {
  id: leads.id,
  userId: leads.userId,
  campaignName: campaigns.name,
  score: leads.score,
  intent: leads.intent,
  reasons: leads.reasons,
  kind: redditItems.kind,
  subreddit: redditItems.subreddit,
  author: redditItems.author,
  title: redditItems.title,
  body: redditItems.body,
  permalink: redditItems.permalink,
};

/** Leads joined to their campaign and item, in the shape alerts are built from. */
const selectAlertLeads = (db: Db) =>
  db
    .select(leadColumns)
    .from(leads)
    .innerJoin(campaigns, eq(campaigns.id, leads.campaignId))
    .innerJoin(redditItems, eq(redditItems.fullname, leads.itemId));

type LeadRow = Omit<LeadForAlert, 'score'> & { score: number | null };
const scored = (rows: LeadRow[]): LeadForAlert[] => rows.map((r) => ({ ...r, score: r.score ?? 0 }));

/**
 * The given leads still worth an instant alert: at or above their live campaign's threshold,
 * not dismissed, and not yet notified (a rescore or a second job must not alert twice).
 */
export async function findLeadsToAlert(db: Db, leadIds: readonly string[]): Promise<LeadForAlert[]> {
  if (leadIds.length === 0) return [];
  const rows = await selectAlertLeads(db)
    .where(
      and(
        inArray(leads.id, [...leadIds]),
        isNull(leads.notifiedAt),
        isNull(campaigns.deletedAt),
        ne(leads.status, 'dismissed'),
        sql`${leads.score} >= ${campaigns.threshold}`,
      ),
    );
  return scored(rows);
}

/** Leads by id whatever their state: a pending delivery is resent with exactly what it promised. */
export async function findLeadsByIds(db: Db, leadIds: readonly string[]): Promise<LeadForAlert[]> {
  if (leadIds.length === 0) return [];
  const rows = await selectAlertLeads(db).where(inArray(leads.id, [...leadIds]));
  return scored(rows);
}

export async function findEnabledChannels(
  db: Db,
  filter: { userIds?: readonly string[]; mode: 'instant' | 'digest' },
): Promise<AlertChannel[]> {
  if (filter.userIds?.length === 0) return [];
  return db
    .select(channelColumns)
    .from(notificationChannels)
    .where(
      and(
        eq(notificationChannels.enabled, true),
        eq(notificationChannels.mode, filter.mode),
        filter.userIds ? inArray(notificationChannels.userId, [...filter.userIds]) : undefined,
      ),
    )
    .orderBy(asc(notificationChannels.createdAt), asc(notificationChannels.id));
}

/** Inserts the delivery unless its dedup key exists; either way the caller then claims it. */
export async function ensureDelivery(
  db: Db,
  row: { channelId: string; dedupKey: string; leadIds: string[]; createdAt: Date },
): Promise<void> {
  await db.insert(deliveries).values(row).onConflictDoNothing({ target: deliveries.dedupKey });
}

export interface ClaimedDelivery {
  id: string;
  leadIds: string[];
  attempts: number;
}

export type DeliveryOutcome = { ok: true } | { ok: false; error: string; permanent: boolean };

/**
 * Sends a pending delivery at most once at a time: the row is locked (SKIP LOCKED, so a
 * concurrent run moves on instead of waiting) for the duration of `send`, and the outcome is
 * written under the same lock. `send` reads through `tx`: on PGlite (one connection) a read
 * outside the open transaction would wait for it forever. Returns undefined when the delivery is already sent, failed
 * for good, or being sent by someone else.
 */
export async function withClaimedDelivery(
  db: Db,
  dedupKey: string,
  now: () => Date,
  send: (d: ClaimedDelivery, tx: Db) => Promise<DeliveryOutcome>,
): Promise<DeliveryOutcome | undefined> {
  return db.transaction(async (tx) => {
    const [d] = await tx
      .select({ id: deliveries.id, leadIds: deliveries.leadIds, attempts: deliveries.attempts })
      .from(deliveries)
      .where(and(eq(deliveries.dedupKey, dedupKey), eq(deliveries.status, 'pending')))
      .for('update', { skipLocked: true });
    if (!d) return undefined;
    const outcome = await send(d, tx);
    await tx
      .update(deliveries)
      .set(
        outcome.ok
          ? { status: 'sent', attempts: d.attempts + 1, error: null, sentAt: now() }
          : { status: outcome.permanent ? 'failed' : 'pending', attempts: d.attempts + 1, error: outcome.error.slice(0, 500) },
      )
      .where(eq(deliveries.id, d.id));
    return outcome;
  });
}

/** Guarded: a lead's first alert time is kept. */
export async function markLeadsNotified(db: Db, leadIds: readonly string[], at: Date): Promise<number> {
  if (leadIds.length === 0) return 0;
  const rows = await db
    .update(leads)
    .set({ notifiedAt: at })
    .where(and(inArray(leads.id, [...leadIds]), isNull(leads.notifiedAt)))
    .returning({ id: leads.id });
  return rows.length;
}

export const DIGEST_PREFIX = 'digest:';

/** The end of the newest digest window recorded for the channel (any status), from its dedup key. */
export async function lastDigestWindowEnd(db: Db, channelId: string): Promise<Date | undefined> {
  const [row] = await db
    .select({ dedupKey: deliveries.dedupKey })
    .from(deliveries)
    .where(and(eq(deliveries.channelId, channelId), like(deliveries.dedupKey, `${DIGEST_PREFIX}${channelId}:%`)))
    .orderBy(desc(deliveries.dedupKey))
    .limit(1);
  if (!row) return undefined;
  const at = new Date(row.dedupKey.slice(`${DIGEST_PREFIX}${channelId}:`.length));
  return Number.isNaN(at.getTime()) ? undefined : at;
}

/** Digest deliveries of the channel still waiting to be sent (a failed try is retried by the next run). */
export async function pendingDigestKeys(db: Db, channelId: string): Promise<string[]> {
  const rows = await db
    .select({ dedupKey: deliveries.dedupKey })
    .from(deliveries)
    .where(
      and(
        eq(deliveries.channelId, channelId),
        eq(deliveries.status, 'pending'),
        like(deliveries.dedupKey, `${DIGEST_PREFIX}${channelId}:%`),
      ),
    )
    .orderBy(asc(deliveries.dedupKey));
  return rows.map((r) => r.dedupKey);
}

/**
 * The channel owner's leads scored in [from, to) that clear the channel's bar (its min_score,
 * else the campaign threshold), best first, leaving out leads this channel already received.
 */
export async function findDigestLeads(
  db: Db,
  channel: Pick<AlertChannel, 'id' | 'userId' | 'minScore'>,
  from: Date,
  to: Date,
  limit: number,
): Promise<LeadForAlert[]> {
  const bar = channel.minScore === null ? sql`${campaigns.threshold}` : sql`${channel.minScore}`;
  const rows = await selectAlertLeads(db)
    .where(
      and(
        eq(leads.userId, channel.userId),
        sql`${leads.scoredAt} >= ${from.toISOString()}`,
        sql`${leads.scoredAt} < ${to.toISOString()}`,
        sql`${leads.score} >= ${bar}`,
        isNull(campaigns.deletedAt),
        ne(leads.status, 'dismissed'),
        sql`not exists (
          select 1 from ${deliveries} d
          where d.channel_id = ${channel.id} and d.status = 'sent' and d.lead_ids @> jsonb_build_array(${leads.id}::text)
        )`,
      ),
    )
    .orderBy(desc(leads.score), asc(leads.id))
    .limit(limit);
  return scored(rows);
}
