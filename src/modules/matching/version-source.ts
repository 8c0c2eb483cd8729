import type { Redis } from '../../platform/redis.js';

/** Where the version of the active campaign set lives; bumped on every campaign change. */
export interface MatcherVersionSource {
  current(): Promise<string>;
  /** Marks the campaign set as changed; returns the new version. */
  bump(): Promise<string>;
}

/** Distributed mode: one Redis counter, so every worker sees a change on its next check. */
export function createRedisVersionSource(redis: Redis, prefix: string): MatcherVersionSource {
  const key = `${prefix}:matcher:version`;
  return {
    async current() {
      return (await redis.get(key)) ?? '0';
    },
    async bump() {
      return String(await redis.incr(key));
    },
  };
}

/** Embedded mode: one process, so a counter in memory is the whole truth. */
export function createMemoryVersionSource(): MatcherVersionSource {
  let version = 0;
  return {
    async current() {
      return String(version);
    },
    async bump() {
      version += 1;
      return String(version);
    },
  };
}
