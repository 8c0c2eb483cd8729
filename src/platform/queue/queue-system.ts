import type { Env } from '../../config/env.js';
import type { Logger } from '../logger.js';
import { type BullmqQueueSystem, createBullmqQueueSystem } from './bullmq-queue.js';
import { createInlineQueueSystem } from './inline-queue.js';
import type { QueueSystem } from './queue.js';
import { type ConcurrencyEnv, queueConcurrency } from './queue-policy.js';

type QueueEnv = Pick<Env, 'REDIS_URL' | 'REDIS_PREFIX'> & ConcurrencyEnv;

export interface QueueSystemChoice {
  system: QueueSystem;
  /** Present in distributed mode only: the BullMQ side, for the /admin/queues dashboard. */
  bullmq: BullmqQueueSystem | undefined;
}

/** For composition roots: BullMQ when REDIS_URL is set, else the in-process runner. */
export function createQueueSystemFromEnv(env: QueueEnv, log: Logger, workerName?: string): QueueSystemChoice {
  const concurrency = queueConcurrency(env);
  if (env.REDIS_URL) {
    const bullmq = createBullmqQueueSystem({
      redisUrl: env.REDIS_URL,
      prefix: env.REDIS_PREFIX,
      log,
      concurrency,
      ...(workerName ? { workerName } : {}),
    });
    return { system: bullmq, bullmq };
  }
  return { system: createInlineQueueSystem({ log, concurrency }), bullmq: undefined };
}
