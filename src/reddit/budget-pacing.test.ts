import { describe, expect, it } from 'vitest';
import { applyObservation, type BudgetState, planAcquire } from './budget-pacing.js';

const cfg = { assumedBudget: 100, assumedWindowMs: 100_000 };
const obs = (remaining: number, resetS: number, status = 200) => ({ status, remaining, used: null, resetS, retryAfterS: null });

describe('budget pacing', () => {
  it('when a window has budget left, then requests are spaced by time-to-reset over remaining', () => {
    const state: BudgetState = { remaining: 10, used: 0, resetAt: 10_000, nextAt: 0, source: 'headers' };
    const first = planAcquire(state, 0, cfg);
    expect(first).toMatchObject({ waitMs: 0, state: { remaining: 9, used: 1, nextAt: 1_000 } });
    expect(planAcquire(first.state, 400, cfg).waitMs).toBe(600);
  });

  it('when the budget is spent, then the wait lasts until the reset and a new window starts afresh', () => {
    const spent: BudgetState = { remaining: 0, used: 10, resetAt: 10_000, nextAt: 0, source: 'headers' };
    expect(planAcquire(spent, 2_000, cfg).waitMs).toBe(8_000);
    expect(planAcquire(spent, 10_000, cfg)).toMatchObject({ waitMs: 0, state: { remaining: 99, source: 'assumed' } });
  });

  it('when headers report fewer remaining than reserved, then the lower count wins within the window', () => {
    const s: BudgetState = { remaining: 50, used: 10, resetAt: 60_000, nextAt: 0, source: 'headers' };
    expect(applyObservation(s, obs(40, 60), 0, cfg)).toMatchObject({ event: 'none', state: { remaining: 40 } });
    expect(applyObservation(s, obs(70, 60), 0, cfg).state.remaining).toBe(50);
    // A reset far later than the known one is a new window.
    expect(applyObservation(s, obs(600, 600), 0, cfg)).toMatchObject({ event: 'new_window', state: { remaining: 600 } });
  });
});
