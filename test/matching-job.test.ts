import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { createMatcherProvider } from '../src/modules/matching/matcher-provider.js';
import { createMatchJob, scoreJobId } from '../src/modules/matching/matching.jobs.js';
import { loadActiveCampaigns } from '../src/modules/matching/matching.repo.js';
import { previewRules } from '../src/modules/matching/preview.service.js';
import { RuleSyntaxError } from '../src/modules/matching/rule-parser.js';
import { createRedisVersionSource } from '../src/modules/matching/version-source.js';
import { campaigns, leads, type NewRedditItem, redditItems, users } from '../src/platform/db/schema.js';
import type { EnqueueOptions, QueueName, QueueProducer } from '../src/platform/queue/queue.js';
import type { Redis } from '../src/platform/redis.js';
import {
  clearRedisPrefix,
  createTestDatabase,
  createTestRedis,
  type TestDatabase,
  uniqueRedisPrefix,
} from './helpers/services.js';

const log = pino({ level: 'silent' });

/** Records what the job enqueues; the queue itself is tested with the queue module. */
function recordingQueue() {
  const jobs: { queue: QueueName; payload: unknown; opts?: EnqueueOptions }[] = [];
  const producer: QueueProducer = {
    async enqueue(queue, payload, opts) {
      jobs.push({ queue, payload, opts });
    },
    async enqueueBulk(queue, list) {
      for (const j of list) jobs.push({ queue, payload: j.payload, opts: j.opts });
    },
  };
  return { producer, jobs };
}

function item(fullname: string, over: Partial<NewRedditItem> = {}): NewRedditItem {
  return {
    fullname,
    kind: fullname.startsWith('t3_') ? 'post' : 'comment',
    subreddit: 'saas',
    author: 'someone',
    title: '',
    body: '',
    permalink: `/r/saas/comments/${fullname}/`,
    createdUtc: new Date('2024-01-01T00:00:00Z'),
    ...over,
  };
}

