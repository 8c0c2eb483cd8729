import type { FastifyInstance } from 'fastify';
import { loadEnv } from '../../src/config/env.js';
import { buildContainer, type Container } from '../../src/entrypoints/container.js';
import { openInfrastructure, type Infrastructure } from '../../src/entrypoints/infrastructure.js';
import { registerRoutes } from '../../src/entrypoints/routes.js';
import { buildHttpApp } from '../../src/entrypoints/serve-http.js';
import { createApiKeyService } from '../../src/modules/api-keys/api-keys.service.js';
import { users } from '../../src/platform/db/schema.js';
import { createLifecycle } from '../../src/platform/lifecycle.js';
import { createLogger } from '../../src/platform/logger.js';
import { createRedis } from '../../src/platform/redis.js';
import { clearRedisPrefix, createTestDatabase, type TestDatabase, TEST_REDIS_URL, uniqueRedisPrefix } from './services.js';

/** The api process as the composition root builds it (every module mounted), on a fresh database and Redis prefix. */
export interface ContainerApp {
  t: TestDatabase;
  infra: Infrastructure;
  container: Container;
  app: FastifyInstance;
  /** This app's Redis key prefix. */
  prefix: string;
  /** A user of that role and an API key header for them. */
  user(email: string, role?: 'owner' | 'admin' | 'member'): Promise<{ id: string; headers: { authorization: string } }>;
  close(): Promise<void>;
}

export async function startContainerApp(
  envOverrides: Record<string, string> = {},
  /** Test-only routes added beside the real ones. */
  extraRoutes?: (app: FastifyInstance, container: Container) => Promise<void>,
): Promise<ContainerApp> {
  const t = await createTestDatabase();
  const prefix = uniqueRedisPrefix('app');
  const log = createLogger({ level: 'silent', pretty: false });
  const lifecycle = createLifecycle(log, { timeoutMs: 2000, exit: () => {} });
  const env = loadEnv({
    DATABASE_URL: t.url,
    REDIS_URL: TEST_REDIS_URL,
    REDIS_PREFIX: prefix,
    ENABLE_WORKERS: 'false',
    LOG_LEVEL: 'silent',
    ...envOverrides,
  });
  const infra = await openInfrastructure(env, log, lifecycle, { migrate: false });
  const container = await buildContainer(infra, lifecycle, { workerName: 'test' });
  const app = await buildHttpApp(infra, async (a) => {
    await registerRoutes(a, infra, container.apiExtras);
    await extraRoutes?.(a, container);
  });
  const apiKeys = createApiKeyService({ db: infra.database.db, now: () => new Date() });
  return {
    t,
    infra,
    container,
    app,
    prefix,
    async user(email, role = 'member') {
      const [u] = await infra.database.db.insert(users).values({ email, role }).returning();
      const key = await apiKeys.create(u!.id, 'test');
      return { id: u!.id, headers: { authorization: `Bearer ${key.key}` } };
    },
    async close() {
      await app.close();
      await container.queue.close(1000);
      infra.redis?.disconnect();
      await infra.database.close();
      const r = createRedis(TEST_REDIS_URL, 'worker');
      await clearRedisPrefix(r, prefix);
      r.disconnect();
      await t.drop();
    },
  };
}
