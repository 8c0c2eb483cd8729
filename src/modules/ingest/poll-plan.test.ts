import { describe, expect, it } from 'vitest';
import { measureRate, planIntervals, requestCost, shouldPageBack } from './poll-plan.js';

const settings = { minIntervalMs: 5_000, maxIntervalMs: 35_000, lagWindowMs: 30_000, requestsPerSecond: 1.5 };
const t = (s: number) => new Date(Date.UTC(2025, 0, 1) + s * 1000);

describe('poll plan', () => {
  it('when a full page still reaches into the lag window, then the poller pages back', () => {
    expect(shouldPageBack({ pageLength: 100, pagesRead: 1, oldestOnPage: t(50), threshold: t(40), hasAfter: true })).toBe(true);
  });

  it('when the page is not full, or ends before the window, or the 1,000 cap is reached, then it stops', () => {
    expect(shouldPageBack({ pageLength: 60, pagesRead: 1, oldestOnPage: t(50), threshold: t(40), hasAfter: true })).toBe(false);
    expect(shouldPageBack({ pageLength: 100, pagesRead: 1, oldestOnPage: t(30), threshold: t(40), hasAfter: true })).toBe(false);
    expect(shouldPageBack({ pageLength: 100, pagesRead: 10, oldestOnPage: t(50), threshold: t(40), hasAfter: true })).toBe(false);
  });

  it('when a stream was never polled, then only the newest page is read', () => {
    expect(shouldPageBack({ pageLength: 100, pagesRead: 1, oldestOnPage: t(50), threshold: null, hasAfter: true })).toBe(false);
  });

  it('when the read was capped, then the first page density bounds the rate from below', () => {
    const rate = measureRate({ newItems: 100, elapsedMs: 60_000, capped: true, pageSpan: { count: 100, newestMs: 20_000, oldestMs: 0 } });
    expect(rate).toBeCloseTo(99 / 20);
  });

  it('when a burst fills a page but the read reached seen items, then the rate is new items over elapsed time', () => {
    const rate = measureRate({ newItems: 300, elapsedMs: 60_000, capped: false, pageSpan: { count: 100, newestMs: 100, oldestMs: 0 } });
    expect(rate).toBe(5);
  });

  it('when streams are quiet, then they poll at the longest interval', () => {
    const plan = planIntervals([{ key: 'a', itemsPerMinute: 0 }], settings);
    expect(plan.get('a')).toEqual({ intervalMs: 35_000, pageBack: true });
  });

  it('when streams would exceed the budget at half-full pages, then intervals stretch until the plan fits', () => {
    const streams = Array.from({ length: 10 }, (_, i) => ({ key: `c${i}`, itemsPerMinute: 4.5 * 60 }));
    const plan = planIntervals(streams, settings);
    const cost = streams.reduce((sum, s) => sum + requestCost(4.5, plan.get(s.key)!.intervalMs, 30_000), 0);
    expect(cost).toBeLessThanOrEqual(1.5);
    expect(plan.get('c0')!.intervalMs).toBeGreaterThan((50 / 4.5) * 1000);
  });

  it('when a stream is too busy to cover, then it reads one page at a time with the budget left over', () => {
    const plan = planIntervals(
      [
        { key: 'quiet', itemsPerMinute: 30 },
        { key: 'all', itemsPerMinute: 45 * 60 },
      ],
      settings,
    );
    expect(plan.get('all')!.pageBack).toBe(false);
    expect(plan.get('quiet')!.pageBack).toBe(true);
    const spent = requestCost(0.5, plan.get('quiet')!.intervalMs, 30_000) + 1000 / plan.get('all')!.intervalMs;
    expect(spent).toBeLessThanOrEqual(1.5 + 1e-9);
  });
});
