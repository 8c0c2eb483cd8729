import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createLocalScorer } from '../src/modules/scoring/local-scorer.js';
import { createOpenAiScorer } from '../src/modules/scoring/openai-scorer.js';
import { createRescoreTask, createScoreJob } from '../src/modules/scoring/scoring.jobs.js';
import { createScoringService } from '../src/modules/scoring/scoring.service.js';
import { createRedisCache } from '../src/platform/cache/redis-cache.js';
import { aiUsage, campaigns, leads, redditItems, users } from '../src/platform/db/schema.js';
import { createLogger } from '../src/platform/logger.js';
import type { Redis } from '../src/platform/redis.js';
import { type FakeOpenAi, startFakeOpenAi } from './helpers/fake-openai.js';
import { recordingQueue } from './helpers/recording-queue.js';
import {
  clearRedisPrefix,
  createTestDatabase,
  createTestRedis,
  type TestDatabase,
  uniqueRedisPrefix,
} from './helpers/services.js';

const log = createLogger({ level: 'silent', pretty: false });
const NOW = new Date('2024-05-02T10:00:00Z');

const ITEMS = [
  { title: 'Alternatives to Hootsuite?', body: 'Looking for a cheaper scheduling tool for our agency.' },
  { title: 'Any recommendations for a social media scheduler?', body: 'We post to Twitter and Facebook daily.' },
  { title: 'Hootsuite released a new version', body: 'Release notes inside.' },
];

