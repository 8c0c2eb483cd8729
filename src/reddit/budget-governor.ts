import type { Logger } from '../platform/logger.js';
import type { Redis } from '../platform/redis.js';
import { realSleep } from '../platform/retry.js';
import {
  applyObservation,
  type BudgetConfig,
  type BudgetEvent,
  type BudgetState,
  DEFAULT_BUDGET_CONFIG,
  observe,
  planAcquire,
} from './budget-pacing.js';

export type { BudgetState };

/** One request budget shared by every Reddit call the fleet makes. */
export interface BudgetGovernor {
  /** Resolves when a request may be sent; the slot is reserved. */
  acquire(): Promise<void>;
  /** Feeds Reddit's answer (X-Ratelimit-* headers, Retry-After on 429) back in. */
  record(headers: Headers, status: number): Promise<void>;
  /** For logs, metrics and status pages; null before the first request. */
  state(): Promise<BudgetState | null>;
}

export interface GovernorDeps {
  log: Logger;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  config?: Partial<BudgetConfig>;
  /** Longest single sleep; acquire re-checks the shared state after it. */
  maxSleepMs?: number;
}

interface Store {
  tryAcquire(now: number): Promise<number>;
  apply(headers: Headers, status: number, now: number): Promise<{ state: BudgetState; event: BudgetEvent }>;
  read(): Promise<BudgetState | null>;
}

function logFields(s: BudgetState, now: number) {
  return { remaining: s.remaining, used: s.used, resetInS: Math.round((s.resetAt - now) / 1000), source: s.source };
}

function governor(store: Store, deps: GovernorDeps): BudgetGovernor {
  const now = deps.now ?? Date.now;
  const sleep = deps.sleep ?? realSleep;
  const maxSleepMs = deps.maxSleepMs ?? 5_000;
  let exhaustedLogged = 0;
  return {
    async acquire() {
      for (;;) {
        const waitMs = await store.tryAcquire(now());
        if (waitMs <= 0) return;
        if (waitMs > maxSleepMs && exhaustedLogged < now()) {
          exhaustedLogged = now() + waitMs;
          deps.log.warn({ waitMs }, 'reddit budget spent; waiting for the window to reset');
        }
        await sleep(Math.min(waitMs, maxSleepMs));
      }
    },
    async record(headers, status) {
      const t = now();
      const { state, event } = await store.apply(headers, status, t);
      if (event === 'new_window') deps.log.info(logFields(state, t), 'reddit budget window');
      if (event === 'rate_limited') deps.log.warn(logFields(state, t), 'reddit answered 429; pausing until reset');
    },
    state: () => store.read(),
  };
}

/** A single process without Redis. */
export function createMemoryBudgetGovernor(deps: GovernorDeps): BudgetGovernor {
  const cfg = { ...DEFAULT_BUDGET_CONFIG, ...deps.config };
  let state: BudgetState | null = null;
  return governor(
    {
      async tryAcquire(now) {
        const planned = planAcquire(state, now, cfg);
        state = planned.state;
        return planned.waitMs;
      },
      async apply(headers, status, now) {
        const applied = applyObservation(state, observe(headers, status), now, cfg);
        state = applied.state;
        return applied;
      },
      async read() {
        return state;
      },
    },
    deps,
  );
}

// The same rules as budget-pacing.ts, run atomically inside Redis so processes never race.
const LOAD = `
local now = tonumber(ARGV[1])
local v = redis.call('HMGET', KEYS[1], 'remaining', 'resetAt', 'used', 'nextAt', 'source')
local s = { remaining = tonumber(v[1]), resetAt = tonumber(v[2]), used = tonumber(v[3]), nextAt = tonumber(v[4]), source = v[5] }
if s.remaining == nil or s.resetAt == nil or now >= s.resetAt then
  s = { remaining = tonumber(ARGV[2]), resetAt = now + tonumber(ARGV[3]), used = 0, nextAt = now, source = 'assumed' }
end
local function save()
  redis.call('HSET', KEYS[1], 'remaining', s.remaining, 'resetAt', s.resetAt, 'used', s.used, 'nextAt', s.nextAt, 'source', s.source)
  redis.call('PEXPIRE', KEYS[1], math.max(1000, s.resetAt - now + tonumber(ARGV[3])))
end
`;

const ACQUIRE = `${LOAD}
if s.remaining < 1 then save() return s.resetAt - now end
if s.nextAt > now then save() return s.nextAt - now end
local interval = math.floor((s.resetAt - now) / s.remaining)
s.remaining = s.remaining - 1
s.used = s.used + 1
s.nextAt = now + interval
save()
return 0
`;

// ARGV[4..]: status, remaining, used, resetS, retryAfterS ('' when absent).
const RECORD = `${LOAD}
local status = tonumber(ARGV[4])
local hRemaining, hUsed, hReset, hRetry = tonumber(ARGV[5]), tonumber(ARGV[6]), tonumber(ARGV[7]), tonumber(ARGV[8])
local event = 0
if hRemaining ~= nil and hReset ~= nil then
  local remaining = math.floor(hRemaining)
  local resetAt = now + math.floor(hReset * 1000 + 0.5)
  if s.source == 'assumed' or resetAt > s.resetAt + 2000 then
    s = { remaining = remaining, used = math.floor(hUsed or 0), resetAt = resetAt, nextAt = s.nextAt, source = 'headers' }
    event = 1
  else
    s.remaining = math.min(s.remaining, remaining)
    s.used = math.max(s.used, math.floor(hUsed or 0))
  end
end
if status == 429 then
  local waitS = hRetry or hReset or 1
  s.remaining = 0
  s.resetAt = math.max(s.resetAt, now + math.ceil(waitS * 1000))
  event = 2
end
save()
return { event, s.remaining, s.used, s.resetAt, s.nextAt, s.source }
`;

/** The fleet's governor: one hash in Redis, changed only by Lua scripts. */
export function createRedisBudgetGovernor(deps: GovernorDeps & { redis: Redis; prefix: string; clientId: string }) {
  const cfg = { ...DEFAULT_BUDGET_CONFIG, ...deps.config };
  const key = `${deps.prefix}reddit:budget:${deps.clientId}`;
  const base = [String(cfg.assumedBudget), String(cfg.assumedWindowMs)];
  const num = (v: string | null) => (v === null || v === '' ? '' : v);
  return governor(
    {
      async tryAcquire(now) {
        return Number(await deps.redis.eval(ACQUIRE, 1, key, String(now), ...base));
      },
      async apply(headers, status, now) {
        const reply = (await deps.redis.eval(
          RECORD,
          1,
          key,
          String(now),
          ...base,
          String(status),
          num(headers.get('x-ratelimit-remaining')),
          num(headers.get('x-ratelimit-used')),
          num(headers.get('x-ratelimit-reset')),
          num(headers.get('retry-after')),
        )) as [number, number, number, number, number, string];
        const [code, remaining, used, resetAt, nextAt, source] = reply;
        const event: BudgetEvent = code === 1 ? 'new_window' : code === 2 ? 'rate_limited' : 'none';
        return { state: { remaining, used, resetAt, nextAt, source: source === 'headers' ? 'headers' : 'assumed' }, event };
      },
      async read() {
        const h = await deps.redis.hgetall(key);
        if (!h.remaining) return null;
        return {
          remaining: Number(h.remaining),
          used: Number(h.used),
          resetAt: Number(h.resetAt),
          nextAt: Number(h.nextAt),
          source: h.source === 'headers' ? 'headers' : 'assumed',
        };
      },
    },
    deps,
  );
}
