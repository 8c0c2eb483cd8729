import { describe, expect, it } from 'vitest';
import { type RetryOptions, withRetry } from './retry.js';

function options(overrides: Partial<RetryOptions> = {}) {
  const sleeps: number[] = [];
  const opts: RetryOptions = {
    attempts: 4,
    baseDelayMs: 100,
    maxDelayMs: 250,
    classify: () => ({ retry: true }),
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    random: () => 0.5,
    ...overrides,
  };
  return { opts, sleeps };
}

function failing(times: number, error: unknown = new Error('boom')) {
  let calls = 0;
  const fn = async (attempt: number) => {
    calls++;
    if (attempt <= times) throw error;
    return `ok on ${attempt}`;
  };
  return { fn, calls: () => calls };
}

describe('withRetry', () => {
  it('when the call fails twice, then it waits with capped exponential backoff and equal jitter, then succeeds', async () => {
    const { opts, sleeps } = options();
    const { fn } = failing(3);
    await expect(withRetry(fn, opts)).resolves.toBe('ok on 4');
    // 75 % of 100, 200, then of 400 capped at 250.
    expect(sleeps).toEqual([75, 150, 188]);
  });

  it('when the attempts run out, then the last error is thrown without a final wait', async () => {
    const { opts, sleeps } = options({ attempts: 2 });
    const error = new Error('still down');
    const { fn, calls } = failing(5, error);
    await expect(withRetry(fn, opts)).rejects.toBe(error);
    expect(calls()).toBe(2);
    expect(sleeps).toEqual([75]);
  });

  it('when the error is not retryable, then it is thrown at once', async () => {
    const { opts, sleeps } = options({ classify: () => ({ retry: false }) });
    const { fn, calls } = failing(1);
    await expect(withRetry(fn, opts)).rejects.toThrow('boom');
    expect(calls()).toBe(1);
    expect(sleeps).toEqual([]);
  });

  it('when the error names its own delay, then that delay is used instead of the backoff', async () => {
    const retried: [number, number][] = [];
    const { opts, sleeps } = options({
      classify: () => ({ retry: true, delayMs: 1_234 }),
      onRetry: (_error, attempt, delayMs) => retried.push([attempt, delayMs]),
    });
    await expect(withRetry(failing(1).fn, opts)).resolves.toBe('ok on 2');
    expect(sleeps).toEqual([1_234]);
    expect(retried).toEqual([[1, 1_234]]);
  });
});
