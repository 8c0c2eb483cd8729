import type { z } from 'zod';
import type { QueueName } from '../../config/env.js';
import type { Logger } from '../logger.js';

export type { QueueName };

/** Thrown by a processor for a failure no retry can fix; both adapters fail the job at once. */
export { UnrecoverableError } from 'bullmq';

export interface EnqueueOptions {
  /** Deterministic id: a second enqueue with the same id while the first is not finished (waiting, delayed, running) is a no-op. */
  jobId?: string;
  delayMs?: number;
  attempts?: number;
}

/** The producer side, all that services need. */
export interface QueueProducer {
  enqueue(queue: QueueName, payload: unknown, opts?: EnqueueOptions): Promise<void>;
  enqueueBulk(queue: QueueName, jobs: readonly { payload: unknown; opts?: EnqueueOptions }[]): Promise<void>;
}

export interface JobContext {
  jobId: string;
  attempt: number;
  log: Logger;
}

/** One queue's contract: the payload it accepts and the code that runs it. */
export interface JobDefinition<S extends z.ZodType = z.ZodType> {
  queue: QueueName;
  payload: S;
  process(payload: z.infer<S>, ctx: JobContext): Promise<void>;
}

export interface Schedule {
  /** Stable id: upserting the same id replaces the schedule instead of adding one. */
  id: string;
  queue: QueueName;
  everyMs: number;
  payload: unknown;
}

/** The full port the composition root holds: produce, schedule, consume, close. */
export interface QueueSystem extends QueueProducer {
  /** Makes the set of schedules exactly `schedules`: adds, updates, removes. */
  syncSchedules(group: string, schedules: readonly Schedule[]): Promise<void>;
  startWorkers(definitions: readonly JobDefinition[], queues: readonly QueueName[]): Promise<void>;
  /** Queue depths for status pages and metrics. */
  counts(): Promise<Record<QueueName, { waiting: number; active: number; delayed: number; failed: number }>>;
  /** Stops taking jobs, waits for active ones (bounded), closes connections. */
  close(timeoutMs: number): Promise<void>;
}

/** Helper so modules declare jobs with the payload type inferred from the schema. */
export function defineJob<S extends z.ZodType>(def: JobDefinition<S>): JobDefinition<S> {
  return def;
}
