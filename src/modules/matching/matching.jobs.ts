import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { Db } from '../../platform/db/client.js';
import type { Logger } from '../../platform/logger.js';
import { defineJob, type QueueProducer } from '../../platform/queue/queue.js';
import type { MatcherProvider } from './matcher-provider.js';
import { insertLeads, loadItems, type NewLead } from './matching.repo.js';

export const matchPayload = z.object({ itemIds: z.array(z.string()).min(1).max(1000) });
export type MatchPayload = z.infer<typeof matchPayload>;

/** Leads per score job: keeps one AI batch run short and its payload small. */
export const SCORE_JOB_SIZE = 100;

/** The same set of leads always gives the same job id, so a re-run enqueues nothing new. */
export function scoreJobId(leadIds: readonly string[]): string {
  const digest = createHash('sha256').update([...leadIds].sort().join(',')).digest('hex');
  return `score-${digest.slice(0, 32)}`;
}

export interface MatchJobDeps {
  db: Db;
  matcherProvider: Pick<MatcherProvider, 'get'>;
  queue: Pick<QueueProducer, 'enqueueBulk'>;
  log: Pick<Logger, 'debug' | 'info'>;
}

/** match(itemIds): stored items -> compiled matcher -> pending leads -> score jobs. Safe to run twice. */
export function createMatchJob({ db, matcherProvider, queue, log }: MatchJobDeps) {
  return defineJob({
    queue: 'match',
    payload: matchPayload,
    async process({ itemIds }) {
      const [items, matcher] = await Promise.all([loadItems(db, itemIds), matcherProvider.get()]);
      const rows: NewLead[] = [];
      for (const item of items) {
        for (const m of matcher.match(item)) {
          rows.push({ campaignId: m.campaignId, itemId: item.fullname, matchedTerms: m.matchedTerms });
        }
      }
      const leadIds = await insertLeads(db, rows);
      if (leadIds.length > 0) {
        const sorted = [...leadIds].sort();
        const jobs = [];
        for (let i = 0; i < sorted.length; i += SCORE_JOB_SIZE) {
          const chunk = sorted.slice(i, i + SCORE_JOB_SIZE);
          jobs.push({ payload: { leadIds: chunk }, opts: { jobId: scoreJobId(chunk) } });
        }
        await queue.enqueueBulk('score', jobs);
      }
      log.debug(
        { items: items.length, missing: itemIds.length - items.length, matches: rows.length, created: leadIds.length, version: matcher.version },
        'match batch done',
      );
    },
  });
}
