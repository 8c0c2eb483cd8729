import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { syncStreams } from '../src/modules/ingest/ingest.jobs.js';
import { createStreamPoller, type IngestSettings } from '../src/modules/ingest/stream-poller.js';
import { createLogger } from '../src/platform/logger.js';
import type { EnqueueOptions } from '../src/platform/queue/queue.js';
import { campaigns, redditItems, streamCursors, users } from '../src/platform/db/schema.js';
import type { ListingPage, ListingParams, RedditListingClient, RedditThing, SubredditSet } from '../src/reddit/types.js';
import { producerFrom } from './helpers/recording-queue.js';
import { createTestDatabase, type TestDatabase } from './helpers/services.js';

/** A tiny Reddit in memory: items enter listings at visibleAt, ordered by creation, newest first. */
function memoryReddit(clock: { now: number }) {
  const items: { thing: RedditThing; visibleAt: number }[] = [];
  let requests = 0;
  function list(kind: 'post' | 'comment', subs: SubredditSet, p: ListingParams = {}): ListingPage {
    requests++;
    const visible = items
      .filter((i) => i.thing.kind === kind && i.visibleAt <= clock.now && (subs === 'all' || subs.includes(i.thing.subreddit)))
      .map((i) => i.thing)
      .sort((a, b) => b.createdUtc.getTime() - a.createdUtc.getTime() || (a.fullname < b.fullname ? 1 : -1))
      .slice(0, 1000);
    const start = p.after ? visible.findIndex((t) => t.fullname === p.after) + 1 : 0;
    const page = visible.slice(start, start + (p.limit ?? 100));
    const end = start + page.length;
    return { items: page, after: end < visible.length ? page.at(-1)!.fullname : null, before: null };
  }
  let seq = 1_000_000;
  const client: Pick<RedditListingClient, 'newPosts' | 'newComments'> = {
    newPosts: async (subs, p) => list('post', subs, p),
    newComments: async (subs, p) => list('comment', subs, p),
  };
  return {
    client,
    requests: () => requests,
    add(kind: 'post' | 'comment', subreddit: string, createdMs: number, lagMs = 0): string {
      const fullname = `${kind === 'post' ? 't3' : 't1'}_${(seq++).toString(36)}`;
      items.push({
        thing: {
          fullname,
          kind,
          subreddit,
          author: 'someone',
          title: 'looking for a crm',
          body: 'any recommendations?',
          permalink: `/r/${subreddit}/comments/x/${fullname}/`,
          url: null,
          linkId: kind === 'comment' ? 't3_parent' : null,
          score: 1,
          over18: false,
          createdUtc: new Date(createdMs),
        },
        visibleAt: createdMs + lagMs,
      });
      return fullname;
    },
  };
}

function recordingQueue() {
  const jobs: { payload: { itemIds: string[] }; opts?: EnqueueOptions }[] = [];
  let failNext = 0;
  const queue = producerFrom(async (_q, payload, opts) => {
    if (failNext > 0) {
      failNext--;
      throw new Error('queue unavailable');
    }
    jobs.push({ payload: payload as { itemIds: string[] }, ...(opts ? { opts } : {}) });
  });
  return { queue, jobs, failOnce: () => (failNext = 1), handedOff: () => jobs.flatMap((j) => j.payload.itemIds) };
}

const settings: IngestSettings = {
  subsPerStream: 50,
  minIntervalMs: 5_000,
  maxIntervalMs: 30_000,
  lagWindowMs: 30_000,
  requestsPerSecond: 1.5,
};
const log = createLogger({ level: 'silent', pretty: false });

