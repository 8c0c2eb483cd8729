import type { Logger } from '../platform/logger.js';

/**
 * Runs `task` now; if it fails (Redis down), logs and retries on a timer until it succeeds.
 * A saved campaign is already durable in PostgreSQL, so the caller is not failed for it:
 * matchers and ingest streams pick the change up as soon as Redis is back.
 */
export function createRetryingTask(task: () => Promise<void>, log: Logger, retryMs: number) {
  let timer: NodeJS.Timeout | undefined;
  async function attempt(): Promise<boolean> {
    try {
      await task();
      return true;
    } catch (err) {
      log.warn({ err }, 'could not propagate a campaign change yet; will retry');
      return false;
    }
  }
  return {
    run: async () => {
      if (await attempt()) return;
      timer ??= setInterval(async () => {
        if (!(await attempt())) return;
        clearInterval(timer);
        timer = undefined;
        log.info('campaign change propagated');
      }, retryMs);
      timer.unref();
    },
    stop: () => {
      if (timer) clearInterval(timer);
      timer = undefined;
    },
  };
}
