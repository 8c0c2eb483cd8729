/**
 * The budget rule shared by every governor (and mirrored by the Redis Lua scripts):
 * requests are spread evenly over what is left of the window, each acquire reserves one
 * request before it is sent, and the window's real numbers come from Reddit's
 * X-Ratelimit-* headers. All times are integer milliseconds.
 */

export interface BudgetState {
  /** Requests still allowed before `resetAt` (reservations already subtracted). */
  remaining: number;
  used: number;
  resetAt: number;
  /** Earliest time the next request may go. */
  nextAt: number;
  /** 'assumed' until Reddit's headers have said what the window really is. */
  source: 'assumed' | 'headers';
}

export interface BudgetConfig {
  /** What to assume before any header has been seen (Reddit's free tier: 1,000 per 10 min). */
  assumedBudget: number;
  assumedWindowMs: number;
}

export const DEFAULT_BUDGET_CONFIG: BudgetConfig = { assumedBudget: 1000, assumedWindowMs: 600_000 };

export interface RateObservation {
  status: number;
  remaining: number | null;
  used: number | null;
  resetS: number | null;
  retryAfterS: number | null;
}

export type BudgetEvent = 'none' | 'new_window' | 'rate_limited';

function fresh(now: number, cfg: BudgetConfig): BudgetState {
  return { remaining: cfg.assumedBudget, used: 0, resetAt: now + cfg.assumedWindowMs, nextAt: now, source: 'assumed' };
}

/** 0 with the reservation made, or how long to wait before asking again. */
export function planAcquire(
  state: BudgetState | null,
  now: number,
  cfg: BudgetConfig,
): { state: BudgetState; waitMs: number } {
  const s = !state || now >= state.resetAt ? fresh(now, cfg) : state;
  if (s.remaining < 1) return { state: s, waitMs: s.resetAt - now };
  if (s.nextAt > now) return { state: s, waitMs: s.nextAt - now };
  const interval = Math.floor((s.resetAt - now) / s.remaining);
  return { state: { ...s, remaining: s.remaining - 1, used: s.used + 1, nextAt: now + interval }, waitMs: 0 };
}

function header(headers: Headers, name: string): number | null {
  const v = headers.get(name);
  if (v === null || v.trim() === '') return null;
  const n = Number.parseFloat(v);
  return Number.isFinite(n) ? n : null;
}

export function observe(headers: Headers, status: number): RateObservation {
  return {
    status,
    remaining: header(headers, 'x-ratelimit-remaining'),
    used: header(headers, 'x-ratelimit-used'),
    resetS: header(headers, 'x-ratelimit-reset'),
    retryAfterS: header(headers, 'retry-after'),
  };
}

/** Folds Reddit's answer into the state. A response without headers was already counted by its reservation. */
export function applyObservation(
  state: BudgetState | null,
  obs: RateObservation,
  now: number,
  cfg: BudgetConfig,
): { state: BudgetState; event: BudgetEvent } {
  let s = !state || now >= state.resetAt ? fresh(now, cfg) : state;
  let event: BudgetEvent = 'none';
  if (obs.remaining !== null && obs.resetS !== null) {
    const remaining = Math.floor(obs.remaining);
    const resetAt = now + Math.round(obs.resetS * 1000);
    // Reset is whole seconds counting down, so within one window resetAt wobbles by a second.
    if (s.source === 'assumed' || resetAt > s.resetAt + 2000) {
      s = { remaining, used: Math.floor(obs.used ?? 0), resetAt, nextAt: s.nextAt, source: 'headers' };
      event = 'new_window';
    } else {
      s = { ...s, remaining: Math.min(s.remaining, remaining), used: Math.max(s.used, Math.floor(obs.used ?? 0)) };
    }
  }
  if (obs.status === 429) {
    const waitS = obs.retryAfterS ?? obs.resetS ?? 1;
    s = { ...s, remaining: 0, resetAt: Math.max(s.resetAt, now + Math.ceil(waitS * 1000)) };
    event = 'rate_limited';
  }
  return { state: s, event };
}
