import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { QUEUE_NAMES, type QueueName } from '../src/config/env.js';
import { createLogger } from '../src/platform/logger.js';
import { createBullmqQueueSystem } from '../src/platform/queue/bullmq-queue.js';
import { createInlineQueueSystem } from '../src/platform/queue/inline-queue.js';
import { defineJob, type QueueSystem, UnrecoverableError } from '../src/platform/queue/queue.js';
import type { QueuePolicy } from '../src/platform/queue/queue-policy.js';
import { waitUntil } from './fixtures-queue/spawn-worker.js';
import { clearRedisPrefix, createTestRedis, TEST_REDIS_URL, uniqueRedisPrefix } from './helpers/services.js';

const log = createLogger({ level: 'silent', pretty: false });
const concurrency = Object.fromEntries(QUEUE_NAMES.map((q) => [q, 2])) as Record<QueueName, number>;
const policy: Partial<QueuePolicy> = { attempts: 3, backoffBaseMs: 150 };

interface Adapter {
  name: string;
  make(): { system: QueueSystem; cleanup(): Promise<void> };
}

const adapters: Adapter[] = [
  {
    name: 'inline',
    make() {
      const system = createInlineQueueSystem({ log, concurrency, policy });
      return { system, cleanup: () => system.close(2_000) };
    },
  },
  {
    name: 'bullmq',
    make() {
      const prefix = uniqueRedisPrefix('qc');
      const system = createBullmqQueueSystem({ redisUrl: TEST_REDIS_URL, prefix, log, concurrency, policy });
      return {
        system,
        async cleanup() {
          await system.close(2_000);
          const redis = createTestRedis();
          await clearRedisPrefix(redis, prefix);
          redis.disconnect();
        },
      };
    },
  },
];

/** Waits until the producer can reach Redis (the BullMQ producer fails fast before its first connect). */
async function ready(system: QueueSystem): Promise<void> {
  await waitUntil(async () =>
    system.counts().then(
      () => true,
      () => false,
    ),
  );
}

