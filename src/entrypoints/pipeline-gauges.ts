import type { Metrics } from '../platform/metrics.js';
import type { QueueSystem } from '../platform/queue/queue.js';
import type { RedditClient } from '../reddit/client.js';

const BREAKER_STATES: Record<number, string> = { 0: 'closed', 1: 'open', 2: 'half-open', 3: 'isolated' };

/** cockatiel's CircuitState as a word for status pages. */
export function breakerStateName(state: number): string {
  return BREAKER_STATES[state] ?? 'unknown';
}

/** Gauges read at scrape time: queue depths, the AI breaker, the Reddit budget. */
export function registerPipelineGauges(
  metrics: Metrics,
  deps: { queue: Pick<QueueSystem, 'counts'>; scorer: { breaker?: { state: number } }; reddit: RedditClient | undefined },
): void {
  metrics.addGauge('subscout_queue_jobs', 'Jobs per queue and state', ['queue', 'state'], async () => {
    const counts = await deps.queue.counts();
    return Object.entries(counts).flatMap(([q, c]) =>
      Object.entries(c).map(([state, value]) => ({ labels: { queue: q, state }, value })),
    );
  });
  const breaker = deps.scorer.breaker;
  if (breaker) {
    metrics.addGauge('subscout_ai_breaker_open', 'Whether the AI provider breaker is open (1) or not (0)', [], async () => [
      { labels: {}, value: breaker.state === 1 ? 1 : 0 },
    ]);
  }
  const reddit = deps.reddit;
  if (reddit) {
    metrics.addGauge('subscout_reddit_budget_remaining', 'Reddit API requests left in the window', [], async () => {
      const { budget } = await reddit.health();
      return budget ? [{ labels: {}, value: budget.remaining }] : [];
    });
  }
}
