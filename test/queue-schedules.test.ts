import { afterAll, describe, expect, it } from 'vitest';
import { spawnWorker, stopWorker, type WorkerProcess } from './fixtures-queue/spawn-worker.js';
import { clearRedisPrefix, createTestRedis, TEST_REDIS_URL, uniqueRedisPrefix } from './helpers/services.js';

const INTERVAL_MS = 1_000;
const OBSERVE_MS = 6_000;
const STREAMS = ['r/saas', 'r/startups+r/smallbusiness'];

interface Run {
  stream: string;
  jobId: string;
  at: number;
  pid: number;
}

describe('job schedulers with several worker processes', () => {
  const prefix = uniqueRedisPrefix('qsch');
  const redis = createTestRedis();
  const workers: WorkerProcess[] = [];

  afterAll(async () => {
    for (const w of workers) await stopWorker(w);
    await clearRedisPrefix(redis, prefix);
    redis.disconnect();
  });

  it('when three workers each sync the same schedules, then every stream runs once per interval, never twice', async () => {
    const schedules = STREAMS.map((stream) => ({ id: stream, queue: 'ingest', everyMs: INTERVAL_MS, payload: { stream } }));
    const env = {
      FIXTURE_MODE: 'runs',
      REDIS_URL: TEST_REDIS_URL,
      QUEUE_PREFIX: prefix,
      SCHEDULES: JSON.stringify(schedules),
    };
    const startedAt = Date.now();
    workers.push(...(await Promise.all([spawnWorker(env), spawnWorker(env), spawnWorker(env)])));
    await new Promise((r) => setTimeout(r, OBSERVE_MS));
    await Promise.all(
      workers.map((w) => {
        w.child.kill('SIGTERM');
        return w.exited;
      }),
    );
    const stoppedAt = Date.now();

    const runs = (await redis.lrange(`${prefix}:fixture:runs`, 0, -1)).map((r) => JSON.parse(r) as Run);
    const pids = new Set(runs.map((r) => r.pid));
    expect(pids.size).toBeGreaterThan(1);
    for (const stream of STREAMS) {
      const mine = runs.filter((r) => r.stream === stream);
      // A scheduled job's id carries the time slot it was planned for: repeat:<scheduler>:<millis>.
      const planned = mine.map((r) => Number(r.jobId.split(':').at(-1))).sort((x, y) => x - y);
      expect(new Set(mine.map((r) => r.jobId)).size).toBe(mine.length);
      // Every run sits on the schedule's grid, one per slot: none repeated, none in between.
      const offsets = planned.map((ms) => (ms - planned[0]!) / INTERVAL_MS);
      expect(offsets.every(Number.isInteger)).toBe(true);
      expect(new Set(offsets).size).toBe(offsets.length);
      // At least one run per interval while all three were up; never more runs than intervals elapsed.
      expect(mine.length).toBeGreaterThanOrEqual(OBSERVE_MS / INTERVAL_MS - 2);
      expect(mine.length).toBeLessThanOrEqual(Math.floor((stoppedAt - startedAt) / INTERVAL_MS) + 1);
    }
  }, 150_000);
});
