import { sql } from 'drizzle-orm';
import { type Db, queryRows } from '../../platform/db/client.js';

/** Subreddits Subscout has stored items from, starting with `prefix`, busiest first. */
export async function seenSubreddits(db: Db, prefix: string, limit: number): Promise<{ name: string; items: number }[]> {
  const pattern = `${prefix.replaceAll('\\', '\\\\').replaceAll('%', '\\%').replaceAll('_', '\\_')}%`;
  return queryRows<{ name: string; items: number }>(
    db,
    sql`select subreddit as name, count(*)::int as items from reddit_items
        where subreddit like ${pattern}
        group by subreddit order by count(*) desc, subreddit limit ${limit}`,
  );
}