describe('match job on PostgreSQL', () => {
  let t: TestDatabase;
  let redis: Redis;
  const prefix = uniqueRedisPrefix('matching');
  let userId: string;
  let crmId: string;

  beforeAll(async () => {
    t = await createTestDatabase();
    redis = createTestRedis();
    const { db } = t.database;
    const [user] = await db.insert(users).values({ email: 'owner@example.com' }).returning();
    userId = user!.id;
    const [crm] = await db
      .insert(campaigns)
      .values({ userId, name: 'crm', rules: ['"best crm"', 'hubspot alternative*'], negativeKeywords: ['free'], watchAll: true })
      .returning();
    crmId = crm!.id;
    await db.insert(campaigns).values([
      { userId, name: 'paused', rules: ['crm'], status: 'paused' },
      { userId, name: 'deleted', rules: ['crm'], deletedAt: new Date() },
      { userId, name: 'invoices', rules: ['invoic*'], subreddits: ['SmallBusiness'] },
    ]);
    await db.insert(redditItems).values([
      item('t3_a', { title: 'What is the best CRM for a 5 person agency?', ingestedAt: new Date('2024-01-01T00:00:01Z') }),
      item('t1_b', { body: 'Looking for a HubSpot alternative, any ideas?', ingestedAt: new Date('2024-01-01T00:00:02Z') }),
      item('t1_c', { body: 'Best CRM that is free?', ingestedAt: new Date('2024-01-01T00:00:03Z') }),
      item('t1_d', { body: 'Invoicing software for freelancers', subreddit: 'smallbusiness', ingestedAt: new Date('2024-01-01T00:00:04Z') }),
      item('t1_e', { body: 'the best crm', author: 'AutoModerator', ingestedAt: new Date('2024-01-01T00:00:05Z') }),
    ]);
  });

  afterAll(async () => {
    await clearRedisPrefix(redis, prefix);
    redis.disconnect();
    await t?.drop();
  });

  it('when campaigns are loaded, then only active ones come back and watch-all clears the allow list', async () => {
    const loaded = await loadActiveCampaigns(t.database.db);
    expect(loaded.map((c) => c.rules)).toEqual([['"best crm"', 'hubspot alternative*'], ['invoic*']]);
    expect(loaded[0]!.subreddits).toEqual([]);
    expect(loaded[1]!.subreddits).toEqual(['smallbusiness']);
    expect(loaded[0]!.authorDeny).toEqual(['automoderator']);
  });

  it('when the same batch is matched twice, then the leads are created once and scoring is enqueued once', async () => {
    const { db } = t.database;
    const versions = createRedisVersionSource(redis, prefix);
    const provider = createMatcherProvider({ loadCampaigns: () => loadActiveCampaigns(db), currentVersion: versions.current, log });
    const { producer, jobs } = recordingQueue();
    const job = createMatchJob({ db, matcherProvider: provider, queue: producer, log });
    const payload = job.payload.parse({ itemIds: ['t3_a', 't1_b', 't1_c', 't1_d', 't1_e', 't1_missing'] });
    const ctx = { jobId: 'm1', attempt: 1, log };

    await job.process(payload, ctx);
    const first = await db.select().from(leads).orderBy(leads.itemId);
    await job.process(payload, ctx);
    const second = await db.select().from(leads).orderBy(leads.itemId);

    expect(second).toEqual(first);
    expect(first.map((l) => [l.itemId, l.matchedTerms])).toEqual([
      ['t1_b', ['hubspot', 'alternative*']],
      ['t1_d', ['invoic*']],
      ['t3_a', ['"best crm"']],
    ]);
    expect(first.every((l) => l.userId === userId && l.status === 'new' && l.scoring === 'pending')).toBe(true);
    expect(first.filter((l) => l.campaignId === crmId)).toHaveLength(2);
    const ids = first.map((l) => l.id);
    expect(jobs).toEqual([{ queue: 'score', payload: { leadIds: [...ids].sort() }, opts: { jobId: scoreJobId(ids) } }]);
  });

  it('when a campaign changes and the version is bumped, then the next check rebuilds and new rules match', async () => {
    const { db } = t.database;
    const versions = createRedisVersionSource(redis, prefix);
    let clock = 0;
    const provider = createMatcherProvider({
      loadCampaigns: () => loadActiveCampaigns(db),
      currentVersion: versions.current,
      log,
      now: () => clock,
    });
    const before = await provider.get();
    await db.update(campaigns).set({ rules: ['"best crm"', 'agency'] }).where(eq(campaigns.id, crmId));
    const bumped = await versions.bump();

    clock += 500; // within the check interval: the version is not even read
    expect(await provider.get()).toBe(before);
    await provider.settled();
    expect((await provider.get()).version).toBe(before.version);

    clock += 1_000;
    expect(await provider.get()).toBe(before); // the old matcher serves while the new one builds
    await provider.settled();
    const after = await provider.get();
    expect(after.version).toBe(bumped);
    const agencyPost = { fullname: 't3_x', kind: 'post' as const, subreddit: 'saas', author: 'a', title: 'Agency tools', body: '', score: 1, over18: false };
    expect(before.match(agencyPost)).toEqual([]);
    expect(after.match(agencyPost)).toEqual([{ campaignId: crmId, matchedTerms: ['agency'] }]);
  });

  it('when rules are previewed, then the recent items they would match are returned with their terms', async () => {
    const result = await previewRules({ db: t.database.db }, { rules: ['crm OR invoic*'], negativeKeywords: ['free'] }, { limit: 100 });
    expect(result.scanned).toBe(5);
    expect(result.totalMatches).toBe(2);
    // Newest first; the AutoModerator comment is dropped by the default author deny list.
    expect(result.matches.map((m) => [m.item.fullname, m.matchedTerms])).toEqual([
      ['t1_d', ['invoic*']],
      ['t3_a', ['crm']],
    ]);
  });

  it('when a previewed rule does not parse, then the preview fails with the position to fix', async () => {
    const attempt = previewRules({ db: t.database.db }, { rules: ['crm', 'crm OR'] });
    await expect(attempt).rejects.toBeInstanceOf(RuleSyntaxError);
    await expect(attempt).rejects.toMatchObject({ code: 'invalid_rule', details: { position: 5, rule: 'crm OR' } });
  });

  it('when leads are inserted, then matched terms are stored as JSON arrays', async () => {
    const result = (await t.database.db.execute(sql`select distinct jsonb_typeof(matched_terms) as t from leads`)) as unknown as {
      rows: { t: string }[];
    };
    expect(result.rows).toEqual([{ t: 'array' }]);
  });
});
