import { z } from 'zod';
import { defineJob } from '../../platform/queue/queue.js';
import type { ScoringService } from './scoring.service.js';

export const scorePayload = z.object({ leadIds: z.array(z.string().uuid()).min(1).max(500) });
export type ScorePayload = z.infer<typeof scorePayload>;

/** The `score` queue: the match job enqueues the leads it inserted as pending. */
export function createScoreJob(deps: { scoring: Pick<ScoringService, 'scoreLeads'> }) {
  return defineJob({
    queue: 'score',
    payload: scorePayload,
    async process(payload, ctx) {
      const summary = await deps.scoring.scoreLeads(payload.leadIds);
      ctx.log.info({ jobId: ctx.jobId, ...summary }, 'score job done');
    },
  });
}

/** What the maintenance job calls on its schedule: rescore leads left unscored while the provider was down. */
export function createRescoreTask(deps: { scoring: Pick<ScoringService, 'rescoreUnscored'>; batchLimit?: number }) {
  const limit = deps.batchLimit ?? 200;
  return async function rescoreUnscoredLeads() {
    return deps.scoring.rescoreUnscored(limit);
  };
}
