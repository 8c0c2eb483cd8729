import { Redis, type RedisOptions } from 'ioredis';

export type { Redis };

/**
 * Two kinds of connection, as BullMQ recommends: producers fail fast when Redis is down
 * (no offline queue, one retry per command), workers wait and reconnect forever.
 */
export function createRedis(url: string, role: 'producer' | 'worker'): Redis {
  const common: RedisOptions = {
    lazyConnect: false,
    connectTimeout: 2_000,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
  };
  const options: RedisOptions =
    role === 'producer'
      ? { ...common, enableOfflineQueue: false, maxRetriesPerRequest: 1, commandTimeout: 1_000 }
      : { ...common, enableOfflineQueue: true, maxRetriesPerRequest: null };
  const redis = new Redis(url, options);
  // Connection errors surface through readiness checks and failed commands, not as crashes.
  redis.on('error', () => {});
  return redis;
}
