import { createHash } from 'node:crypto';
import type { QueueProducer } from '../../platform/queue/queue.js';

/** Largest batch of item ids one match job receives. */
export const MATCH_BATCH = 500;

/**
 * The job id depends only on the ids it carries, so handing the same batch over twice (a
 * retried poll, a re-run import) queues it once.
 */
export function matchJobId(itemIds: readonly string[]): string {
  const digest = createHash('sha1').update(itemIds.join(',')).digest('hex').slice(0, 24);
  return `match-${digest}`;
}

/** Hands newly stored items to matching in batches of at most MATCH_BATCH ids. */
export async function enqueueMatch(queue: QueueProducer, itemIds: readonly string[]): Promise<number> {
  if (itemIds.length === 0) return 0;
  const jobs: { payload: { itemIds: string[] }; opts: { jobId: string } }[] = [];
  for (let i = 0; i < itemIds.length; i += MATCH_BATCH) {
    const batch = itemIds.slice(i, i + MATCH_BATCH);
    jobs.push({ payload: { itemIds: batch }, opts: { jobId: matchJobId(batch) } });
  }
  if (jobs.length === 1) await queue.enqueue('match', jobs[0]!.payload, jobs[0]!.opts);
  else await queue.enqueueBulk('match', jobs);
  return jobs.length;
}
