import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syncStreams } from '../src/modules/ingest/ingest.jobs.js';
import { createStreamPoller, type IngestSettings } from '../src/modules/ingest/stream-poller.js';
import { campaigns, redditItems, users } from '../src/platform/db/schema.js';
import { createMemoryBudgetGovernor } from '../src/reddit/budget-governor.js';
import { createRedditClient } from '../src/reddit/client.js';
import { createManualClock } from '../src/reddit/fake-server/clock.js';
import { readRecordedListings, toStoredThing } from '../src/reddit/fake-server/fixtures.js';
import { type FakeReddit, startFakeReddit } from '../src/reddit/fake-server/server.js';
import { listingSchema } from '../src/reddit/things.schemas.js';
import { createMemoryTokenProvider, createTokenFetcher } from '../src/reddit/token-provider.js';
import { producerFrom } from './helpers/recording-queue.js';
import { createTestDatabase, type TestDatabase } from './helpers/services.js';

const log = pino({ level: 'silent' });
const CASSETTES = new URL('../../shared/reddit-fixtures/praw-cassettes/', import.meta.url);
const RECORDING = 'TestSubredditStreams.test_comments.json';

const settings: IngestSettings = {
  subsPerStream: 50,
  minIntervalMs: 1_000,
  maxIntervalMs: 30_000,
  lagWindowMs: 30_000,
  requestsPerSecond: 1.5,
};

describe('ingest: recorded r/all/comments polls through the fake Reddit server', () => {
  let t: TestDatabase;
  let fake: FakeReddit;
  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(async () => {
    await fake?.close();
    await t?.drop();
  });

  it('when the recorded polls are replayed one by one, then exactly the distinct recorded comments are stored', async () => {
    const polls = readRecordedListings(CASSETTES)
      .filter((l) => l.file === RECORDING && l.uri.includes('/r/all/comments'))
      .map((l) => listingSchema.parse(l.body).data.children);
    const distinct = new Set(polls.flatMap((children) => children.map((c) => (c.data as { name: string }).name)));
    expect(polls.length).toBe(21);
    expect(distinct.size).toBe(417);

    // The clock starts at the recording's time, so every replayed comment is already visible.
    const clock = createManualClock(Date.UTC(2016, 11, 22, 2, 18));
    fake = await startFakeReddit({ clock, budget: 1000 });
    const tokens = createMemoryTokenProvider({
      fetchToken: createTokenFetcher({
        authUrl: fake.url,
        userAgent: 'test:com.example.subscout:0.1.0 (by /u/subscout_test)',
        credentials: { clientId: 'fake-client', clientSecret: 'fake-secret', appType: 'script' },
      }),
      log,
      now: clock.now,
    });
    const reddit = createRedditClient({
      apiUrl: fake.url,
      userAgent: 'test:com.example.subscout:0.1.0 (by /u/subscout_test)',
      tokens,
      governor: createMemoryBudgetGovernor({ log, now: clock.now, sleep: clock.sleep }),
      log,
      sleep: clock.sleep,
    });
    const handedOff: string[] = [];
    const queue = producerFrom(async (_q, payload) => {
      handedOff.push(...(payload as { itemIds: string[] }).itemIds);
    });

    const { db } = t.database;
    const [user] = await db.insert(users).values({ email: 'replay@example.com' }).returning();
    await db.insert(campaigns).values({ userId: user!.id, name: 'everything', watchAll: true });
    const schedules = await syncStreams({ db, settings });
    expect(schedules.map((s) => s.payload)).toContainEqual({ streamKey: 'comments:r/all' });

    const poller = createStreamPoller({ db, reddit, queue, log, now: () => new Date(clock.now()), settings, source: 'reddit' });
    for (const children of polls) {
      // What Reddit showed at that poll becomes visible now, in the server's own listing order.
      fake.store.addMany(children.map((c) => toStoredThing(c)).filter((s) => s !== null));
      clock.advance(60_000);
      const outcome = await poller.poll('comments:r/all');
      expect(outcome.status).toBe('polled');
    }

    const stored = (await db.select({ fullname: redditItems.fullname, kind: redditItems.kind }).from(redditItems)).map(
      (r) => r.fullname,
    );
    expect(stored.length).toBe(417);
    expect(stored.sort()).toEqual([...distinct].sort());
    expect(handedOff.sort()).toEqual([...distinct].sort());
    expect(fake.stats().apiRequests).toBeLessThan(60);
  });
});
