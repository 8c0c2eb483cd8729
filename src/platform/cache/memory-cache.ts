import { LRUCache } from 'lru-cache';
import type { Cache } from './cache.js';

/** Bounded in-process cache for the embedded mode. */
export function createMemoryCache(maxEntries = 50_000): Cache {
  const lru = new LRUCache<string, string>({ max: maxEntries, ttlAutopurge: false });
  return {
    async get(key) {
      return lru.get(key);
    },
    async getMany(keys) {
      return keys.map((k) => lru.get(k));
    },
    async set(key, value, ttlSeconds) {
      lru.set(key, value, { ttl: ttlSeconds * 1000 });
    },
    async delete(key) {
      lru.delete(key);
    },
  };
}
