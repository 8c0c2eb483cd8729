import { type Job, type JobsOptions, Queue, Worker } from 'bullmq';
import { QUEUE_NAMES } from '../../config/env.js';
import { ServiceUnavailableError } from '../errors.js';
import type { Logger } from '../logger.js';
import { createRedis, type Redis } from '../redis.js';
import type { EnqueueOptions, JobDefinition, QueueName, QueueSystem } from './queue.js';
import { type QueuePolicy, resolveQueuePolicy, scheduleKey } from './queue-policy.js';
import { createJobRegistry, executeJob } from './registry.js';

export interface BullmqQueueOptions {
  redisUrl: string;
  /** Key prefix; keep a hash tag such as `{subscout}` so every key of a queue lands on one Cluster slot. */
  prefix: string;
  log: Logger;
  concurrency: Record<QueueName, number>;
  policy?: Partial<QueuePolicy>;
  /** How often workers look for jobs whose worker died (BullMQ default 30 s). */
  stalledIntervalMs?: number;
  /** How long a worker's lock on a job lives without renewal (BullMQ default 30 s). */
  lockDurationMs?: number;
  /** How many times a job may stall before it is failed instead of retried. */
  maxStalledCount?: number;
  /** Upper bound on an enqueue or a count before answering "unavailable" (default 750 ms). */
  producerTimeoutMs?: number;
  /** Upper bound on a schedule sync (default 10 s). */
  scheduleTimeoutMs?: number;
  /** Shown in the dashboard next to the jobs this process runs. */
  workerName?: string;
}

const UNAVAILABLE_MESSAGE = 'The job queue is unavailable; try again shortly.';
const CONNECTION_FAILURE =
  /Connection is closed|Stream isn't writeable|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|Command timed out|MaxRetriesPerRequest|LOADING|READONLY|OOM command not allowed/i;

/** The BullMQ system, plus its Queue objects for the dashboard. */
export interface BullmqQueueSystem extends QueueSystem {
  /** One Queue per known queue name, on the fail-fast producer connection. */
  queues(): readonly Queue[];
}

function unavailable(): ServiceUnavailableError {
  return new ServiceUnavailableError('queue_unavailable', UNAVAILABLE_MESSAGE);
}

