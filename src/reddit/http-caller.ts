import {
  BrokenCircuitError,
  CircuitState,
  ConsecutiveBreaker,
  circuitBreaker,
  handleWhen,
  type CircuitBreakerPolicy,
} from 'cockatiel';
import type { Logger } from '../platform/logger.js';
import { realSleep, withRetry } from '../platform/retry.js';
import type { BudgetGovernor } from './budget-governor.js';
import {
  RedditRequestError,
  RedditRetriesExhaustedError,
  RedditUnavailableError,
  TransientRedditError,
} from './errors.js';
import type { TokenProvider } from './token-provider.js';

export interface RetryOptions {
  /** Attempts per call for 5xx, timeouts, network errors and 429s. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export interface BreakerOptions {
  /** Consecutive failed attempts that open the breaker. */
  consecutiveFailures: number;
  /** How long it stays open before letting one trial call through (half-open). */
  halfOpenAfterMs: number;
}

export const DEFAULT_RETRY: RetryOptions = { maxAttempts: 4, baseDelayMs: 500, maxDelayMs: 30_000 };
export const DEFAULT_BREAKER: BreakerOptions = { consecutiveFailures: 8, halfOpenAfterMs: 30_000 };

export interface CallerDeps {
  apiUrl: string;
  userAgent: string;
  tokens: TokenProvider;
  governor: BudgetGovernor;
  log: Logger;
  timeoutMs?: number;
  retry?: Partial<RetryOptions>;
  breaker?: Partial<BreakerOptions>;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

interface RawAnswer {
  status: number;
  headers: Headers;
  text: string;
}

/** Reddit answered 429; not a transient failure, since the breaker should not count it. */
class RateLimited extends Error {
  override name = 'RateLimited';
  constructor() {
    super('HTTP 429');
  }
}

export type BreakerStateName = 'closed' | 'open' | 'half-open' | 'isolated';

const STATE_NAMES: Record<CircuitState, BreakerStateName> = {
  [CircuitState.Closed]: 'closed',
  [CircuitState.Open]: 'open',
  [CircuitState.HalfOpen]: 'half-open',
  [CircuitState.Isolated]: 'isolated',
};

/**
 * Every Reddit API call goes through here: budget slot, bearer token, timeout, breaker,
 * retries with exponential backoff and jitter, and one token refresh on 401.
 */
export function createRedditCaller(deps: CallerDeps) {
  const doFetch = deps.fetch ?? fetch;
  const sleep = deps.sleep ?? realSleep;
  const random = deps.random ?? Math.random;
  const retry = { ...DEFAULT_RETRY, ...deps.retry };
  const breakerOpts = { ...DEFAULT_BREAKER, ...deps.breaker };
  const timeoutMs = deps.timeoutMs ?? 15_000;
  const breaker: CircuitBreakerPolicy = circuitBreaker(
    handleWhen((err) => err instanceof TransientRedditError),
    { halfOpenAfter: breakerOpts.halfOpenAfterMs, breaker: new ConsecutiveBreaker(breakerOpts.consecutiveFailures) },
  );
  breaker.onStateChange((state) => {
    const name = STATE_NAMES[state];
    if (state === CircuitState.Closed) deps.log.info({ breaker: name }, 'reddit circuit breaker closed');
    else deps.log.warn({ breaker: name }, `reddit circuit breaker ${name}`);
  });

  async function once(method: 'GET' | 'POST', url: string, token: string, body?: string): Promise<RawAnswer> {
    let res: Response;
    try {
      res = await doFetch(url, {
        method,
        headers: {
          authorization: `bearer ${token}`,
          'user-agent': deps.userAgent,
          ...(body === undefined ? {} : { 'content-type': 'application/x-www-form-urlencoded' }),
        },
        ...(body === undefined ? {} : { body }),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (err) {
      const e = err as Error;
      throw new TransientRedditError(e.name === 'TimeoutError' ? `timed out after ${timeoutMs} ms` : `network: ${e.message}`, null);
    }
    await deps.governor.record(res.headers, res.status);
    let text: string;
    try {
      text = await res.text();
    } catch (err) {
      throw new TransientRedditError(`network while reading: ${(err as Error).message}`, res.status);
    }
    if (res.status >= 500) throw new TransientRedditError(`HTTP ${res.status}`, res.status);
    return { status: res.status, headers: res.headers, text };
  }

  async function guarded(fn: () => Promise<RawAnswer>): Promise<RawAnswer> {
    try {
      return await breaker.execute(fn);
    } catch (err) {
      if (err instanceof BrokenCircuitError) throw new RedditUnavailableError();
      throw err;
    }
  }

  function parseJson(text: string, path: string): unknown {
    try {
      return JSON.parse(text);
    } catch {
      throw new RedditRequestError(200, path);
    }
  }

  return {
    /** GET with app-only auth, retried; returns the parsed JSON body. */
    async getJson(path: string, query: Record<string, string | undefined>): Promise<unknown> {
      const url = new URL(path, deps.apiUrl);
      for (const [k, v] of Object.entries({ ...query, raw_json: '1' })) if (v !== undefined) url.searchParams.set(k, v);
      let refreshed = false;
      const attempt = async (): Promise<unknown> => {
        for (;;) {
          await deps.governor.acquire();
          const token = await deps.tokens.getToken();
          const answer = await guarded(() => once('GET', url.toString(), token));
          if (answer.status === 401 && !refreshed) {
            // The token expired or was revoked early: fetch a new one, once, without spending an attempt.
            refreshed = true;
            await deps.tokens.invalidate(token);
            continue;
          }
          if (answer.status === 429) throw new RateLimited();
          if (answer.status < 200 || answer.status >= 300) throw new RedditRequestError(answer.status, path);
          return parseJson(answer.text, path);
        }
      };
      try {
        return await withRetry(attempt, {
          attempts: retry.maxAttempts,
          baseDelayMs: retry.baseDelayMs,
          maxDelayMs: retry.maxDelayMs,
          classify: (err) => {
            // On 429 the governor holds everyone back until Retry-After; acquire() does the waiting.
            if (err instanceof RateLimited) return { retry: true, delayMs: 0 };
            return err instanceof TransientRedditError ? { retry: true } : { retry: false };
          },
          sleep,
          random,
          onRetry: (err, n) => {
            if (err instanceof TransientRedditError) deps.log.debug({ path, attempt: n, problem: err.message }, 'reddit request failed; retrying');
          },
        });
      } catch (err) {
        if (err instanceof RateLimited || err instanceof TransientRedditError) {
          throw new RedditRetriesExhaustedError(path, retry.maxAttempts, err.message);
        }
        throw err;
      }
    },

    /** POST with a user's token, never retried (a retry could post twice). */
    async postForm(path: string, form: URLSearchParams, userToken: string): Promise<{ status: number; body: unknown }> {
      const url = new URL(path, deps.apiUrl);
      url.searchParams.set('raw_json', '1');
      await deps.governor.acquire();
      let answer: RawAnswer;
      try {
        answer = await guarded(() => once('POST', url.toString(), userToken, form.toString()));
      } catch (err) {
        if (err instanceof TransientRedditError) throw new RedditRetriesExhaustedError(path, 1, err.message);
        throw err;
      }
      let body: unknown = null;
      try {
        body = JSON.parse(answer.text);
      } catch {
        body = null;
      }
      return { status: answer.status, body };
    },

    breakerState: (): BreakerStateName => STATE_NAMES[breaker.state],
  };
}

export type RedditCaller = ReturnType<typeof createRedditCaller>;
