import type { Redis } from 'ioredis';
import type { Cache } from './cache.js';

/** Cache shared by every process through Redis, under `prefix`. */
export function createRedisCache(redis: Redis, prefix: string): Cache {
  const k = (key: string) => `${prefix}:cache:${key}`;
  return {
    async get(key) {
      return (await redis.get(k(key))) ?? undefined;
    },
    async getMany(keys) {
      if (keys.length === 0) return [];
      const values = await redis.mget(keys.map(k));
      return values.map((v) => v ?? undefined);
    },
    async set(key, value, ttlSeconds) {
      await redis.set(k(key), value, 'EX', ttlSeconds);
    },
    async delete(key) {
      await redis.del(k(key));
    },
  };
}
