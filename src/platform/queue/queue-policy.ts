import type { Env, QueueName } from '../../config/env.js';

/**
 * The retry, backoff and retention rules both queue adapters apply, from one place, so a
 * processor behaves the same in the embedded runner and on BullMQ.
 */
export interface QueuePolicy {
  /** Total runs of a job before it is failed for good (first run included). */
  attempts: number;
  /** Exponential backoff: the n-th retry waits backoffBaseMs * 2^(n-1). */
  backoffBaseMs: number;
  /** Completed jobs are dropped after this age or beyond this count, whichever comes first. */
  keepCompleted: { ageSeconds: number; count: number };
  /** Failed jobs are kept for inspection, bounded by count. */
  keepFailed: { count: number };
}

export const DEFAULT_QUEUE_POLICY: QueuePolicy = Object.freeze({
  attempts: 5,
  backoffBaseMs: 2_000,
  keepCompleted: Object.freeze({ ageSeconds: 3_600, count: 1_000 }),
  keepFailed: Object.freeze({ count: 5_000 }),
});

export function resolveQueuePolicy(overrides: Partial<QueuePolicy> = {}): QueuePolicy {
  return { ...DEFAULT_QUEUE_POLICY, ...overrides };
}

/** Delay before the retry that follows `attemptsMade` failed runs; the same formula as BullMQ's `exponential`. */
export function backoffDelayMs(policy: QueuePolicy, attemptsMade: number): number {
  return Math.round(2 ** Math.max(0, attemptsMade - 1) * policy.backoffBaseMs);
}

export type ConcurrencyEnv = Pick<
  Env,
  | 'CONCURRENCY_INGEST'
  | 'CONCURRENCY_MATCH'
  | 'CONCURRENCY_SCORE'
  | 'CONCURRENCY_NOTIFY'
  | 'CONCURRENCY_REPLY'
  | 'CONCURRENCY_SCRAPE'
  | 'CONCURRENCY_MAINTENANCE'
>;

/** Per-queue worker concurrency from the CONCURRENCY_* settings. */
export function queueConcurrency(env: ConcurrencyEnv): Record<QueueName, number> {
  return {
    ingest: env.CONCURRENCY_INGEST,
    match: env.CONCURRENCY_MATCH,
    score: env.CONCURRENCY_SCORE,
    notify: env.CONCURRENCY_NOTIFY,
    reply: env.CONCURRENCY_REPLY,
    scrape: env.CONCURRENCY_SCRAPE,
    maintenance: env.CONCURRENCY_MAINTENANCE,
  };
}

/** Scheduler ids are namespaced by group so a sync only ever removes its own group's schedules. */
export function scheduleKey(group: string, id: string): string {
  return id.startsWith(`${group}:`) ? id : `${group}:${id}`;
}