/** Resolves false when `work` settles within `ms`, true when the deadline came first. */
async function timedOut(work: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<true>((resolve) => {
    timer = setTimeout(() => resolve(true), ms);
  });
  try {
    return await Promise.race([work.then(() => false as const), deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The distributed adapter: BullMQ on Redis. Producers use a fail-fast connection and turn
 * any Redis outage into ServiceUnavailableError within producerTimeoutMs; workers use a
 * connection that waits and reconnects forever, so a Redis restart needs no process restart.
 */
export function createBullmqQueueSystem(opts: BullmqQueueOptions): BullmqQueueSystem {
  const log = opts.log.child({ component: 'queue', adapter: 'bullmq' });
  const policy = resolveQueuePolicy(opts.policy);
  const producerTimeoutMs = opts.producerTimeoutMs ?? 750;
  const scheduleTimeoutMs = opts.scheduleTimeoutMs ?? 10_000;
  if (!/\{[^}]+\}/.test(opts.prefix)) {
    log.warn({ prefix: opts.prefix }, 'queue prefix has no {hash tag}; BullMQ will not work on Redis Cluster');
  }
  const producer = createRedis(opts.redisUrl, 'producer');
  const queues = new Map<QueueName, Queue>();
  const workers: Worker[] = [];
  let workerRedis: Redis | undefined;
  let closed = false;

  const jobOptions: JobsOptions = {
    attempts: policy.attempts,
    backoff: { type: 'exponential', delay: policy.backoffBaseMs },
    removeOnComplete: { age: policy.keepCompleted.ageSeconds, count: policy.keepCompleted.count },
    removeOnFail: { count: policy.keepFailed.count },
  };

  function queueFor(name: QueueName): Queue {
    const existing = queues.get(name);
    if (existing) return existing;
    const queue = new Queue(name, { connection: producer, prefix: opts.prefix, defaultJobOptions: jobOptions });
    // Outages are reported by the calls that fail; the queue's own error events would only repeat them.
    queue.on('error', (err) => log.debug({ err, queue: name }, 'queue connection error'));
    // A queue whose start-up failed stays broken; forget it so the next call builds a fresh one.
    queue.waitUntilReady().catch(() => {
      if (queues.get(name) === queue) queues.delete(name);
      void queue.close().catch(() => {});
    });
    queues.set(name, queue);
    return queue;
  }

  /** Resolves once the producer is connected; rejects at once when it is between reconnect attempts. */
  function connected(): Promise<void> {
    if (closed) return Promise.reject(unavailable());
    if (producer.status === 'ready') return Promise.resolve();
    // A connection being opened (at boot, or a reconnect attempt) gets the call's deadline; an
    // outage the client already knows about fails at once.
    if (producer.status !== 'wait' && producer.status !== 'connecting' && producer.status !== 'connect') {
      return Promise.reject(unavailable());
    }
    return new Promise<void>((resolve, reject) => {
      const onReady = () => {
        producer.off('close', onClose);
        resolve();
      };
      const onClose = () => {
        producer.off('ready', onReady);
        reject(unavailable());
      };
      producer.once('ready', onReady);
      producer.once('close', onClose);
    });
  }

  /** Runs a producer call, answering ServiceUnavailableError quickly when Redis is down and never hanging. */
  async function produce<T>(work: () => Promise<T>, timeoutMs = producerTimeoutMs): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const pending = connected().then(work);
    // The deadline may win; the late outcome must not become an unhandled rejection.
    pending.catch(() => {});
    try {
      return await Promise.race([
        pending,
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(unavailable()), timeoutMs);
        }),
      ]);
    } catch (err) {
      if (err instanceof ServiceUnavailableError) throw err;
      if (producer.status !== 'ready' || (err instanceof Error && CONNECTION_FAILURE.test(err.message))) {
        log.warn({ err }, 'queue unavailable');
        throw unavailable();
      }
      throw err;
    } finally {
      clearTimeout(timer);
    }
  }

  function toJob(queue: QueueName, payload: unknown, o: EnqueueOptions = {}) {
    return {
      name: queue,
      data: payload,
      opts: {
        ...(o.jobId === undefined ? {} : { deduplication: { id: o.jobId } }),
        ...(o.delayMs ? { delay: o.delayMs } : {}),
        ...(o.attempts ? { attempts: o.attempts } : {}),
      } satisfies JobsOptions,
    };
  }

  function startWorker(def: JobDefinition, queue: QueueName, connection: Redis): Worker {
    const worker = new Worker(
      queue,
      async (job: Job) => {
        const jobId = job.id ?? '';
        await executeJob(def, job.data, {
          jobId,
          attempt: job.attemptsMade + 1,
          log: log.child({ queue, jobId }),
        });
      },
      {
        connection,
        prefix: opts.prefix,
        concurrency: Math.max(1, opts.concurrency[queue]),
        ...(opts.workerName ? { name: opts.workerName } : {}),
        ...(opts.stalledIntervalMs ? { stalledInterval: opts.stalledIntervalMs } : {}),
        ...(opts.lockDurationMs ? { lockDuration: opts.lockDurationMs } : {}),
        ...(opts.maxStalledCount ? { maxStalledCount: opts.maxStalledCount } : {}),
      },
    );
    worker.on('failed', (job, err) => {
      const attemptsMade = job?.attemptsMade ?? 0;
      const final = err.name === 'UnrecoverableError' || attemptsMade >= (job?.opts.attempts ?? 1);
      const fields = { err, queue, jobId: job?.id, attemptsMade };
      if (final) log.error(fields, 'job failed');
      else log.warn(fields, 'job failed; will retry');
    });
    worker.on('error', (err) => log.warn({ err, queue }, 'worker error; reconnecting'));
    return worker;
  }

  return {
    async enqueue(queue, payload, o) {
      await produce(() => queueFor(queue).add(queue, payload, toJob(queue, payload, o).opts));
    },

    async enqueueBulk(queue, jobs) {
      if (jobs.length === 0) return;
      await produce(() => queueFor(queue).addBulk(jobs.map((j) => toJob(queue, j.payload, j.opts))));
    },

    async syncSchedules(group, schedules) {
      const wanted = new Map(schedules.map((s) => [scheduleKey(group, s.id), s]));
      await produce(async () => {
        let removed = 0;
        let upserted = 0;
        const kept = new Set<string>();
        for (const name of QUEUE_NAMES) {
          const queue = queueFor(name);
          for (const existing of await queue.getJobSchedulers(0, -1)) {
            if (!existing.key.startsWith(`${group}:`)) continue;
            const desired = wanted.get(existing.key);
            if (desired?.queue !== name) {
              await queue.removeJobScheduler(existing.key);
              removed++;
            } else if (
              desired.everyMs === existing.every &&
              JSON.stringify(desired.payload) === JSON.stringify(existing.template?.data)
            ) {
              // Unchanged: upserting again would only churn the pending run.
              kept.add(existing.key);
            }
          }
        }
        for (const [key, s] of wanted) {
          if (kept.has(key)) continue;
          await queueFor(s.queue).upsertJobScheduler(
            key,
            { every: s.everyMs },
            { name: s.queue, data: s.payload, opts: jobOptions },
          );
          upserted++;
        }
        log.debug({ group, wanted: wanted.size, upserted, removed }, 'schedules synced');
      }, scheduleTimeoutMs);
    },

    async startWorkers(definitions, consumed) {
      if (closed) throw unavailable();
      if (workers.length > 0) throw new Error('Workers are already started in this process.');
      const registry = createJobRegistry(definitions, consumed);
      if (registry.queues.length === 0) return;
      workerRedis = createRedis(opts.redisUrl, 'worker');
      for (const queue of registry.queues) workers.push(startWorker(registry.get(queue), queue, workerRedis));
      log.info({ queues: registry.queues }, 'workers started');
    },

    async counts() {
      return produce(async () => {
        const entries = await Promise.all(
          QUEUE_NAMES.map(async (name) => {
            const c = await queueFor(name).getJobCounts('waiting', 'prioritized', 'active', 'delayed', 'failed');
            const waiting = (c['waiting'] ?? 0) + (c['prioritized'] ?? 0);
            return [name, { waiting, active: c['active'] ?? 0, delayed: c['delayed'] ?? 0, failed: c['failed'] ?? 0 }];
          }),
        );
        return Object.fromEntries(entries) as Awaited<ReturnType<QueueSystem['counts']>>;
      });
    },

    queues() {
      return QUEUE_NAMES.map(queueFor);
    },

    async close(timeoutMs) {
      if (closed) return;
      closed = true;
      // Workers first: they stop fetching and finish what they hold, within the bound.
      if (await timedOut(Promise.all(workers.map((w) => w.close())), timeoutMs)) {
        log.warn({ timeoutMs }, 'active jobs did not finish in time; other workers will pick them up after the stall interval');
        await timedOut(Promise.all(workers.map((w) => w.close(true))), 1_000);
      }
      await timedOut(Promise.all([...queues.values()].map((q) => q.close())), 1_000);
      queues.clear();
      producer.disconnect();
      workerRedis?.disconnect();
    },
  };
}