describe('scoring service on PostgreSQL and Redis', () => {
  let t: TestDatabase;
  let redis: Redis;
  let prefix: string;
  let fake: FakeOpenAi;
  let userId: string;
  let seq = 0;

  beforeAll(async () => {
    t = await createTestDatabase();
    redis = createTestRedis();
    prefix = uniqueRedisPrefix('scoring');
    fake = await startFakeOpenAi();
    const [u] = await t.database.db.insert(users).values({ email: 'scorer@example.com' }).returning();
    userId = u!.id;
  });
  afterAll(async () => {
    await fake?.close();
    if (redis) {
      await clearRedisPrefix(redis, prefix);
      redis.disconnect();
    }
    await t?.drop();
  });
  beforeEach(() => {
    fake.requests.length = 0;
    fake.setDefault('good');
  });

  /** A campaign with pending leads on fresh items; each test gets its own. */
  async function seed(threshold = 60) {
    const { db } = t.database;
    const n = ++seq;
    const [c] = await db
      .insert(campaigns)
      .values({
        userId,
        name: `social ${n}`,
        productName: 'Postwise',
        productDescription: 'Social media scheduling and analytics for agencies.',
        leadContext: 'Agencies unhappy with Hootsuite or looking for a scheduler.',
        threshold,
      })
      .returning();
    const rows = ITEMS.map((it, i) => ({
      fullname: `t3_s${n}x${i}`,
      kind: 'post' as const,
      subreddit: 'socialmedia',
      author: 'someone',
      title: it.title,
      body: it.body,
      permalink: `/r/socialmedia/comments/s${n}x${i}/`,
      createdUtc: NOW,
    }));
    await db.insert(redditItems).values(rows);
    const inserted = await db
      .insert(leads)
      .values(rows.map((r) => ({ userId, campaignId: c!.id, itemId: r.fullname, matchedTerms: ['hootsuite'] })))
      .returning({ id: leads.id });
    return { campaign: c!, leadIds: inserted.map((r) => r.id) };
  }

  function service(opts: { cap?: number; breakerThreshold?: number; halfOpenAfterMs?: number; clock?: () => number } = {}) {
    const queue = recordingQueue();
    const localScorer = createLocalScorer();
    const scorer = createOpenAiScorer({
      baseUrl: fake.baseUrl,
      apiKey: 'sk-test',
      model: 'gpt-test',
      timeoutMs: 2_000,
      batchSize: 10,
      fallback: localScorer,
      log,
      attempts: 2,
      sleep: async () => {},
      breakerThreshold: opts.breakerThreshold ?? 5,
      halfOpenAfterMs: opts.halfOpenAfterMs ?? 30_000,
      ...(opts.clock ? { now: opts.clock } : {}),
    });
    const scoring = createScoringService({
      db: t.database.db,
      scorer,
      localScorer,
      cache: createRedisCache(redis, prefix),
      queue: queue.producer,
      log,
      now: () => NOW,
      dailyTokenCap: opts.cap ?? 0,
      cacheTtlSeconds: 600,
      costPer1MInput: 0.15,
      costPer1MOutput: 0.6,
    });
    return { scoring, queue, scorer };
  }

  const leadRows = (ids: string[]) =>
    t.database.db
      .select()
      .from(leads)
      .where(sql`${leads.id} = any(${sql.param(ids)}::uuid[])`)
      .orderBy(leads.itemId);

  it('when pending leads are scored, then each gets a score, intent, reasons and scorer, in one model call', async () => {
    const { campaign, leadIds } = await seed();
    const { scoring, queue } = service();
    const summary = await scoring.scoreLeads(leadIds);
    expect(summary).toMatchObject({ leads: 3, modelCalls: 1, cacheHits: 0, scored: 3, unscored: 0, written: 3 });
    const rows = await leadRows(leadIds);
    expect(rows.map((r) => [r.scoring, r.score, r.intent, r.scoredBy])).toEqual([
      ['scored', 88, 'recommendation_request', 'openai:gpt-test'],
      ['scored', 88, 'recommendation_request', 'openai:gpt-test'],
      ['scored', 12, 'other', 'openai:gpt-test'],
    ]);
    expect(rows[0]!.reasons).toEqual(['The author asks which tool to use.']);
    expect(rows[0]!.matchedTerms).toEqual(['hootsuite']);
    expect(rows[0]!.scoredAt?.toISOString()).toBe(NOW.toISOString());

    const [usage] = await t.database.db.select().from(aiUsage).where(eq(aiUsage.campaignId, campaign.id));
    expect(usage).toMatchObject({ userId, day: '2024-05-02', model: 'gpt-test', requests: 1 });
    expect(usage!.inputTokens).toBeGreaterThan(0);
    expect(usage!.costUsd).toBeCloseTo((usage!.inputTokens * 0.15 + usage!.outputTokens * 0.6) / 1e6, 12);

    expect(queue.jobs).toHaveLength(1);
    const job = queue.jobs[0]!;
    expect(job.queue).toBe('notify');
    expect((job.payload as { leadIds: string[] }).leadIds).toEqual(
      [rows[0]!.id, rows[1]!.id].sort(),
    );
    expect(job.opts?.jobId).toMatch(new RegExp(`^notify-${userId}-[0-9a-f]{24}$`));
  });

  it('when the same score job runs twice, then the second run calls nothing and changes nothing', async () => {
    const { leadIds } = await seed();
    const { scoring, queue } = service();
    await scoring.scoreLeads(leadIds);
    const before = await leadRows(leadIds);
    const again = await scoring.scoreLeads(leadIds);
    expect(again).toMatchObject({ leads: 0, modelCalls: 0, written: 0, notifyJobs: 0 });
    expect(fake.requests).toHaveLength(1);
    expect(await leadRows(leadIds)).toEqual(before);
    expect(queue.jobs).toHaveLength(1);
  });

  it('when leads for items already scored for the same campaign profile come back, then the cache answers and the model is not called', async () => {
    const { leadIds } = await seed();
    const { scoring } = service();
    await scoring.scoreLeads(leadIds);
    await t.database.db
      .update(leads)
      .set({ scoring: 'pending', score: null })
      .where(sql`${leads.id} = any(${sql.param(leadIds)}::uuid[])`);
    const second = await scoring.scoreLeads(leadIds);
    expect(second).toMatchObject({ cacheHits: 3, modelCalls: 0, scored: 3 });
    expect(fake.requests).toHaveLength(1);
    expect((await leadRows(leadIds)).map((r) => r.score)).toEqual([88, 88, 12]);
  });

  it('when the campaign profile changes version, then its items are scored again', async () => {
    const { campaign, leadIds } = await seed();
    const { scoring } = service();
    await scoring.scoreLeads(leadIds);
    await t.database.db.update(campaigns).set({ version: 2 }).where(eq(campaigns.id, campaign.id));
    await t.database.db
      .update(leads)
      .set({ scoring: 'pending' })
      .where(sql`${leads.id} = any(${sql.param(leadIds)}::uuid[])`);
    const second = await scoring.scoreLeads(leadIds);
    expect(second).toMatchObject({ cacheHits: 0, modelCalls: 1 });
  });

  it('when the AI provider is down, then leads keep local scores as unscored and are rescored after recovery', async () => {
    const { leadIds } = await seed();
    fake.setDefault({ status: 500 });
    // The breaker's own half-open timer runs on real time; the availability check reads this clock,
    // so a slow machine cannot make the open window look elapsed before the test moves it.
    let clock = 1_000_000;
    const { scoring } = service({ breakerThreshold: 2, halfOpenAfterMs: 200, clock: () => clock });
    const down = await scoring.scoreLeads(leadIds);
    expect(down).toMatchObject({ scored: 0, unscored: 3, written: 3 });
    const kept = await leadRows(leadIds);
    expect(kept.every((r) => r.scoring === 'unscored' && r.scoredBy === 'local' && r.score !== null)).toBe(true);
    expect(kept[0]!.score!).toBeGreaterThan(kept[2]!.score!);

    const rescore = createRescoreTask({ scoring, batchLimit: 50 });
    const whileOpen = await rescore();
    expect(whileOpen.skipped).toBe(true);

    fake.setDefault('good');
    clock += 1_000;
    await new Promise((resolve) => setTimeout(resolve, 250));
    const after = await rescore();
    expect(after.skipped).toBe(false);
    expect(after.scored).toBeGreaterThanOrEqual(3);
    const rows = await leadRows(leadIds);
    expect(rows.map((r) => [r.scoring, r.scoredBy])).toEqual([
      ['scored', 'openai:gpt-test'],
      ['scored', 'openai:gpt-test'],
      ['scored', 'openai:gpt-test'],
    ]);
  });

  it("when the user's daily token cap is spent, then scoring falls back to local without calling the model", async () => {
    const { campaign, leadIds } = await seed();
    await t.database.db.insert(aiUsage).values({
      userId,
      campaignId: campaign.id,
      day: '2024-05-02',
      model: 'gpt-test',
      requests: 1,
      inputTokens: 900,
      outputTokens: 200,
    });
    const { scoring } = service({ cap: 1_000 });
    const summary = await scoring.scoreLeads(leadIds);
    expect(fake.requests).toHaveLength(0);
    expect(summary).toMatchObject({ modelCalls: 0, unscored: 3 });
    const rows = await leadRows(leadIds);
    expect(rows.every((r) => r.scoredBy === 'local' && r.reasons.at(-1)?.includes('token cap'))).toBe(true);
  });

  it('when a score job gets a payload, then it is validated and the leads are scored', async () => {
    const { leadIds } = await seed();
    const { scoring } = service();
    const job = createScoreJob({ scoring });
    expect(job.queue).toBe('score');
    expect(job.payload.safeParse({ leadIds: ['not-a-uuid'] }).success).toBe(false);
    expect(job.payload.safeParse({ leadIds: [] }).success).toBe(false);
    await job.process(job.payload.parse({ leadIds }), { jobId: 'j1', attempt: 1, log });
    const rows = await t.database.db
      .select({ scoring: leads.scoring })
      .from(leads)
      .where(and(sql`${leads.id} = any(${sql.param(leadIds)}::uuid[])`, eq(leads.scoring, 'scored')));
    expect(rows).toHaveLength(3);
  });
});
