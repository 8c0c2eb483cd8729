import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { QUEUE_NAMES, type QueueName } from '../src/config/env.js';
import { ServiceUnavailableError } from '../src/platform/errors.js';
import { createLogger } from '../src/platform/logger.js';
import { createBullmqQueueSystem } from '../src/platform/queue/bullmq-queue.js';
import type { QueueSystem } from '../src/platform/queue/queue.js';
import { checkRedisEvictionPolicy } from '../src/platform/queue/redis-eviction-check.js';
import type { Redis } from '../src/platform/redis.js';
import { waitUntil } from './fixtures-queue/spawn-worker.js';
import { clearRedisPrefix, createTestRedis, TEST_REDIS_URL, uniqueRedisPrefix } from './helpers/services.js';
import { startTcpProxy, type TcpProxy } from './helpers/tcp-proxy.js';

const log = createLogger({ level: 'silent', pretty: false });
const concurrency = Object.fromEntries(QUEUE_NAMES.map((q) => [q, 1])) as Record<QueueName, number>;

function capturingLogger() {
  const lines: { level: number; msg: string }[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { log: pino({ level: 'debug' }, sink), lines };
}

async function caught(work: Promise<unknown>): Promise<unknown> {
  try {
    await work;
    return undefined;
  } catch (err) {
    return err;
  }
}

describe('queue producers when Redis is unreachable', () => {
  const systems: QueueSystem[] = [];
  const prefix = uniqueRedisPrefix('qp');
  let proxy: TcpProxy | undefined;

  afterAll(async () => {
    for (const s of systems) await s.close(1_000);
    await proxy?.close();
    const redis = createTestRedis();
    await clearRedisPrefix(redis, prefix);
    redis.disconnect();
  });

  it('when Redis cannot be reached at all, then enqueue, counts and schedule syncs fail with ServiceUnavailableError instead of hanging', async () => {
    const system = createBullmqQueueSystem({ redisUrl: 'redis://127.0.0.1:1', prefix, log, concurrency });
    systems.push(system);
    for (const attempt of [
      system.enqueue('match', { itemIds: ['t3_a'] }),
      system.enqueueBulk('score', [{ payload: { leadIds: ['x'] } }]),
      system.counts(),
      system.syncSchedules('ingest', [{ id: 'r/saas', queue: 'ingest', everyMs: 60_000, payload: {} }]),
    ]) {
      const err = await caught(attempt);
      expect(err).toBeInstanceOf(ServiceUnavailableError);
      expect(err).toMatchObject({ status: 503, code: 'queue_unavailable' });
    }
  });

  it('when Redis goes away and comes back, then enqueue answers 503 meanwhile and works again without a new producer', async () => {
    const url = new URL(TEST_REDIS_URL);
    proxy = await startTcpProxy(url.hostname, Number(url.port || 6379));
    const system = createBullmqQueueSystem({ redisUrl: `redis://127.0.0.1:${proxy.port}`, prefix, log, concurrency });
    systems.push(system);
    await system.enqueue('match', { itemIds: ['t3_before'] });

    await proxy.cut();
    const err = await caught(system.enqueue('match', { itemIds: ['t3_during'] }));
    expect(err).toBeInstanceOf(ServiceUnavailableError);

    await proxy.restore();
    await waitUntil(() =>
      system.enqueue('match', { itemIds: ['t3_after'] }).then(
        () => true,
        () => false,
      ),
    );
    expect((await system.counts()).match.waiting).toBe(2);
  });
});

describe('Redis eviction policy check', () => {
  const stub = (config: () => Promise<unknown>) => ({ config }) as unknown as Pick<Redis, 'config'>;

  it('when maxmemory-policy evicts keys, then a loud warning names the policy', async () => {
    const { log: captured, lines } = capturingLogger();
    const policy = await checkRedisEvictionPolicy(
      stub(async () => ['maxmemory-policy', 'allkeys-lru']),
      captured,
    );
    expect(policy).toBe('allkeys-lru');
    expect(lines.find((l) => l.level === 40)?.msg).toMatch(/maxmemory-policy is "allkeys-lru", not "noeviction"/);
  });

  it('when CONFIG GET is refused, then it warns that the policy could not be checked', async () => {
    const { log: captured, lines } = capturingLogger();
    const policy = await checkRedisEvictionPolicy(
      stub(async () => {
        throw new Error("ERR unknown command 'CONFIG'");
      }),
      captured,
    );
    expect(policy).toBeUndefined();
    expect(lines.some((l) => l.level === 40 && /could not read Redis maxmemory-policy/.test(l.msg))).toBe(true);
  });

  it('when asked of the real Redis, then it reports its policy and warns only if it is not noeviction', async () => {
    const { log: captured, lines } = capturingLogger();
    const redis = createTestRedis();
    const policy = await checkRedisEvictionPolicy(redis, captured);
    redis.disconnect();
    expect(typeof policy).toBe('string');
    expect(lines.some((l) => l.level === 40)).toBe(policy !== 'noeviction');
  });
});
