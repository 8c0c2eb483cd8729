import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { QUEUE_NAMES, type QueueName } from '../../config/env.js';
import { createLogger } from '../logger.js';
import { createInlineQueueSystem } from './inline-queue.js';
import { defineJob } from './queue.js';

const log = createLogger({ level: 'silent', pretty: false });
const concurrency = Object.fromEntries(QUEUE_NAMES.map((q) => [q, 3])) as Record<QueueName, number>;

async function until(check: () => boolean): Promise<void> {
  while (!check()) await sleep(10);
}

describe('inline queue runner', () => {
  it('when a scheduled run outlasts its interval, then ticks are skipped instead of overlapping', async () => {
    const system = createInlineQueueSystem({ log, concurrency });
    let running = 0;
    let maxRunning = 0;
    let runs = 0;
    await system.startWorkers(
      [
        defineJob({
          queue: 'ingest',
          payload: z.object({ stream: z.string() }),
          async process() {
            running++;
            maxRunning = Math.max(maxRunning, running);
            await sleep(120);
            running--;
            runs++;
          },
        }),
      ],
      ['ingest'],
    );
    await system.syncSchedules('ingest', [{ id: 'r/saas', queue: 'ingest', everyMs: 20, payload: { stream: 'r/saas' } }]);
    await until(() => runs >= 3);
    await system.close(1_000);
    expect(maxRunning).toBe(1);
  });

  it('when more jobs arrive than the queue concurrency, then at most that many run at once', async () => {
    const system = createInlineQueueSystem({ log, concurrency });
    let running = 0;
    let maxRunning = 0;
    let done = 0;
    await system.startWorkers(
      [
        defineJob({
          queue: 'match',
          payload: z.object({ n: z.number() }),
          async process() {
            running++;
            maxRunning = Math.max(maxRunning, running);
            await sleep(5);
            running--;
            done++;
          },
        }),
      ],
      ['match'],
    );
    await system.enqueueBulk('match', Array.from({ length: 20 }, (_, n) => ({ payload: { n } })));
    await until(() => done === 20);
    expect(maxRunning).toBe(3);
  });

  it('when closing with a job running, then close waits for it and later enqueues are refused as unavailable', async () => {
    const system = createInlineQueueSystem({ log, concurrency });
    let finished = false;
    let started = false;
    await system.startWorkers(
      [
        defineJob({
          queue: 'notify',
          payload: z.object({}),
          async process() {
            started = true;
            await sleep(100);
            finished = true;
          },
        }),
      ],
      ['notify'],
    );
    await system.enqueue('notify', {});
    await until(() => started);
    await system.close(5_000);
    expect(finished).toBe(true);
    await expect(system.enqueue('notify', {})).rejects.toMatchObject({ status: 503, code: 'queue_unavailable' });
  });

  it('when jobs fail for good, then only the most recent ones are kept, up to the policy bound', async () => {
    const system = createInlineQueueSystem({ log, concurrency, policy: { attempts: 1, keepFailed: { count: 2 } } });
    await system.startWorkers(
      [
        defineJob({
          queue: 'reply',
          payload: z.object({ n: z.number() }),
          async process({ n }) {
            throw new Error(`boom ${n}`);
          },
        }),
      ],
      ['reply'],
    );
    for (const n of [1, 2, 3]) await system.enqueue('reply', { n });
    await until(() => system.failures().length === 2 && system.failures()[1]?.error === 'boom 3');
    expect(system.failures().map((f) => f.error)).toEqual(['boom 2', 'boom 3']);
    await system.close(1_000);
  });
});
