import { and, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.js';
import { campaigns, redditItems } from '../../platform/db/schema.js';
import type { MatchableItem, MatcherCampaign } from './matcher.types.js';

/** Every active, not deleted campaign, as the matcher needs it. */
export async function loadActiveCampaigns(db: Db): Promise<MatcherCampaign[]> {
  const rows = await db
    .select()
    .from(campaigns)
    .where(and(eq(campaigns.status, 'active'), isNull(campaigns.deletedAt)))
    .orderBy(campaigns.createdAt, campaigns.id);
  return rows.map((c) => ({
    id: c.id,
    rules: c.rules,
    negativeKeywords: c.negativeKeywords,
    // Watching all of Reddit means no allow list, whatever subreddits were saved before.
    subreddits: c.watchAll ? [] : c.subreddits.map((s) => s.toLowerCase()),
    subredditDeny: c.subredditDeny,
    authorDeny: c.authorDeny,
    minScore: c.minScore,
    includeNsfw: c.includeNsfw,
  }));
}

const itemColumns = {
  fullname: redditItems.fullname,
  kind: redditItems.kind,
  subreddit: redditItems.subreddit,
  author: redditItems.author,
  title: redditItems.title,
  body: redditItems.body,
  score: redditItems.score,
  over18: redditItems.over18,
};

export async function loadItems(db: Db, fullnames: readonly string[]): Promise<MatchableItem[]> {
  if (fullnames.length === 0) return [];
  return db
    .select(itemColumns)
    .from(redditItems)
    .where(inArray(redditItems.fullname, [...fullnames]));
}

export interface StoredItem extends MatchableItem {
  permalink: string;
  createdUtc: Date;
  ingestedAt: Date;
}

/** The most recently ingested items, newest first (the preview's sample). */
export async function loadRecentItems(db: Db, limit: number): Promise<StoredItem[]> {
  return db
    .select({
      ...itemColumns,
      permalink: redditItems.permalink,
      createdUtc: redditItems.createdUtc,
      ingestedAt: redditItems.ingestedAt,
    })
    .from(redditItems)
    .orderBy(desc(redditItems.ingestedAt), desc(redditItems.fullname))
    .limit(limit);
}

export interface NewLead {
  campaignId: string;
  itemId: string;
  matchedTerms: string[];
}

/**
 * Inserts leads in one statement and returns the ids of the rows it created: a pair that
 * already has a lead is skipped, so running the same batch twice creates nothing more.
 * The owner comes from the campaign row, which also drops campaigns deleted meanwhile.
 */
export async function insertLeads(db: Db, rows: readonly NewLead[]): Promise<string[]> {
  if (rows.length === 0) return [];
  const payload = JSON.stringify(rows.map((r) => ({ campaign_id: r.campaignId, item_id: r.itemId, matched_terms: r.matchedTerms })));
  const result = (await db.execute(sql`
    insert into leads (user_id, campaign_id, item_id, status, scoring, matched_terms)
    select c.user_id, v.campaign_id, v.item_id, 'new', 'pending', v.matched_terms
    from jsonb_to_recordset(${payload}::jsonb) as v(campaign_id uuid, item_id text, matched_terms jsonb)
    join campaigns c on c.id = v.campaign_id and c.deleted_at is null
    on conflict (campaign_id, item_id) do nothing
    returning id`)) as unknown as { rows: { id: string }[] };
  return result.rows.map((r) => r.id);
}
