import { and, count, desc, eq, gt, isNull, or, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.js';
import { type Campaign, campaigns } from '../../platform/db/schema.js';

export type CampaignFields = Omit<Campaign, 'id' | 'userId' | 'status' | 'version' | 'deletedAt' | 'createdAt' | 'updatedAt'>;

/** Rows a user may see: live ones, and deleted ones still inside the restore window. */
function visible(userId: string, restorableAfter: Date) {
  return and(
    eq(campaigns.userId, userId),
    or(isNull(campaigns.deletedAt), gt(campaigns.deletedAt, restorableAfter)),
  );
}

export async function countLiveCampaigns(db: Db, userId: string): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(campaigns)
    .where(and(eq(campaigns.userId, userId), isNull(campaigns.deletedAt)));
  return row?.n ?? 0;
}

export async function insertCampaign(db: Db, userId: string, fields: CampaignFields): Promise<Campaign> {
  const [row] = await db.insert(campaigns).values({ ...fields, userId }).returning();
  return row!;
}

export async function listCampaigns(
  db: Db,
  userId: string,
  opts: { includeDeleted: boolean; restorableAfter: Date },
): Promise<Campaign[]> {
  return db
    .select()
    .from(campaigns)
    .where(
      opts.includeDeleted
        ? visible(userId, opts.restorableAfter)
        : and(eq(campaigns.userId, userId), isNull(campaigns.deletedAt)),
    )
    .orderBy(desc(campaigns.createdAt), desc(campaigns.id))
    .limit(1000);
}

export async function findCampaign(db: Db, userId: string, id: string, restorableAfter: Date) {
  const [row] = await db
    .select()
    .from(campaigns)
    .where(and(eq(campaigns.id, id), visible(userId, restorableAfter)))
    .limit(1);
  return row;
}

/** Changes a live campaign and bumps its version; undefined when it is not the caller's or is deleted. */
export async function updateCampaign(
  db: Db,
  userId: string,
  id: string,
  set: Partial<CampaignFields> & { status?: 'active' | 'paused' },
  now: Date,
): Promise<Campaign | undefined> {
  const [row] = await db
    .update(campaigns)
    .set({ ...set, version: sql`${campaigns.version} + 1`, updatedAt: now })
    .where(and(eq(campaigns.id, id), eq(campaigns.userId, userId), isNull(campaigns.deletedAt)))
    .returning();
  return row;
}

export async function softDeleteCampaign(db: Db, userId: string, id: string, now: Date): Promise<boolean> {
  const rows = await db
    .update(campaigns)
    .set({ deletedAt: now, updatedAt: now, version: sql`${campaigns.version} + 1` })
    .where(and(eq(campaigns.id, id), eq(campaigns.userId, userId), isNull(campaigns.deletedAt)))
    .returning({ id: campaigns.id });
  return rows.length > 0;
}

export async function restoreCampaign(
  db: Db,
  userId: string,
  id: string,
  restorableAfter: Date,
  now: Date,
): Promise<Campaign | undefined> {
  const [row] = await db
    .update(campaigns)
    .set({ deletedAt: null, updatedAt: now, version: sql`${campaigns.version} + 1` })
    .where(and(eq(campaigns.id, id), eq(campaigns.userId, userId), gt(campaigns.deletedAt, restorableAfter)))
    .returning();
  return row;
}
