import { z } from 'zod';
import { defineJob, UnrecoverableError } from '../../platform/queue/queue.js';
import type { NotifyService } from './notify.service.js';

export const notifyPayload = z.object({ leadIds: z.array(z.string().uuid()).min(1).max(500) });
export type NotifyPayload = z.infer<typeof notifyPayload>;

/**
 * The `notify` queue, fed by scoring with the leads at or above their campaign threshold.
 * A delivery that may pass later makes the job throw so the queue retries it (sent ones are
 * skipped on the retry); when only permanent failures are left, the job fails at once.
 */
export function createNotifyJob(deps: { notify: Pick<NotifyService, 'notifyLeads'> }) {
  return defineJob({
    queue: 'notify',
    payload: notifyPayload,
    async process(payload, ctx) {
      const summary = await deps.notify.notifyLeads(payload.leadIds);
      ctx.log.info({ jobId: ctx.jobId, attempt: ctx.attempt, ...summary }, 'notify job done');
      if (summary.retrying > 0) throw new Error(`${summary.retrying} alert deliveries failed; retrying`);
      if (summary.failed > 0) throw new UnrecoverableError(`${summary.failed} alert deliveries refused by their channel`);
    },
  });
}

/** What the maintenance job calls on its schedule (every few minutes): send due digests. */
export function createDigestTask(deps: { notify: Pick<NotifyService, 'sendDigests'>; now?: () => Date }) {
  const now = deps.now ?? (() => new Date());
  return async function sendDigests() {
    return deps.notify.sendDigests(now());
  };
}