describe.each(adapters)('queue contract: $name adapter', (adapter) => {
  let cleanup: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await cleanup?.();
    cleanup = undefined;
  });
  function make(): QueueSystem {
    const made = adapter.make();
    cleanup = made.cleanup;
    return made.system;
  }

  it('when a processor fails twice, then it is retried with exponential backoff and completes on the third attempt', async () => {
    const system = make();
    await ready(system);
    const attempts: { attempt: number; at: number }[] = [];
    await system.startWorkers(
      [
        defineJob({
          queue: 'score',
          payload: z.object({ leadId: z.string() }),
          async process(_payload, ctx) {
            attempts.push({ attempt: ctx.attempt, at: performance.now() });
            if (ctx.attempt < 3) throw new Error('provider timed out');
          },
        }),
      ],
      ['score'],
    );
    await system.enqueue('score', { leadId: 'l1' });
    await waitUntil(() => attempts.length === 3);
    await waitUntil(async () => (await system.counts()).score.active === 0);
    expect(attempts.map((a) => a.attempt)).toEqual([1, 2, 3]);
    // Backoff is a floor, never a ceiling: the second wait is at least twice the base.
    expect(attempts[1]!.at - attempts[0]!.at).toBeGreaterThanOrEqual(140);
    expect(attempts[2]!.at - attempts[1]!.at).toBeGreaterThanOrEqual(290);
    expect((await system.counts()).score.failed).toBe(0);
  });

  it('when every attempt fails, then the job is kept as failed after the configured attempts', async () => {
    const system = make();
    await ready(system);
    let runs = 0;
    await system.startWorkers(
      [
        defineJob({
          queue: 'notify',
          payload: z.object({ userId: z.string() }),
          async process() {
            runs++;
            throw new Error('smtp down');
          },
        }),
      ],
      ['notify'],
    );
    await system.enqueue('notify', { userId: 'u1' });
    await waitUntil(async () => (await system.counts()).notify.failed === 1);
    expect(runs).toBe(3);
  });

  it('when a payload fails its schema, then the job fails permanently without running the processor', async () => {
    const system = make();
    await ready(system);
    let runs = 0;
    await system.startWorkers(
      [
        defineJob({
          queue: 'match',
          payload: z.object({ itemIds: z.array(z.string()).min(1) }),
          async process() {
            runs++;
          },
        }),
      ],
      ['match'],
    );
    await system.enqueue('match', { itemIds: 'not-an-array' });
    await system.enqueue('match', { itemIds: ['t3_ok'] });
    await waitUntil(async () => (await system.counts()).match.failed === 1 && runs === 1);
    const counts = await system.counts();
    expect(counts.match).toMatchObject({ failed: 1, waiting: 0, delayed: 0 });
    expect(runs).toBe(1);
  });

  it('when a processor throws UnrecoverableError, then the job is not retried', async () => {
    const system = make();
    await ready(system);
    let runs = 0;
    await system.startWorkers(
      [
        defineJob({
          queue: 'reply',
          payload: z.object({ leadId: z.string() }),
          async process() {
            runs++;
            throw new UnrecoverableError('account revoked');
          },
        }),
      ],
      ['reply'],
    );
    await system.enqueue('reply', { leadId: 'l1' });
    await waitUntil(async () => (await system.counts()).reply.failed === 1);
    expect(runs).toBe(1);
    expect((await system.counts()).reply.delayed).toBe(0);
  });

  it('when the same jobId is enqueued while the first is still pending, then it runs once; after it finishes, it may run again', async () => {
    const system = make();
    await ready(system);
    const seen: string[] = [];
    await system.enqueue('match', { batch: 'a' }, { jobId: 'batch-a' });
    await system.enqueue('match', { batch: 'a' }, { jobId: 'batch-a' });
    await system.enqueueBulk('match', [
      { payload: { batch: 'a' }, opts: { jobId: 'batch-a' } },
      { payload: { batch: 'b' }, opts: { jobId: 'batch-b' } },
    ]);
    // Jobs wait for a worker: none consumes match yet.
    expect((await system.counts()).match.waiting).toBe(2);
    await system.startWorkers(
      [
        defineJob({
          queue: 'match',
          payload: z.object({ batch: z.string() }),
          async process({ batch }) {
            seen.push(batch);
          },
        }),
      ],
      ['match'],
    );
    await waitUntil(() => seen.length === 2);
    await waitUntil(async () => (await system.counts()).match.active === 0);
    await system.enqueue('match', { batch: 'a' }, { jobId: 'batch-a' });
    await waitUntil(() => seen.length === 3);
    expect(seen.sort()).toEqual(['a', 'a', 'b']);
  });

  it('when schedules are synced, then each runs repeatedly, and a later sync removes only its own group’s dropped ones', async () => {
    const system = make();
    await ready(system);
    const runs = new Map<string, number>();
    await system.startWorkers(
      [
        defineJob({
          queue: 'ingest',
          payload: z.object({ stream: z.string() }),
          async process({ stream }) {
            runs.set(stream, (runs.get(stream) ?? 0) + 1);
          },
        }),
        defineJob({
          queue: 'maintenance',
          payload: z.object({ task: z.string() }),
          async process({ task }) {
            runs.set(task, (runs.get(task) ?? 0) + 1);
          },
        }),
      ],
      ['ingest', 'maintenance'],
    );
    await system.syncSchedules('ingest', [
      { id: 'r/saas', queue: 'ingest', everyMs: 200, payload: { stream: 'r/saas' } },
      { id: 'r/startups', queue: 'ingest', everyMs: 200, payload: { stream: 'r/startups' } },
    ]);
    await system.syncSchedules('maintenance', [
      { id: 'prune', queue: 'maintenance', everyMs: 200, payload: { task: 'prune' } },
    ]);
    await waitUntil(() => ['r/saas', 'r/startups', 'prune'].every((k) => (runs.get(k) ?? 0) >= 2));

    await system.syncSchedules('ingest', [
      { id: 'r/saas', queue: 'ingest', everyMs: 200, payload: { stream: 'r/saas' } },
    ]);
    // Let a run of r/startups that was already due finish, then take the count.
    await new Promise((r) => setTimeout(r, 400));
    const startupsAfterRemoval = runs.get('r/startups');
    const saasBefore = runs.get('r/saas') ?? 0;
    const pruneBefore = runs.get('prune') ?? 0;
    await waitUntil(() => (runs.get('r/saas') ?? 0) >= saasBefore + 2 && (runs.get('prune') ?? 0) >= pruneBefore + 2);
    expect(runs.get('r/startups')).toBe(startupsAfterRemoval);

    await system.syncSchedules('ingest', []);
    await system.syncSchedules('maintenance', []);
  });

  it('when a consumed queue has no processor, then starting the workers fails and names it', async () => {
    const system = make();
    await expect(system.startWorkers([], ['match', 'score'])).rejects.toThrow(/no processor for queue match, score/);
  });
});
