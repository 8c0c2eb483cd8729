import { sql } from 'drizzle-orm';
import { type Db, queryRows } from '../../platform/db/client.js';

/** Aggregates over one campaign's leads since `since`; the caller has checked ownership. */
export async function campaignStatsRows(db: Db, userId: string, campaignId: string, since: Date) {
  const scope = sql`l.user_id = ${userId} and l.campaign_id = ${campaignId} and l.created_at >= ${since.toISOString()}::timestamptz`;
  const [perDay, histogram, intents, subs, statuses] = await Promise.all([
    queryRows<{ day: string; count: number }>(
      db,
      sql`select to_char(date_trunc('day', l.created_at at time zone 'UTC'), 'YYYY-MM-DD') as day, count(*)::int as count
          from leads l where ${scope} group by 1 order by 1`,
    ),
    queryRows<{ bucket: number; count: number }>(
      db,
      sql`select least(l.score / 10, 9)::int as bucket, count(*)::int as count
          from leads l where ${scope} and l.score is not null group by 1`,
    ),
    queryRows<{ intent: string | null; count: number }>(
      db,
      sql`select l.intent, count(*)::int as count from leads l where ${scope} group by 1 order by 2 desc`,
    ),
    queryRows<{ subreddit: string; count: number }>(
      db,
      sql`select i.subreddit, count(*)::int as count from leads l join reddit_items i on i.fullname = l.item_id
          where ${scope} group by 1 order by 2 desc, 1 limit 10`,
    ),
    queryRows<{ status: string; count: number }>(
      db,
      sql`select l.status, count(*)::int as count from leads l where ${scope} group by 1 order by 1`,
    ),
  ]);
  return { perDay, histogram, intents, subs, statuses };
}
