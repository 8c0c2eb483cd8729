import type { Env } from '../config/env.js';
import type { Cache } from '../platform/cache/cache.js';
import { createMemoryCache } from '../platform/cache/memory-cache.js';
import { createRedisCache } from '../platform/cache/redis-cache.js';
import { type Database, openDatabase } from '../platform/db/client.js';
import { migrateDatabase } from '../platform/db/migrate.js';
import type { ReadinessCheck } from '../platform/http/health.js';
import type { Lifecycle } from '../platform/lifecycle.js';
import type { Logger } from '../platform/logger.js';
import { createMetrics, type Metrics } from '../platform/metrics.js';
import { createRedis, type Redis } from '../platform/redis.js';

/** The adapters a process runs on, chosen once from the environment. Business code never asks which. */
export interface Infrastructure {
  env: Env;
  log: Logger;
  database: Database;
  /** Fail-fast connection for commands from request paths; absent in embedded mode. */
  redis: Redis | undefined;
  cache: Cache;
  metrics: Metrics;
  readiness: ReadinessCheck[];
}

export async function openInfrastructure(
  env: Env,
  log: Logger,
  lifecycle: Lifecycle,
  opts: { migrate: boolean; processName?: string },
): Promise<Infrastructure> {
  const metrics = createMetrics(opts.processName ?? 'subscout');
  const database = await openDatabase({
    url: env.DATABASE_URL,
    readUrl: env.DATABASE_READ_URL,
    dataDir: env.DATA_DIR,
    poolMax: env.DATABASE_POOL_MAX,
  });
  log.info({ database: database.kind }, 'database opened');
  if (opts.migrate) {
    await migrateDatabase(database);
    log.info('database migrated');
  }

  const redis = env.REDIS_URL ? createRedis(env.REDIS_URL, 'producer') : undefined;
  if (redis && !(await waitUntilReady(redis, 3_000))) {
    // Start anyway: reads are served from PostgreSQL and /readyz reports Redis until it is back.
    log.warn('redis is not reachable yet; continuing, it will be retried');
  }
  const cache = redis ? createRedisCache(redis, env.REDIS_PREFIX) : createMemoryCache();

  const readiness: ReadinessCheck[] = [{ name: 'database', check: () => database.ping() }];
  if (redis) {
    readiness.push({
      name: 'redis',
      check: async () => {
        await redis.ping();
      },
    });
  }

  lifecycle.onShutdown('clients', 'redis', async () => {
    redis?.disconnect();
  });
  lifecycle.onShutdown('database', 'database', () => database.close());

  return { env, log, database, redis, cache, metrics, readiness };
}

function waitUntilReady(redis: Redis, timeoutMs: number): Promise<boolean> {
  if (redis.status === 'ready') return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      redis.off('ready', onReady);
      resolve(false);
    }, timeoutMs);
    const onReady = () => {
      clearTimeout(timer);
      resolve(true);
    };
    redis.once('ready', onReady);
  });
}
