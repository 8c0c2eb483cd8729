import { QUEUE_NAMES } from '../../config/env.js';
import { ServiceUnavailableError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { EnqueueOptions, JobDefinition, QueueName, QueueSystem, Schedule } from './queue.js';
import { backoffDelayMs, type QueuePolicy, resolveQueuePolicy, scheduleKey } from './queue-policy.js';
import { createJobRegistry, executeJob, type JobRegistry } from './registry.js';

export interface InlineQueueOptions {
  log: Logger;
  concurrency: Record<QueueName, number>;
  policy?: Partial<QueuePolicy>;
  now?: () => Date;
}

export interface InlineFailure {
  queue: QueueName;
  jobId: string;
  payload: unknown;
  attemptsMade: number;
  error: string;
  failedAt: Date;
}

/** The in-process runner plus what an embedded status page can show. */
export interface InlineQueueSystem extends QueueSystem {
  /** The most recent permanently failed jobs, oldest first, bounded by the policy. */
  failures(): readonly InlineFailure[];
}

interface InlineJob {
  id: string;
  dedupKey: string | undefined;
  queue: QueueName;
  payload: unknown;
  attempts: number;
  attemptsMade: number;
}

interface ActiveSchedule {
  group: string;
  schedule: Schedule;
  timer: NodeJS.Timeout;
}

function isPermanent(err: unknown): boolean {
  return err instanceof Error && err.name === 'UnrecoverableError';
}

function perQueue<T>(make: () => T): Record<QueueName, T> {
  return Object.fromEntries(QUEUE_NAMES.map((q) => [q, make()])) as Record<QueueName, T>;
}

/**
 * The embedded default: jobs run in this process with the same processors, retries and
 * backoff as BullMQ. Nothing survives a restart, which is the trade the single-machine
 * mode makes. Jobs for a queue nobody consumes yet are held until workers start.
 */
export function createInlineQueueSystem(opts: InlineQueueOptions): InlineQueueSystem {
  const log = opts.log.child({ component: 'queue', adapter: 'inline' });
  const policy = resolveQueuePolicy(opts.policy);
  const now = opts.now ?? (() => new Date());
  const ready = perQueue<InlineJob[]>(() => []);
  const active = perQueue(() => 0);
  const delayed = perQueue(() => 0);
  const pendingKeys = new Set<string>();
  const timers = new Set<NodeJS.Timeout>();
  const schedules = new Map<string, ActiveSchedule>();
  const failed: InlineFailure[] = [];
  const idleWaiters = new Set<() => void>();
  let registry: JobRegistry | undefined;
  let closing = false;
  let sequence = 0;

  const activeTotal = () => QUEUE_NAMES.reduce((n, q) => n + active[q], 0);

  function pump(queue: QueueName): void {
    if (!registry || closing || !registry.queues.includes(queue)) return;
    const list = ready[queue];
    while (active[queue] < Math.max(1, opts.concurrency[queue]) && list.length > 0) {
      const job = list.shift();
      if (job) void run(registry.get(queue), job);
    }
  }

  function push(job: InlineJob): void {
    ready[job.queue].push(job);
    pump(job.queue);
  }

  function later(job: InlineJob, delayMs: number): void {
    delayed[job.queue]++;
    const timer = setTimeout(() => {
      timers.delete(timer);
      delayed[job.queue]--;
      push(job);
    }, delayMs);
    timer.unref();
    timers.add(timer);
  }

  function finish(job: InlineJob): void {
    if (job.dedupKey) pendingKeys.delete(job.dedupKey);
  }

  function recordFailure(job: InlineJob, err: unknown): void {
    failed.push({
      queue: job.queue,
      jobId: job.id,
      payload: job.payload,
      attemptsMade: job.attemptsMade,
      error: err instanceof Error ? err.message : String(err),
      failedAt: now(),
    });
    if (failed.length > policy.keepFailed.count) failed.splice(0, failed.length - policy.keepFailed.count);
  }

  async function run(def: JobDefinition, job: InlineJob): Promise<void> {
    active[job.queue]++;
    const attempt = job.attemptsMade + 1;
    const jobLog = log.child({ queue: job.queue, jobId: job.id });
    try {
      await executeJob(def, job.payload, { jobId: job.id, attempt, log: jobLog });
      finish(job);
    } catch (err) {
      job.attemptsMade = attempt;
      if (isPermanent(err) || attempt >= job.attempts || closing) {
        jobLog.error({ err, attemptsMade: attempt }, 'job failed');
        recordFailure(job, err);
        finish(job);
      } else {
        const delayMs = backoffDelayMs(policy, attempt);
        jobLog.warn({ err, attemptsMade: attempt, retryInMs: delayMs }, 'job failed; will retry');
        later(job, delayMs);
      }
    } finally {
      active[job.queue]--;
      pump(job.queue);
      if (activeTotal() === 0) for (const wake of idleWaiters) wake();
    }
  }

  function enqueueOne(queue: QueueName, payload: unknown, o: EnqueueOptions = {}): void {
    if (closing) throw new ServiceUnavailableError('queue_unavailable', 'The job queue is shutting down.');
    const dedupKey = o.jobId === undefined ? undefined : `${queue}\u0000${o.jobId}`;
    if (dedupKey) {
      if (pendingKeys.has(dedupKey)) return;
      pendingKeys.add(dedupKey);
    }
    sequence++;
    const job: InlineJob = {
      id: o.jobId ?? `${queue}-${sequence}`,
      dedupKey,
      queue,
      payload,
      attempts: Math.max(1, o.attempts ?? policy.attempts),
      attemptsMade: 0,
    };
    if (o.delayMs && o.delayMs > 0) later(job, o.delayMs);
    else push(job);
  }

  function startSchedule(key: string, group: string, schedule: Schedule): ActiveSchedule {
    // A tick enqueues under the schedule's key, so a run still waiting or going swallows the next tick.
    const timer = setInterval(() => {
      try {
        enqueueOne(schedule.queue, schedule.payload, { jobId: key });
      } catch (err) {
        log.warn({ err, schedule: key }, 'scheduled run skipped');
      }
    }, schedule.everyMs);
    timer.unref();
    return { group, schedule, timer };
  }

  return {
    async enqueue(queue, payload, o) {
      enqueueOne(queue, payload, o);
    },

    async enqueueBulk(queue, jobs) {
      for (const j of jobs) enqueueOne(queue, j.payload, j.opts);
    },

    async syncSchedules(group, wanted) {
      const next = new Map(wanted.map((s) => [scheduleKey(group, s.id), s]));
      for (const [key, current] of schedules) {
        if (current.group !== group) continue;
        const desired = next.get(key);
        const same =
          desired !== undefined &&
          desired.queue === current.schedule.queue &&
          desired.everyMs === current.schedule.everyMs &&
          JSON.stringify(desired.payload) === JSON.stringify(current.schedule.payload);
        if (same) {
          next.delete(key);
          continue;
        }
        clearInterval(current.timer);
        schedules.delete(key);
      }
      if (closing) return;
      for (const [key, schedule] of next) schedules.set(key, startSchedule(key, group, schedule));
      log.debug({ group, schedules: wanted.length }, 'schedules synced');
    },

    async startWorkers(definitions, queues) {
      if (registry) throw new Error('Workers are already started in this process.');
      registry = createJobRegistry(definitions, queues);
      log.info({ queues: registry.queues }, 'workers started');
      for (const q of registry.queues) pump(q);
    },

    async counts() {
      return Object.fromEntries(
        QUEUE_NAMES.map((q) => [
          q,
          {
            waiting: ready[q].length,
            active: active[q],
            delayed: delayed[q],
            failed: failed.filter((f) => f.queue === q).length,
          },
        ]),
      ) as Awaited<ReturnType<QueueSystem['counts']>>;
    },

    failures() {
      return [...failed];
    },

    async close(timeoutMs) {
      closing = true;
      for (const s of schedules.values()) clearInterval(s.timer);
      schedules.clear();
      for (const t of timers) clearTimeout(t);
      timers.clear();
      const dropped = QUEUE_NAMES.reduce((n, q) => n + ready[q].length, 0);
      if (dropped > 0) log.warn({ dropped }, 'queued jobs dropped at shutdown');
      if (activeTotal() === 0) return;
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          idleWaiters.delete(done);
          resolve();
        };
        const timer = setTimeout(() => {
          log.warn({ active: activeTotal() }, 'shutdown timeout reached with jobs still running');
          done();
        }, timeoutMs);
        idleWaiters.add(done);
      });
    },
  };
}