describe('ingest: stream polling against PostgreSQL', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(async () => {
    await t?.drop();
  });
  beforeEach(async () => {
    await t.database.db.execute(sql`truncate reddit_items, stream_cursors, campaigns, users cascade`);
  });

  async function watch(subs: string[], watchAll = false) {
    const { db } = t.database;
    const [user] = await db.insert(users).values({ email: `u${Math.random()}@example.com` }).returning();
    await db.insert(campaigns).values({ userId: user!.id, name: 'c', subreddits: subs, watchAll });
    return syncStreams({ db, settings });
  }

  async function storedFullnames(): Promise<string[]> {
    const rows = await t.database.db.select({ fullname: redditItems.fullname }).from(redditItems);
    return rows.map((r) => r.fullname).sort();
  }

  it('when items arrive late and in bursts over a full page, then every item is stored once and handed to matching once', async () => {
    const clock = { now: Date.UTC(2025, 0, 1) };
    const reddit = memoryReddit(clock);
    const q = recordingQueue();
    const schedules = await watch(['saas']);
    const key = 'comments:r/saas';
    expect(schedules.map((s) => s.payload)).toContainEqual({ streamKey: key });
    const poller = createStreamPoller({ db: t.database.db, reddit: reddit.client, queue: q.queue, log, now: () => new Date(clock.now), settings, source: 'reddit' });

    const expected: string[] = [];
    // 5 minutes at 3 comments/s, each visible after up to 25 s of index lag, polled every 30 s.
    let created = clock.now - 10_000;
    for (let step = 0; step < 10; step++) {
      const until = clock.now + 30_000;
      for (; created < until; created += 333) expected.push(reddit.add('comment', 'saas', created, (created * 7919) % 25_000));
      if (step === 4) for (let i = 0; i < 250; i++) expected.push(reddit.add('comment', 'saas', until - 1000 + i)); // a burst
      clock.now = until;
      await poller.poll(key);
    }
    clock.now += 60_000; // let the last lagging items show up
    await poller.poll(key);

    const visible = [...expected]; // every item has shown up by now
    expect(await storedFullnames()).toEqual([...visible].sort());
    const handed = q.handedOff();
    expect(new Set(handed).size).toBe(handed.length);
    expect(handed.sort()).toEqual([...visible].sort());
    for (const j of q.jobs) expect(j.opts?.jobId).toMatch(/^match-[0-9a-f]{24}$/);
  });

  it('when handing over to matching fails after the rows are stored, then the next poll hands them over without storing twice', async () => {
    const clock = { now: Date.UTC(2025, 0, 1) };
    const reddit = memoryReddit(clock);
    const q = recordingQueue();
    await watch(['startups']);
    const poller = createStreamPoller({ db: t.database.db, reddit: reddit.client, queue: q.queue, log, now: () => new Date(clock.now), settings, source: 'reddit' });
    const first = [reddit.add('post', 'startups', clock.now - 5000), reddit.add('post', 'startups', clock.now - 4000)];
    q.failOnce();
    await expect(poller.poll('posts:r/startups')).rejects.toThrow('queue unavailable');
    expect(await storedFullnames()).toEqual([...first].sort());
    expect(q.handedOff()).toEqual([]);

    clock.now += 60_000;
    const second = reddit.add('post', 'startups', clock.now - 1000);
    await poller.poll('posts:r/startups');
    expect(q.handedOff().sort()).toEqual([...first, second].sort());
    expect(await storedFullnames()).toEqual([...first, second].sort());
  });

  it('when two workers poll the same stream at once, then only one reads Reddit', async () => {
    const clock = { now: Date.UTC(2025, 0, 1) };
    const reddit = memoryReddit(clock);
    const q = recordingQueue();
    await watch(['sales']);
    reddit.add('post', 'sales', clock.now - 1000);
    const deps = { db: t.database.db, reddit: reddit.client, queue: q.queue, log, now: () => new Date(clock.now), settings, source: 'reddit' as const };
    const outcomes = await Promise.all([createStreamPoller(deps).poll('posts:r/sales'), createStreamPoller(deps).poll('posts:r/sales')]);
    expect(outcomes.map((o) => o.status).sort()).toEqual(['polled', 'skipped']);
    expect(reddit.requests()).toBe(1);
  });

  it('when campaigns change, then streams are added and removed and a regrouped stream starts from its predecessor', async () => {
    const { db } = t.database;
    const clock = { now: Date.UTC(2025, 0, 1) };
    const reddit = memoryReddit(clock);
    const q = recordingQueue();
    await watch(['alpha1']);
    const poller = createStreamPoller({ db, reddit: reddit.client, queue: q.queue, log, now: () => new Date(clock.now), settings, source: 'reddit' });
    reddit.add('post', 'alpha1', clock.now - 1000);
    await poller.poll('posts:r/alpha1');

    await db.execute(sql`update campaigns set subreddits = '["alpha1","beta2"]'::jsonb`);
    const schedules = await syncStreams({ db, settings });
    expect(schedules.map((s) => s.id).sort()).toEqual(['ingest:comments:r/alpha1+beta2', 'ingest:posts:r/alpha1+beta2']);
    const rows = await db.select().from(streamCursors);
    const byKey = new Map(rows.map((r) => [r.streamKey, r]));
    expect(byKey.get('posts:r/alpha1')?.active).toBe(false);
    expect(byKey.get('posts:r/alpha1+beta2')?.active).toBe(true);
    expect(byKey.get('posts:r/alpha1+beta2')?.newestCreatedUtc).toEqual(byKey.get('posts:r/alpha1')?.newestCreatedUtc);

    await db.execute(sql`update campaigns set status = 'paused'`);
    expect(await syncStreams({ db, settings })).toEqual([]);
    const active = await db.select().from(streamCursors).where(eq(streamCursors.active, true));
    expect(active).toEqual([]);
  });
});
