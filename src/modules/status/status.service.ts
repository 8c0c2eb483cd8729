import type { Db } from '../../platform/db/client.js';
import type { QueueSystem } from '../../platform/queue/queue.js';
import { listStreams } from './status.repo.js';
import type { SystemStatus } from './status.schemas.js';

export interface StatusServiceDeps {
  db: Db;
  queue: Pick<QueueSystem, 'counts'>;
  /** The Reddit API client's budget and breaker, when Subscout reads Reddit through it. */
  redditHealth?: () => Promise<{ breaker: string; budget: { remaining: number; used: number; resetAt: number } | null }>;
  /** The AI provider's breaker state ("closed", "open", "half-open"), or a note when no provider is used. */
  aiBreakerState: () => string;
  now: () => Date;
}

/** What an admin needs to see that the pipeline is healthy: queue depths, Reddit budget, AI breaker, stream lag. */
export function createStatusService(deps: StatusServiceDeps) {
  return {
    async status(): Promise<SystemStatus> {
      const now = deps.now();
      const [counts, streams, reddit] = await Promise.all([
        deps.queue.counts().catch(() => undefined),
        listStreams(deps.db),
        deps.redditHealth?.(),
      ]);
      return {
        queues: Object.entries(counts ?? {}).map(([name, c]) => ({ name, ...c })),
        reddit_budget:
          reddit?.budget != null
            ? {
                remaining: reddit.budget.remaining,
                limit: reddit.budget.remaining + reddit.budget.used,
                reset_at: new Date(reddit.budget.resetAt).toISOString(),
                breaker: reddit.breaker,
              }
            : null,
        ai_breaker: { state: deps.aiBreakerState() },
        streams: streams
          .filter((s) => s.active)
          .map((s) => ({
            key: s.key,
            lag_seconds: s.lastPolledAt ? Math.max(0, Math.round((now.getTime() - s.lastPolledAt.getTime()) / 1000)) : null,
            last_polled_at: s.lastPolledAt?.toISOString() ?? null,
            newest_item_at: s.newestCreatedUtc?.toISOString() ?? null,
            items_per_minute: s.itemsPerMinute,
            poll_interval_s: Math.round(s.pollIntervalMs / 1000),
            last_error: s.lastError,
          })),
      };
    },
  };
}

export type StatusService = ReturnType<typeof createStatusService>;
