import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findUnscoredLeadIds } from '../src/modules/scoring/scoring.repo.js';
import { campaigns, leads, redditItems, users } from '../src/platform/db/schema.js';
import { itemRow } from './helpers/rows.js';
import { createTestDatabase, type TestDatabase } from './helpers/services.js';

describe('leads the maintenance job scores again', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(async () => {
    await t?.drop();
  });

  it('when a lead is unscored, or pending long after matching, then it is picked up; fresh pending and scored leads are not', async () => {
    const { db } = t.database;
    const [user] = await db.insert(users).values({ email: 'sp@example.com' }).returning();
    const [campaign] = await db.insert(campaigns).values({ userId: user!.id, name: 'c' }).returning();
    const names = ['t3_fresh', 't3_stale', 't3_unscored', 't3_scored'];
    await db.insert(redditItems).values(names.map((fullname) => itemRow(fullname)));
    const hourAgo = new Date(Date.now() - 3_600_000);
    const base = { userId: user!.id, campaignId: campaign!.id };
    const rows = await db
      .insert(leads)
      .values([
        { ...base, itemId: 't3_fresh', scoring: 'pending' as const },
        { ...base, itemId: 't3_stale', scoring: 'pending' as const, createdAt: hourAgo },
        { ...base, itemId: 't3_unscored', scoring: 'unscored' as const },
        { ...base, itemId: 't3_scored', scoring: 'scored' as const, createdAt: hourAgo },
      ])
      .returning({ id: leads.id, itemId: leads.itemId });
    const idOf = (item: string) => rows.find((r) => r.itemId === item)!.id;

    const picked = await findUnscoredLeadIds(db, 10);
    expect(new Set(picked)).toEqual(new Set([idOf('t3_stale'), idOf('t3_unscored')]));
  });
});
