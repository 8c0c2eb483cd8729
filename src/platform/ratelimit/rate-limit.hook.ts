import type { FastifyReply, FastifyRequest, onRequestHookHandler } from 'fastify';
import { RateLimitedError } from '../errors.js';
import type { RateLimitDecision, RateLimiter } from './rate-limiter.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** `expensive` adds the stricter tier (exports, AI drafts, scrapes) on top of the usual ones. */
    rateLimit?: 'default' | 'expensive' | 'off';
  }
}

const SHOWN = Symbol('rate-limit-shown');
type Marked = FastifyRequest & { [SHOWN]?: RateLimitDecision };

/** Keeps, for the RateLimit-* headers, the tightest of the limits checked so far. */
function show(request: FastifyRequest, reply: FastifyReply, d: RateLimitDecision): void {
  const marked = request as Marked;
  const prev = marked[SHOWN];
  if (prev && prev.remaining <= d.remaining && prev.allowed) return;
  marked[SHOWN] = d;
  reply.header('ratelimit-limit', String(d.limit));
  reply.header('ratelimit-remaining', String(d.remaining));
  reply.header('ratelimit-reset', String(d.resetSeconds));
}

async function check(
  limiter: RateLimiter,
  request: FastifyRequest,
  reply: FastifyReply,
  tier: string,
  key: string,
): Promise<void> {
  const d = await limiter.consume(tier, key);
  show(request, reply, d);
  if (!d.allowed) throw new RateLimitedError(d.resetSeconds);
}

/**
 * One hook per stage: `keyOf` returns the caller's key at that stage (the client IP before
 * authentication, the user or API key after), or undefined to skip. The expensive tier is
 * charged per caller when the route asks for it.
 */
export function rateLimitHook(
  limiter: RateLimiter,
  stage: { tier: string; keyOf(request: FastifyRequest): string | undefined; expensiveTier?: string },
): onRequestHookHandler {
  return async (request, reply) => {
    const mode = request.routeOptions.config.rateLimit ?? 'default';
    if (mode === 'off') return;
    const key = stage.keyOf(request);
    if (key === undefined) return;
    await check(limiter, request, reply, stage.tier, key);
    if (mode === 'expensive' && stage.expensiveTier) await check(limiter, request, reply, stage.expensiveTier, key);
  };
}
