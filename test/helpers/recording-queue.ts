import type { QueueName } from '../../src/config/env.js';
import type { EnqueueOptions, QueueProducer } from '../../src/platform/queue/queue.js';

/** A producer from one enqueue function; a bulk enqueue goes through it job by job, in order. */
export function producerFrom(enqueue: QueueProducer['enqueue']): QueueProducer {
  return {
    enqueue,
    async enqueueBulk(queue, jobs) {
      for (const j of jobs) await enqueue(queue, j.payload, j.opts);
    },
  };
}

export interface RecordedJob {
  queue: QueueName;
  payload: unknown;
  opts?: EnqueueOptions | undefined;
}

/** Records what the code under test enqueues; the real queue adapters have their own tests. */
export function recordingQueue(): { jobs: RecordedJob[]; producer: QueueProducer } {
  const jobs: RecordedJob[] = [];
  const producer = producerFrom(async (queue, payload, opts) => {
    jobs.push({ queue, payload, opts });
  });
  return { jobs, producer };
}
