import { z } from 'zod';
import type { Db } from '../../platform/db/client.js';
import { defineJob, type Schedule } from '../../platform/queue/queue.js';
import { pruneUnreferencedItems } from './maintenance.repo.js';

export const MAINTENANCE_TASKS = ['prune_items', 'rescore_unscored', 'send_digests'] as const;
export type MaintenanceTask = (typeof MAINTENANCE_TASKS)[number];

export interface MaintenanceDeps {
  db: Db;
  retentionDays: number;
  /** Rescores leads whose AI score failed; returns a summary for the log. */
  rescoreUnscored(): Promise<{ leads: number }>;
  /** Sends the hourly digests that are due; each window is sent once however often this runs. */
  sendDigests(): Promise<unknown>;
  now?: () => Date;
}

/** Periodic housekeeping. Each task is idempotent: a second run finds nothing left to do. */
export function createMaintenanceJob(deps: MaintenanceDeps) {
  const now = deps.now ?? (() => new Date());
  return defineJob({
    queue: 'maintenance',
    payload: z.object({ task: z.enum(MAINTENANCE_TASKS) }),
    async process({ task }, ctx) {
      if (task === 'prune_items') {
        const before = new Date(now().getTime() - deps.retentionDays * 86_400_000);
        const pruned = await pruneUnreferencedItems(deps.db, before);
        ctx.log.info({ pruned, before }, 'pruned old reddit items');
      } else if (task === 'rescore_unscored') {
        const summary = await deps.rescoreUnscored();
        if (summary.leads > 0) ctx.log.info(summary, 'rescored unscored leads');
      } else {
        await deps.sendDigests();
      }
    },
  });
}

export function maintenanceSchedules(): Schedule[] {
  return [
    { id: 'maintenance:prune_items', queue: 'maintenance', everyMs: 60 * 60_000, payload: { task: 'prune_items' } },
    {
      id: 'maintenance:rescore_unscored',
      queue: 'maintenance',
      everyMs: 5 * 60_000,
      payload: { task: 'rescore_unscored' },
    },
    { id: 'maintenance:send_digests', queue: 'maintenance', everyMs: 5 * 60_000, payload: { task: 'send_digests' } },
  ];
}
