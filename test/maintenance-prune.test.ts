import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../src/platform/db/client.js';
import { campaigns, leads, redditItems, users } from '../src/platform/db/schema.js';
import { pruneUnreferencedItems } from '../src/modules/maintenance/maintenance.repo.js';
import { itemRow } from './helpers/rows.js';
import { createTestDatabase, type TestDatabase } from './helpers/services.js';

describe('pruning old Reddit items', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(async () => {
    await t?.drop();
  });

  it('when items are past retention, then only those no lead references are deleted, and a rerun deletes nothing', async () => {
    const { db } = t.database;
    const old = new Date('2026-01-01T00:00:00Z');
    const recent = new Date('2026-11-20T00:00:00Z');
    const item = (fullname: string, ingestedAt: Date) => itemRow(fullname, { createdUtc: ingestedAt, ingestedAt });
    await db
      .insert(redditItems)
      .values([item('t3_old1', old), item('t3_old2', old), item('t3_oldlead', old), item('t3_new', recent)]);
    const [user] = await db.insert(users).values({ email: 'p@example.com' }).returning();
    const [campaign] = await db.insert(campaigns).values({ userId: user!.id, name: 'c' }).returning();
    await db.insert(leads).values({ userId: user!.id, campaignId: campaign!.id, itemId: 't3_oldlead' });

    const cutoff = new Date('2026-06-01T00:00:00Z');
    expect(await pruneUnreferencedItems(db, cutoff, 1)).toBe(2);
    const left = await queryRows<{ fullname: string }>(db, sql`select fullname from reddit_items order by fullname`);
    expect(left.map((r) => r.fullname)).toEqual(['t3_new', 't3_oldlead']);
    expect(await pruneUnreferencedItems(db, cutoff)).toBe(0);
  });
});
