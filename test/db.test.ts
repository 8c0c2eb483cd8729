import { readFileSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../src/platform/db/client.js';
import { migrateDatabase } from '../src/platform/db/migrate.js';
import { campaigns, leads, redditItems, replies, users } from '../src/platform/db/schema.js';
import { createTestDatabase, type TestDatabase } from './helpers/services.js';

describe('database on PostgreSQL', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(async () => {
    await t?.drop();
  });

  it('when two migrators run at once, then both succeed and each migration is recorded once', async () => {
    await Promise.all([migrateDatabase(t.database), migrateDatabase(t.database)]);
    const rows = await queryRows<{ n: number }>(
      t.database.db,
      sql`select count(*)::int as n from drizzle.__drizzle_migrations`,
    );
    const journal = JSON.parse(
      readFileSync(new URL('../src/platform/db/migrations/meta/_journal.json', import.meta.url), 'utf8'),
    ) as { entries: unknown[] };
    expect(rows[0]?.n).toBe(journal.entries.length);
  });

  it('when the same lead is inserted twice, then the unique (campaign, item) keeps one row', async () => {
    const { db } = t.database;
    const [user] = await db.insert(users).values({ email: 'a@example.com' }).returning();
    const [campaign] = await db.insert(campaigns).values({ userId: user!.id, name: 'c' }).returning();
    await db.insert(redditItems).values({
      fullname: 't3_abc',
      kind: 'post',
      subreddit: 'saas',
      author: 'someone',
      permalink: '/r/saas/comments/abc/x/',
      createdUtc: new Date(),
    });
    const row = { userId: user!.id, campaignId: campaign!.id, itemId: 't3_abc' };
    await db.insert(leads).values(row).onConflictDoNothing();
    await db.insert(leads).values(row).onConflictDoNothing();
    const count = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from leads`);
    expect(count[0]?.n).toBe(1);
  });

  it('when a second live reply is written for a lead, then the database refuses it, and drafts or failures stay allowed', async () => {
    const { db } = t.database;
    const [user] = await db.insert(users).values({ email: 'r@example.com' }).returning();
    const [campaign] = await db.insert(campaigns).values({ userId: user!.id, name: 'r' }).returning();
    await db.insert(redditItems).values({
      fullname: 't3_reply',
      kind: 'post',
      subreddit: 'saas',
      author: 'someone',
      permalink: '/r/saas/comments/reply/x/',
      createdUtc: new Date(),
    });
    const [lead] = await db.insert(leads).values({ userId: user!.id, campaignId: campaign!.id, itemId: 't3_reply' }).returning();
    const reply = (status: 'draft' | 'queued' | 'posted' | 'failed') => ({
      userId: user!.id,
      leadId: lead!.id,
      draft: 'Have you tried a CRM?',
      draftedBy: 'human',
      status,
    });
    await db.insert(replies).values([reply('draft'), reply('failed'), reply('queued'), reply('draft')]);
    await expect(db.insert(replies).values(reply('posted'))).rejects.toThrow();
    await expect(db.insert(replies).values(reply('queued'))).rejects.toThrow();
    const live = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from replies where status in ('queued', 'posted')`);
    expect(live[0]?.n).toBe(1);
  });
});
