import type { Redis } from 'ioredis';
import {
  type RateLimiterAbstract,
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
} from 'rate-limiter-flexible';
import type { Logger } from '../logger.js';

/** A named budget: `points` requests per `durationSeconds`, per key. */
export interface RateLimitTier {
  points: number;
  durationSeconds: number;
}

export interface RateLimitDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Seconds until the window resets. */
  resetSeconds: number;
}

export interface RateLimiter {
  consume(tier: string, key: string): Promise<RateLimitDecision>;
}

export interface RateLimiterOptions<T extends string> {
  tiers: Record<T, RateLimitTier>;
  /** Shared store for every API instance; absent in embedded mode (in-process counters). */
  redis?: Redis | undefined;
  prefix: string;
  log: Logger;
}

/**
 * Fixed-window limits per key, in Redis when there is one so every API instance counts
 * together. When Redis fails, each tier falls back to an in-process counter (the library's
 * insurance limiter): requests keep being served (reads and writes alike) and abuse is
 * still bounded per instance, instead of every request failing or none being limited.
 */
export function createRateLimiter<T extends string>(opts: RateLimiterOptions<T>): RateLimiter {
  const limiters = new Map<string, { limiter: RateLimiterAbstract; tier: RateLimitTier }>();
  let lastWarn = 0;
  for (const [name, tier] of Object.entries(opts.tiers) as [T, RateLimitTier][]) {
    const base = { points: tier.points, duration: tier.durationSeconds, keyPrefix: `${opts.prefix}:rl:${name}` };
    const memory = new RateLimiterMemory(base);
    const limiter = opts.redis
      ? new RateLimiterRedis({
          ...base,
          storeClient: opts.redis,
          rejectIfRedisNotReady: true,
          insuranceLimiter: memory,
        })
      : memory;
    limiters.set(name, { limiter, tier });
  }

  return {
    async consume(tierName, key) {
      const entry = limiters.get(tierName);
      if (!entry) throw new Error(`unknown rate-limit tier ${tierName}`);
      const { limiter, tier } = entry;
      try {
        const res = await limiter.consume(key);
        return decision(true, tier, res);
      } catch (e) {
        if (e instanceof RateLimiterRes) return decision(false, tier, e);
        // Both stores failed (should not happen with the in-memory insurance): serve, and say so.
        const now = Date.now();
        if (now - lastWarn > 10_000) {
          lastWarn = now;
          opts.log.warn({ err: e }, 'rate limiter unavailable; request served without a limit');
        }
        return { allowed: true, limit: tier.points, remaining: tier.points, resetSeconds: tier.durationSeconds };
      }
    },
  };
}

function decision(allowed: boolean, tier: RateLimitTier, res: RateLimiterRes): RateLimitDecision {
  return {
    allowed,
    limit: tier.points,
    remaining: Math.max(0, res.remainingPoints),
    resetSeconds: Math.max(1, Math.ceil(res.msBeforeNext / 1000)),
  };
}
