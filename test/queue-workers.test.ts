import { Queue } from 'bullmq';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QUEUE_NAMES, type QueueName } from '../src/config/env.js';
import { queryRows } from '../src/platform/db/client.js';
import { campaigns, redditItems, users } from '../src/platform/db/schema.js';
import { createLogger } from '../src/platform/logger.js';
import { createBullmqQueueSystem } from '../src/platform/queue/bullmq-queue.js';
import type { QueueSystem } from '../src/platform/queue/queue.js';
import { spawnWorker, stopWorker, type WorkerProcess, waitUntil } from './fixtures-queue/spawn-worker.js';
import {
  clearRedisPrefix,
  createTestDatabase,
  createTestRedis,
  TEST_REDIS_URL,
  type TestDatabase,
  uniqueRedisPrefix,
} from './helpers/services.js';

const ITEMS = 300;
const log = createLogger({ level: 'silent', pretty: false });
const concurrency = Object.fromEntries(QUEUE_NAMES.map((q) => [q, 1])) as Record<QueueName, number>;

describe('BullMQ workers in separate processes', () => {
  let t: TestDatabase;
  let userId: string;
  let campaignId: string;
  const spawned: WorkerProcess[] = [];
  const prefixes: string[] = [];
  const systems: QueueSystem[] = [];
  const inspectors: Queue[] = [];

  beforeAll(async () => {
    t = await createTestDatabase();
    const { db } = t.database;
    const [user] = await db.insert(users).values({ email: 'owner@example.com' }).returning();
    const [campaign] = await db.insert(campaigns).values({ userId: user!.id, name: 'crm' }).returning();
    userId = user!.id;
    campaignId = campaign!.id;
    await db.insert(redditItems).values(
      Array.from({ length: ITEMS }, (_, i) => ({
        fullname: `t3_item${i}`,
        kind: 'post' as const,
        subreddit: 'saas',
        author: `author${i}`,
        permalink: `/r/saas/comments/item${i}/x/`,
        createdUtc: new Date(Date.UTC(2024, 0, 1)),
      })),
    );
  });

  afterAll(async () => {
    for (const w of spawned) await stopWorker(w);
    for (const s of systems) await s.close(1_000);
    for (const q of inspectors) await q.close();
    const redis = createTestRedis();
    for (const p of prefixes) await clearRedisPrefix(redis, p);
    redis.disconnect();
    await t?.drop();
  });

  async function clearLeads(): Promise<void> {
    await t.database.db.execute(sql`delete from leads`);
  }

  function setup(label: string) {
    const prefix = uniqueRedisPrefix(label);
    prefixes.push(prefix);
    const producer = createBullmqQueueSystem({ redisUrl: TEST_REDIS_URL, prefix, log, concurrency });
    systems.push(producer);
    const inspector = new Queue('match', { connection: { url: TEST_REDIS_URL }, prefix });
    inspectors.push(inspector);
    const env = (extra: Record<string, string>) => ({
      FIXTURE_MODE: 'leads',
      REDIS_URL: TEST_REDIS_URL,
      QUEUE_PREFIX: prefix,
      DATABASE_URL: t.url,
      USER_ID: userId,
      CAMPAIGN_ID: campaignId,
      ...extra,
    });
    const start = async (extra: Record<string, string> = {}) => {
      const w = await spawnWorker(env(extra));
      spawned.push(w);
      return w;
    };
    return { producer, inspector, start };
  }

  async function leadCounts(): Promise<{ total: number; distinct: number }> {
    const rows = await queryRows<{ total: number; distinct: number }>(
      t.database.db,
      sql`select count(*)::int as total, count(distinct (campaign_id, item_id))::int as distinct from leads`,
    );
    return rows[0]!;
  }

  it('when two workers share 1,000 match jobs with overlapping items, then every job completes and every lead exists once', async () => {
    await clearLeads();
    const { producer, inspector, start } = setup('qw');
    const [a, b] = await Promise.all([start({ CONCURRENCY: '4' }), start({ CONCURRENCY: '4' })]);
    // Each job covers 5 consecutive items, so every item arrives in about 17 different jobs.
    const jobs = Array.from({ length: 1_000 }, (_, i) => ({
      payload: { itemIds: Array.from({ length: 5 }, (_, k) => `t3_item${(i * 3 + k) % ITEMS}`) },
      opts: { jobId: `match-${i}` },
    }));
    for (let i = 0; i < jobs.length; i += 250) await producer.enqueueBulk('match', jobs.slice(i, i + 250));

    await waitUntil(async () => (await inspector.getJobCounts('completed')).completed === 1_000, 200);
    const counts = await inspector.getJobCounts('completed', 'failed', 'waiting', 'active', 'delayed');
    expect(counts).toMatchObject({ completed: 1_000, failed: 0, waiting: 0, active: 0, delayed: 0 });
    expect(await leadCounts()).toEqual({ total: ITEMS, distinct: ITEMS });

    const completed = await inspector.getJobs(['completed'], 0, -1);
    const byWorker = new Set(completed.map((j) => j.processedBy));
    expect(byWorker).toEqual(new Set([`fixture-${a.child.pid}`, `fixture-${b.child.pid}`]));
  }, 150_000);

  it('when a worker is killed with -9 while holding jobs, then the other worker completes them after the stall interval without duplicating leads', async () => {
    await clearLeads();
    const { producer, inspector, start } = setup('qk');
    const stallEnv = { STALLED_MS: '500', LOCK_MS: '1000' };
    const doomed = await start({ ...stallEnv, CONCURRENCY: '3', HOLD_MS: '60000' });
    await producer.enqueueBulk(
      'match',
      [0, 1, 2].map((i) => ({ payload: { itemIds: [`t3_item${i}`, `t3_item${i + 1}`] }, opts: { jobId: `held-${i}` } })),
    );
    // The doomed worker has written its leads and now sits on all three jobs.
    await waitUntil(async () => (await inspector.getActiveCount()) === 3 && (await leadCounts()).total === 4);
    doomed.child.kill('SIGKILL');
    await doomed.exited;

    const survivor = await start(stallEnv);
    await waitUntil(async () => (await inspector.getJobCounts('completed')).completed === 3, 200);
    const completed = await inspector.getJobs(['completed'], 0, -1);
    expect(completed.map((j) => j.processedBy)).toEqual(Array(3).fill(`fixture-${survivor.child.pid}`));
    expect((await inspector.getJobCounts('failed')).failed).toBe(0);
    expect(await leadCounts()).toEqual({ total: 4, distinct: 4 });
  }, 150_000);

  it('when a worker gets SIGTERM while a job is running, then it finishes the job and exits 0', async () => {
    await clearLeads();
    const { producer, inspector, start } = setup('qs');
    const worker = await start({ CONCURRENCY: '1', HOLD_MS: '1500' });
    await producer.enqueue('match', { itemIds: ['t3_item7'] }, { jobId: 'graceful' });
    await waitUntil(async () => (await inspector.getActiveCount()) === 1);
    worker.child.kill('SIGTERM');
    expect(await worker.exited).toBe(0);
    expect(worker.output()).toContain('stopped');
    expect((await inspector.getJobCounts('completed')).completed).toBe(1);
    expect(await leadCounts()).toEqual({ total: 1, distinct: 1 });
  }, 120_000);
});
