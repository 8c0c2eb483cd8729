import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { loadEnv } from '../src/config/env.js';
import { buildContainer } from '../src/entrypoints/container.js';
import { openInfrastructure, type Infrastructure } from '../src/entrypoints/infrastructure.js';
import { type ApiExtras, registerRoutes } from '../src/entrypoints/routes.js';
import { buildHttpApp } from '../src/entrypoints/serve-http.js';
import { createApiKeyService } from '../src/modules/api-keys/api-keys.service.js';
import { campaigns, leads, redditItems, users } from '../src/platform/db/schema.js';
import { createLifecycle } from '../src/platform/lifecycle.js';
import { createLogger } from '../src/platform/logger.js';
import { createTestDatabase, type TestDatabase, TEST_REDIS_URL, uniqueRedisPrefix } from './helpers/services.js';

/** One API on a fresh database and its own Redis prefix, as the api process builds it. */
export interface ApiHarness {
  app: FastifyInstance;
  infra: Infrastructure;
  t: TestDatabase;
  prefix: string;
  close(): Promise<void>;
}

export async function startApi(
  envOverrides: Record<string, string> = {},
  extras: ApiExtras = {},
  shared?: { t: TestDatabase; prefix: string },
  /** Mount every feature's routes as the api process does (the composition root's container). */
  full = false,
): Promise<ApiHarness> {
  const t = shared?.t ?? (await createTestDatabase());
  const prefix = shared?.prefix ?? uniqueRedisPrefix('api');
  const log = createLogger({ level: 'silent', pretty: false });
  const lifecycle = createLifecycle(log, { timeoutMs: 5000, exit: () => {} });
  const env = loadEnv({
    DATABASE_URL: t.url,
    REDIS_URL: TEST_REDIS_URL,
    REDIS_PREFIX: prefix,
    LOG_LEVEL: 'silent',
    NODE_ENV: 'test',
    ...envOverrides,
  });
  const infra = await openInfrastructure(env, log, lifecycle, { migrate: false });
  const container = full ? await buildContainer(infra, lifecycle, { workerName: 'api-test' }) : undefined;
  const app = await buildHttpApp(infra, (a) => registerRoutes(a, infra, { ...container?.apiExtras, ...extras }));
  await app.ready();
  return {
    app,
    infra,
    t,
    prefix,
    async close() {
      await app.close();
      // Closes what infrastructure and container registered: queues, Redis, the pool.
      await lifecycle.shutdown('test');
      if (!shared) await t.drop();
    },
  };
}

export interface TestUser {
  id: string;
  email: string;
  key: string;
  /** inject() with this user's API key. */
  call(opts: InjectOptions): Promise<LightMyRequestResponse>;
}

export async function createUser(
  h: ApiHarness,
  email: string,
  role: 'owner' | 'admin' | 'member' = 'member',
): Promise<TestUser> {
  const { db } = h.infra.database;
  const [u] = await db.insert(users).values({ email, role }).returning();
  const key = await createApiKeyService({ db, now: () => new Date() }).create(u!.id, 'test');
  return {
    id: u!.id,
    email,
    key: key.key,
    call: (opts) =>
      h.app.inject({ ...opts, headers: { ...(opts.headers ?? {}), authorization: `Bearer ${key.key}` } }),
  };
}

let itemSeq = 0;

/** Inserts `n` Reddit items and one lead for each in the campaign, newest last. */
export async function seedLeads(
  h: ApiHarness,
  userId: string,
  campaignId: string,
  n: number,
  shape: (i: number) => Partial<typeof leads.$inferInsert> & { title?: string; body?: string; subreddit?: string } = () => ({}),
): Promise<string[]> {
  const { db } = h.infra.database;
  const items = [];
  const rows = [];
  for (let i = 0; i < n; i++) {
    const fullname = `t3_${(itemSeq++).toString(36)}x${Math.random().toString(36).slice(2, 8)}`;
    const { title, body, subreddit, ...lead } = shape(i);
    items.push({
      fullname,
      kind: 'post' as const,
      subreddit: subreddit ?? 'saas',
      author: `author${i}`,
      title: title ?? `Looking for a tool number ${i}`,
      body: body ?? `Body of post ${i}`,
      permalink: `/r/${subreddit ?? 'saas'}/comments/${fullname.slice(3)}/x/`,
      createdUtc: new Date(Date.now() - i * 1000),
    });
    rows.push({ userId, campaignId, itemId: fullname, ...lead });
  }
  if (n === 0) return [];
  await db.insert(redditItems).values(items);
  const inserted = await db.insert(leads).values(rows).returning({ id: leads.id });
  return inserted.map((r) => r.id);
}

export async function createCampaignRow(h: ApiHarness, userId: string, name = 'c'): Promise<string> {
  const [c] = await h.infra.database.db
    .insert(campaigns)
    .values({ userId, name, rules: ['crm'] })
    .returning({ id: campaigns.id });
  return c!.id;
}
