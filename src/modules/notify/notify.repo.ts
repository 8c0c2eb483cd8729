import { and, asc, desc, eq, inArray, isNotNull, isNull, like, lt, ne, or, sql } from 'drizzle-orm';
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

/** Longer than any send takes (SMTP and chat requests time out well before), so a live sender keeps it. */
export const DELIVERY_LEASE_MS = 120_000;

/**
 * Sends a pending delivery at most once at a time: one short statement takes a lease on the
 * row (a concurrent run finds it taken and moves on), `send` runs outside any transaction,
 * and the outcome is written only while the lease is still ours. No row lock is held over
 * the network call, so a slow webhook does not hold a database connection (on PGlite, the
 * only one). A sender that dies mid-send leaves the lease to expire, and a later run
 * retries the delivery, as a rolled-back lock would have. Returns undefined when the
 * delivery is already sent, failed for good, or being sent by someone else.
 */
export async function withClaimedDelivery(
  db: Db,
  dedupKey: string,
  now: () => Date,
  send: (d: ClaimedDelivery) => Promise<DeliveryOutcome>,
): Promise<DeliveryOutcome | undefined> {
  const claimedAt = now();
  const lease = new Date(claimedAt.getTime() + DELIVERY_LEASE_MS);
  const [d] = await db
    .update(deliveries)
    .set({ lockedUntil: lease })
    .where(
      and(
        eq(deliveries.dedupKey, dedupKey),
        eq(deliveries.status, 'pending'),
        or(isNull(deliveries.lockedUntil), lt(deliveries.lockedUntil, claimedAt)),
      ),
    )
    .returning({ id: deliveries.id, leadIds: deliveries.leadIds, attempts: deliveries.attempts });
  if (!d) return undefined;
  const outcome = await send(d);
  await db
    .update(deliveries)
    .set(
      outcome.ok
        ? { status: 'sent', attempts: d.attempts + 1, error: null, sentAt: now(), lockedUntil: null }
        : {
            status: outcome.permanent ? 'failed' : 'pending',
            attempts: d.attempts + 1,
            error: outcome.error.slice(0, 500),
            lockedUntil: null,
          },
    )
    .where(and(eq(deliveries.id, d.id), eq(deliveries.lockedUntil, lease)));
  return outcome;
}

/**
 * Keeps the channel's health for its owner to see: a failure records the error and, the
 * first time, since when; a success clears both (written only when there is something to clear).
 */
export async function recordChannelOutcome(db: Db, channelId: string, outcome: DeliveryOutcome, at: Date): Promise<void> {
  if (outcome.ok) {
    await db
      .update(notificationChannels)
      .set({ lastError: null, failingSince: null })
      .where(and(eq(notificationChannels.id, channelId), or(isNotNull(notificationChannels.lastError), isNotNull(notificationChannels.failingSince))));
    return;
  }
  await db
    .update(notificationChannels)
    .set({ lastError: outcome.error.slice(0, 500), failingSince: sql`coalesce(${notificationChannels.failingSince}, ${at})` })
    .where(eq(notificationChannels.id, channelId));
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
