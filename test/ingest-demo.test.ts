import { eq, sql } from 'drizzle-orm';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDemoRedditClient, DEMO_EPOCH_MS } from '../src/modules/demo/demo-source.js';
import { syncStreams } from '../src/modules/ingest/ingest.jobs.js';
import { createStreamPoller, type IngestSettings } from '../src/modules/ingest/stream-poller.js';
import { campaigns, redditItems, streamCursors, users } from '../src/platform/db/schema.js';
import type { QueueProducer } from '../src/platform/queue/queue.js';
import { createTestDatabase, type TestDatabase } from './helpers/services.js';

const log = pino({ level: 'silent' });
const settings: IngestSettings = { subsPerStream: 50, minIntervalMs: 5_000, maxIntervalMs: 60_000, lagWindowMs: 30_000, requestsPerSecond: 1.5 };
const queue: QueueProducer = { async enqueue() {}, async enqueueBulk() {} };

describe('ingest: the demo stream without Reddit credentials', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(async () => {
    await t?.drop();
  });

  it('when a new install watches all of Reddit, then demo leads are stored at once, keep coming, and a restart adds no duplicates', async () => {
    const { db } = t.database;
    const [user] = await db.insert(users).values({ email: 'demo@example.com' }).returning();
    await db.insert(campaigns).values({ userId: user!.id, name: 'demo', watchAll: true });
    await syncStreams({ db, settings });
    let now = DEMO_EPOCH_MS + 5 * 86_400_000;
    const poll = async () => {
      const reddit = createDemoRedditClient({ now: () => now, itemsPerMinute: 20 });
      const poller = createStreamPoller({ db, reddit, queue, log, now: () => new Date(now), settings, source: 'demo' });
      await poller.poll('posts:r/all');
      await poller.poll('comments:r/all');
    };
    const count = async () => (await db.select({ n: sql<number>`count(*)::int` }).from(redditItems))[0]!.n;

    await poll();
    const first = await count();
    expect(first).toBeGreaterThanOrEqual(100);
    now += 120_000;
    await poll();
    expect(await count()).toBeGreaterThan(first);
    const settled = await count();
    // A restarted process with its cursors forgotten re-reads the same timeline: same fullnames, no new rows.
    await db.update(streamCursors).set({ lastPolledAt: null, recentFullnames: [] });
    await poll();
    expect(await count()).toBe(settled);
    const sources = await db.select({ n: sql<number>`count(*)::int` }).from(redditItems).where(eq(redditItems.source, 'demo'));
    expect(sources[0]!.n).toBe(settled);
  });
});
