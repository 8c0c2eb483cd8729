import type { Logger } from '../logger.js';
import type { Redis } from '../redis.js';

/**
 * BullMQ needs Redis to keep every key: with any other maxmemory-policy Redis may evict
 * job data under memory pressure and jobs vanish silently. Warns loudly (never fails start-up);
 * returns the policy, or undefined when Redis refuses CONFIG GET (common on managed Redis).
 */
export async function checkRedisEvictionPolicy(redis: Pick<Redis, 'config'>, log: Logger): Promise<string | undefined> {
  let policy: string | undefined;
  try {
    const reply = (await redis.config('GET', 'maxmemory-policy')) as unknown;
    if (Array.isArray(reply) && typeof reply[1] === 'string') policy = reply[1];
  } catch (err) {
    log.warn({ err }, 'could not read Redis maxmemory-policy (CONFIG GET refused); make sure it is noeviction or jobs may be lost');
    return undefined;
  }
  if (policy === undefined) {
    log.warn('could not read Redis maxmemory-policy; make sure it is noeviction or jobs may be lost');
  } else if (policy !== 'noeviction') {
    log.warn(
      { maxmemoryPolicy: policy },
      `REDIS MISCONFIGURED: maxmemory-policy is "${policy}", not "noeviction"; Redis may evict queue keys and lose jobs`,
    );
  }
  return policy;
}
