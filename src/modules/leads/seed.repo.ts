import { sql } from 'drizzle-orm';
import { type Db, queryRows } from '../../platform/db/client.js';

export interface SeedOptions {
  /** Leads to reach for the seed owner (each with its own Reddit item). */
  leads: number;
  /** Campaigns the leads are spread over. */
  campaigns: number;
  /** Rows per INSERT ... SELECT generate_series statement. */
  batch: number;
  onProgress?: (done: number, total: number) => void;
}

export const SEED_EMAIL = 'seed-owner@subscout.local';
const SUBS = `array['saas','smallbusiness','entrepreneur','startups','marketing','sales','crm','webdev']`;
const INTENTS = `array['recommendation_request','alternative_search','pain_point','competitor_complaint','comparison','question','other']`;

/**
 * Bulk synthetic data for benches and demos: one owner, a few campaigns, and as many items
 * and leads as asked, generated server-side with generate_series (no rows cross the wire).
 * Resumable: it tops up to `leads` from what is already there. Status mix roughly 70% new,
 * 10% contacted, 15% dismissed, 5% converted; 10% of leads still pending a score.
 */
export async function seedLoad(db: Db, opts: SeedOptions): Promise<{ userId: string; leads: number }> {
  const [user] = await queryRows<{ id: string }>(
    db,
    sql`insert into users (email, name, role, max_campaigns) values (${SEED_EMAIL}, 'Seed owner', 'member', 1000)
        on conflict (email) do update set name = excluded.name returning id`,
  );
  const userId = user!.id;
  const existing = await queryRows<{ id: string }>(
    db,
    sql`select id from campaigns where user_id = ${userId} and deleted_at is null order by created_at, id`,
  );
  for (let i = existing.length; i < opts.campaigns; i++) {
    const [c] = await queryRows<{ id: string }>(
      db,
      sql`insert into campaigns (user_id, name, rules, subreddits) values
          (${userId}, ${`Seed campaign ${i + 1}`}, ${JSON.stringify(['crm', '"project management"'])}::jsonb,
           ${JSON.stringify(['saas', 'smallbusiness'])}::jsonb) returning id`,
    );
    existing.push(c!);
  }
  const campaignIds = existing.slice(0, opts.campaigns).map((c) => c.id);
  const campaignArray = sql`array[${sql.join(
    campaignIds.map((id) => sql`${id}::uuid`),
    sql`, `,
  )}]`;

  const [{ n: have } = { n: 0 }] = await queryRows<{ n: number }>(
    db,
    sql`select count(*)::int as n from leads where user_id = ${userId}`,
  );
  for (let start = have + 1; start <= opts.leads; start += opts.batch) {
    const end = Math.min(opts.leads, start + opts.batch - 1);
    // Leads are spread over the last 90 days in order of g, so g is also the age rank.
    await db.execute(sql`
      insert into reddit_items (fullname, kind, subreddit, author, title, body, permalink, created_utc, source)
      select 'seed_' || g,
             case when g % 3 = 0 then 'comment' else 'post' end,
             (${sql.raw(SUBS)})[1 + (abs(hashint4(g)) % 8)],
             'redditor' || (abs(hashint4(g + 7)) % 50000),
             'Looking for a CRM alternative, ticket ' || g,
             'We have outgrown spreadsheets. Any recommendation for a simple tool? ' || md5(g::text),
             '/r/saas/comments/seed' || g || '/x/',
             now() - interval '90 days' + (g::double precision / ${opts.leads}) * interval '90 days' - interval '1 minute',
             'import'
      from generate_series(${start}::int, ${end}::int) g
      on conflict (fullname) do nothing`);
    await db.execute(sql`
      insert into leads (user_id, campaign_id, item_id, status, scoring, score, intent, reasons, matched_terms, created_at)
      select ${userId}::uuid,
             (${campaignArray})[1 + (g % ${campaignIds.length})],
             'seed_' || g,
             case when h < 70 then 'new' when h < 80 then 'contacted' when h < 95 then 'dismissed' else 'converted' end,
             case when s < 10 then 'pending' else 'scored' end,
             case when s < 10 then null else (abs(hashint4(g + 3)) % 101) end,
             case when s < 10 then null else (${sql.raw(INTENTS)})[1 + (abs(hashint4(g + 5)) % 7)] end,
             '["asks for a recommendation"]'::jsonb,
             '["crm"]'::jsonb,
             now() - interval '90 days' + (g::double precision / ${opts.leads}) * interval '90 days'
      from (select g, abs(hashint4(g)) % 100 as h, abs(hashint4(g + 1)) % 100 as s
            from generate_series(${start}::int, ${end}::int) g) x
      on conflict (campaign_id, item_id) do nothing`);
    opts.onProgress?.(end, opts.leads);
  }
  await db.execute(sql`analyze users, campaigns, reddit_items, leads`);
  const [{ n } = { n: 0 }] = await queryRows<{ n: number }>(
    db,
    sql`select count(*)::int as n from leads where user_id = ${userId}`,
  );
  return { userId, leads: n };
}
