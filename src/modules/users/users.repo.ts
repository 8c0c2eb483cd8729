import { and, count, eq, isNull, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.js';
import { aiUsage, campaigns, users } from '../../platform/db/schema.js';

export async function findUserById(db: Db, userId: string) {
  const [row] = await db.select().from(users).where(eq(users.id, userId)).limit(1);
  return row;
}

/** Live (not deleted) campaigns and their rule counts. */
export async function campaignUsage(db: Db, userId: string): Promise<{ campaigns: number; rules: number; maxRules: number }> {
  const [row] = await db
    .select({
      campaigns: count(),
      rules: sql<number>`coalesce(sum(jsonb_array_length(${campaigns.rules})), 0)::int`,
      maxRules: sql<number>`coalesce(max(jsonb_array_length(${campaigns.rules})), 0)::int`,
    })
    .from(campaigns)
    .where(and(eq(campaigns.userId, userId), isNull(campaigns.deletedAt)));
  return { campaigns: row?.campaigns ?? 0, rules: row?.rules ?? 0, maxRules: row?.maxRules ?? 0 };
}

/** Input plus output tokens since the first day of `monthStart`'s month (UTC). */
export async function aiTokensSince(db: Db, userId: string, monthStart: string): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`coalesce(sum(${aiUsage.inputTokens} + ${aiUsage.outputTokens}), 0)::bigint` })
    .from(aiUsage)
    .where(and(eq(aiUsage.userId, userId), sql`${aiUsage.day} >= ${monthStart}::date`));
  return Number(row?.n ?? 0);
}

export async function updatePlan(
  db: Db,
  userId: string,
  plan: { maxCampaigns?: number | null; maxRulesPerCampaign?: number | null; aiTokensPerMonth?: number | null },
) {
  const [row] = await db
    .update(users)
    .set({ ...plan, updatedAt: new Date() })
    .where(eq(users.id, userId))
    .returning();
  return row;
}
