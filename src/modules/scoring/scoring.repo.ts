import { and, asc, eq, inArray, isNull, lt, ne, or, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.js';
import { aiUsage, campaigns, leads, redditItems } from '../../platform/db/schema.js';
import type { Intent } from './scoring.types.js';

/** A pending lead older than this lost its score job (a worker died in between); maintenance scores it. */
const STALE_PENDING = '10 minutes';

export interface LeadToScore {
  leadId: string;
  userId: string;
  campaignId: string;
  matchedTerms: string[];
  item: { fullname: string; kind: 'post' | 'comment'; subreddit: string; title: string; body: string };
  campaign: {
    version: number;
    threshold: number;
    productName: string;
    productDescription: string;
    leadContext: string;
  };
}

/** Leads not yet finally scored, with their item and live campaign. */
export async function findLeadsToScore(db: Db, leadIds: readonly string[]): Promise<LeadToScore[]> {
  if (leadIds.length === 0) return [];
  const rows = await db
    .select({
      leadId: leads.id,
      userId: leads.userId,
      campaignId: leads.campaignId,
      matchedTerms: leads.matchedTerms,
      fullname: redditItems.fullname,
      kind: redditItems.kind,
      subreddit: redditItems.subreddit,
      title: redditItems.title,
      body: redditItems.body,
      version: campaigns.version,
      threshold: campaigns.threshold,
      productName: campaigns.productName,
      productDescription: campaigns.productDescription,
      leadContext: campaigns.leadContext,
    })
    .from(leads)
    .innerJoin(redditItems, eq(redditItems.fullname, leads.itemId))
    .innerJoin(campaigns, eq(campaigns.id, leads.campaignId))
    .where(and(inArray(leads.id, [...leadIds]), ne(leads.scoring, 'scored'), isNull(campaigns.deletedAt)));
  return rows.map((r) => ({
    leadId: r.leadId,
    userId: r.userId,
    campaignId: r.campaignId,
    matchedTerms: r.matchedTerms,
    item: { fullname: r.fullname, kind: r.kind, subreddit: r.subreddit, title: r.title, body: r.body },
    campaign: {
      version: r.version,
      threshold: r.threshold,
      productName: r.productName,
      productDescription: r.productDescription,
      leadContext: r.leadContext,
    },
  }));
}

export interface ScoreWrite {
  leadId: string;
  scoring: 'scored' | 'unscored';
  score: number;
  intent: Intent;
  reasons: string[];
  matchedTerms: string[];
  scoredBy: string;
}

/**
 * One statement for the whole batch. Guarded by `scoring <> 'scored'`, so a job run twice
 * (or racing a rescore) never overwrites a final score. Returns the ids it changed.
 */
export async function writeScores(db: Db, writes: readonly ScoreWrite[], scoredAt: Date): Promise<string[]> {
  if (writes.length === 0) return [];
  const col = <T>(f: (w: ScoreWrite) => T) => writes.map(f);
  const result = await db.execute(sql`
    update leads as l set
      scoring = v.scoring,
      score = v.score,
      intent = v.intent,
      reasons = v.reasons::jsonb,
      matched_terms = v.matched_terms::jsonb,
      scored_by = v.scored_by,
      scored_at = ${scoredAt.toISOString()}::timestamptz
    from unnest(
      ${sql.param(col((w) => w.leadId))}::uuid[],
      ${sql.param(col((w) => w.scoring))}::text[],
      ${sql.param(col((w) => w.score))}::smallint[],
      ${sql.param(col((w) => w.intent))}::text[],
      ${sql.param(col((w) => JSON.stringify(w.reasons)))}::text[],
      ${sql.param(col((w) => JSON.stringify(w.matchedTerms)))}::text[],
      ${sql.param(col((w) => w.scoredBy))}::text[]
    ) as v(id, scoring, score, intent, reasons, matched_terms, scored_by)
    where l.id = v.id and l.scoring <> 'scored'
    returning l.id`);
  // node-postgres and PGlite both answer { rows }.
  return (result as unknown as { rows: { id: string }[] }).rows.map((r) => r.id);
}

/** Tokens (input + output) each user spent on `day` (YYYY-MM-DD, UTC). */
export async function tokensUsedOn(db: Db, userIds: readonly string[], day: string): Promise<Map<string, number>> {
  if (userIds.length === 0) return new Map();
  const rows = await db
    .select({
      userId: aiUsage.userId,
      tokens: sql<string>`coalesce(sum(${aiUsage.inputTokens} + ${aiUsage.outputTokens}), 0)`,
    })
    .from(aiUsage)
    .where(and(inArray(aiUsage.userId, [...userIds]), eq(aiUsage.day, day)))
    .groupBy(aiUsage.userId);
  return new Map(rows.map((r) => [r.userId, Number(r.tokens)]));
}

export interface UsageRow {
  userId: string;
  campaignId: string;
  day: string;
  model: string;
  requests: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
}

/** Adds to the day's counters; concurrent jobs add up instead of overwriting each other. */
export async function addUsage(db: Db, rows: readonly UsageRow[]): Promise<void> {
  if (rows.length === 0) return;
  await db
    .insert(aiUsage)
    .values([...rows])
    .onConflictDoUpdate({
      target: [aiUsage.userId, aiUsage.campaignId, aiUsage.day, aiUsage.model],
      set: {
        requests: sql`${aiUsage.requests} + excluded.requests`,
        inputTokens: sql`${aiUsage.inputTokens} + excluded.input_tokens`,
        outputTokens: sql`${aiUsage.outputTokens} + excluded.output_tokens`,
        costUsd: sql`${aiUsage.costUsd} + excluded.cost_usd`,
      },
    });
}

/** Oldest leads left with a stand-in local score. */
/**
 * Leads to score again: those kept at their local score while the provider was unavailable,
 * and those still pending long after matching (the worker died between inserting them and
 * queueing their score job), so no lead is left unscored for good.
 */
export async function findUnscoredLeadIds(db: Db, limit: number): Promise<string[]> {
  const rows = await db
    .select({ id: leads.id })
    .from(leads)
    .where(
      or(
        eq(leads.scoring, 'unscored'),
        and(eq(leads.scoring, 'pending'), lt(leads.createdAt, sql`now() - ${STALE_PENDING}::interval`)),
      ),
    )
    .orderBy(asc(leads.createdAt))
    .limit(limit);
  return rows.map((r) => r.id);
}
