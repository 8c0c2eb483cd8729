/**
 * A worker process for the queue tests: the real BullMQ adapter with a processor chosen by
 * FIXTURE_MODE. `leads` inserts leads idempotently into the test database (match queue);
 * `runs` records each scheduled ingest run in Redis after syncing the schedules it is given.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { QUEUE_NAMES, type QueueName } from '../../src/config/env.js';
import { openDatabase } from '../../src/platform/db/client.js';
import { leads } from '../../src/platform/db/schema.js';
import { createLogger } from '../../src/platform/logger.js';
import { createBullmqQueueSystem } from '../../src/platform/queue/bullmq-queue.js';
import { defineJob, type JobDefinition, type Schedule } from '../../src/platform/queue/queue.js';
import { createRedis } from '../../src/platform/redis.js';

const env = z
  .object({
    FIXTURE_MODE: z.enum(['leads', 'runs']),
    REDIS_URL: z.string(),
    QUEUE_PREFIX: z.string(),
    DATABASE_URL: z.string().optional(),
    CAMPAIGN_ID: z.string().optional(),
    USER_ID: z.string().optional(),
    CONCURRENCY: z.coerce.number().int().default(4),
    HOLD_MS: z.coerce.number().int().default(0),
    STALLED_MS: z.coerce.number().int().optional(),
    LOCK_MS: z.coerce.number().int().optional(),
    KEEP_COMPLETED: z.coerce.number().int().default(5_000),
    SCHEDULES: z.string().default('[]'),
  })
  .parse(process.env);

const log = createLogger({ level: process.env.LOG_LEVEL ?? 'warn', pretty: false, name: `worker-${process.pid}` });
const concurrency = Object.fromEntries(QUEUE_NAMES.map((q) => [q, env.CONCURRENCY])) as Record<QueueName, number>;
const system = createBullmqQueueSystem({
  redisUrl: env.REDIS_URL,
  prefix: env.QUEUE_PREFIX,
  log,
  concurrency,
  policy: { backoffBaseMs: 100, keepCompleted: { ageSeconds: 3_600, count: env.KEEP_COMPLETED } },
  workerName: `fixture-${process.pid}`,
  ...(env.STALLED_MS ? { stalledIntervalMs: env.STALLED_MS } : {}),
  ...(env.LOCK_MS ? { lockDurationMs: env.LOCK_MS } : {}),
});

const closers: (() => Promise<void>)[] = [];
const definitions: JobDefinition[] = [];
let consumed: QueueName[];

if (env.FIXTURE_MODE === 'leads') {
  const database = await openDatabase({ url: env.DATABASE_URL, dataDir: '', poolMax: env.CONCURRENCY + 1 });
  closers.push(() => database.close());
  const userId = z.string().uuid().parse(env.USER_ID);
  const campaignId = z.string().uuid().parse(env.CAMPAIGN_ID);
  definitions.push(
    defineJob({
      queue: 'match',
      payload: z.object({ itemIds: z.array(z.string()).min(1) }),
      async process({ itemIds }) {
        await database.db
          .insert(leads)
          .values(itemIds.map((itemId) => ({ userId, campaignId, itemId })))
          .onConflictDoNothing();
        // Holding after the write lets a test kill the process mid-job and see the rerun stay idempotent.
        if (env.HOLD_MS > 0) await sleep(env.HOLD_MS);
      },
    }),
  );
  consumed = ['match'];
} else {
  const redis = createRedis(env.REDIS_URL, 'worker');
  closers.push(async () => void redis.disconnect());
  definitions.push(
    defineJob({
      queue: 'ingest',
      payload: z.object({ stream: z.string() }),
      async process({ stream }, ctx) {
        const run = { stream, jobId: ctx.jobId, at: Date.now(), pid: process.pid };
        await redis.rpush(`${env.QUEUE_PREFIX}:fixture:runs`, JSON.stringify(run));
        if (env.HOLD_MS > 0) await sleep(env.HOLD_MS);
      },
    }),
  );
  consumed = ['ingest'];
  const schedules = z
    .array(z.object({ id: z.string(), queue: z.enum(QUEUE_NAMES), everyMs: z.number(), payload: z.unknown() }))
    .parse(JSON.parse(env.SCHEDULES)) as Schedule[];
  if (schedules.length > 0) await system.syncSchedules('ingest', schedules);
}

await system.startWorkers(definitions, consumed);

process.once('SIGTERM', () => {
  void (async () => {
    await system.close(10_000);
    for (const close of closers) await close();
    process.stdout.write('stopped\n');
    process.exit(0);
  })();
});

process.stdout.write('ready\n');
