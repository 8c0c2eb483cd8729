/** What to do after a failed attempt: give up, or try again after a delay. */
export type RetryDecision = { retry: false } | { retry: true; delayMs?: number };

export interface RetryOptions {
  /** Total attempts, the first included. */
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  classify(error: unknown): RetryDecision;
  sleep(ms: number): Promise<void>;
  /** 0..1; spreads retries of many workers apart. */
  random(): number;
  onRetry?(error: unknown, attempt: number, delayMs: number): void;
}

export const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The one retry loop for third-party calls (AI provider, Reddit): exponential backoff with
 * equal jitter, unless the error names its own delay (Retry-After), which is honoured as given.
 */
export async function withRetry<T>(fn: (attempt: number) => Promise<T>, opts: RetryOptions): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (error) {
      const decision = opts.classify(error);
      if (!decision.retry || attempt >= opts.attempts) throw error;
      const backoff = Math.min(opts.maxDelayMs, opts.baseDelayMs * 2 ** (attempt - 1));
      const delayMs = decision.delayMs ?? Math.round(backoff * (0.5 + 0.5 * opts.random()));
      opts.onRetry?.(error, attempt, delayMs);
      await opts.sleep(delayMs);
    }
  }
}
