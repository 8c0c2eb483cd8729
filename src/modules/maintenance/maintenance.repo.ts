import { sql } from 'drizzle-orm';
import { type Db, queryRows } from '../../platform/db/client.js';

/**
 * Deletes Reddit items ingested before `before` that no lead references, at most `batch`
 * rows per statement so a large backlog never holds long locks. Returns how many went.
 */
export async function pruneUnreferencedItems(db: Db, before: Date, batch = 5_000): Promise<number> {
  let total = 0;
  for (;;) {
    const rows = await queryRows<{ n: number }>(
      db,
      sql`with doomed as (
            select i.fullname from reddit_items i
            where i.ingested_at < ${before.toISOString()}
              and not exists (select 1 from leads l where l.item_id = i.fullname)
            limit ${batch}
          ), gone as (
            delete from reddit_items where fullname in (select fullname from doomed) returning 1
          )
          select count(*)::int as n from gone`,
    );
    const n = rows[0]?.n ?? 0;
    total += n;
    if (n < batch) return total;
  }
}
