import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { QUEUE_NAMES, type QueueName } from '../src/config/env.js';
import { accountRoutes } from '../src/modules/accounts/accounts.routes.js';
import { type AccountService, createAccountService } from '../src/modules/accounts/accounts.service.js';
import { createApiKeyService } from '../src/modules/api-keys/api-keys.service.js';
import { createSecretBox, type SecretBox } from '../src/modules/notify/secret-box.js';
import { createReplyJob } from '../src/modules/replies/replies.jobs.js';
import { replyRoutes } from '../src/modules/replies/replies.routes.js';
import { createReplyService } from '../src/modules/replies/replies.service.js';
import { createRedisCache } from '../src/platform/cache/redis-cache.js';
import { campaigns, leads, redditItems, users } from '../src/platform/db/schema.js';
import { createLogger, type Logger } from '../src/platform/logger.js';
import { type BullmqQueueSystem, createBullmqQueueSystem } from '../src/platform/queue/bullmq-queue.js';
import type { EnqueueOptions, QueueProducer } from '../src/platform/queue/queue.js';
import type { Redis } from '../src/platform/redis.js';
import { createMemoryBudgetGovernor } from '../src/reddit/budget-governor.js';
import { createRedditClient, type RedditClient } from '../src/reddit/client.js';
import { type FakeReddit, startFakeReddit } from '../src/reddit/fake-server/server.js';
import type { StoredThing } from '../src/reddit/fake-server/thing-store.js';
import { toStoredThing } from '../src/reddit/fake-server/fixtures.js';
import { createMemoryTokenProvider, createTokenFetcher } from '../src/reddit/token-provider.js';
import { createRedditUserOAuth, type RedditUserOAuth } from '../src/reddit/user-oauth.js';
import {
  clearRedisPrefix,
  createTestDatabase,
  createTestRedis,
  type TestDatabase,
  TEST_REDIS_URL,
  uniqueRedisPrefix,
} from './helpers/services.js';
import { createSignedInApp } from './helpers/signed-in-app.js';

export const CLIENT_ID = 'subscout-test';
export const CLIENT_SECRET = 'subscout-secret';
export const USER_AGENT = 'test:com.example.subscout:0.1.0 (by /u/subscout_dev)';
export const REDIRECT_URI = 'http://127.0.0.1:3000/api/v1/reddit-accounts/callback';

/**
 * Reddit's token endpoint host as the tests see it: revoke_token answered here (recording
 * the revoked tokens, as Reddit does with 204), everything else passed to the fake server.
 */
async function startAuthFront(fake: FakeReddit): Promise<{ url: string; revoked: string[]; close(): Promise<void> }> {
  const revoked: string[] = [];
  const read = async (req: IncomingMessage) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  };
  const expected = `Basic ${Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString('base64')}`;
  const server: Server = createServer((req, res) => {
    void (async () => {
      const body = await read(req);
      if (req.url === '/api/v1/revoke_token' && req.method === 'POST') {
        if (req.headers.authorization !== expected) {
          res.writeHead(401).end();
          return;
        }
        revoked.push(new URLSearchParams(body).get('token') ?? '');
        res.writeHead(204).end();
        return;
      }
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string' && k !== 'host') headers[k] = v;
      const answer = await fetch(new URL(req.url ?? '/', fake.url), {
        method: req.method ?? 'GET',
        headers,
        ...(req.method === 'POST' ? { body } : {}),
      });
      res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' });
      res.end(await answer.text());
    })().catch(() => res.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    revoked,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A test clock the services read; starts at the real time so tokens and fake Reddit agree. */
export interface TestClock {
  now(): Date;
  advance(ms: number): void;
}

function testClock(): TestClock {
  let offset = 0;
  return { now: () => new Date(Date.now() + offset), advance: (ms) => (offset += ms) };
}

export interface Enqueued {
  queue: QueueName;
  payload: unknown;
  opts: EnqueueOptions | undefined;
}

export interface TestUser {
  id: string;
  call(opts: InjectOptions): Promise<LightMyRequestResponse>;
}

export interface ReplyWorld {
  t: TestDatabase;
  redis: Redis;
  prefix: string;
  fake: FakeReddit;
  /** Tokens revoked at "Reddit". */
  revoked: string[];
  box: SecretBox;
  clock: TestClock;
  log: Logger;
  app: FastifyInstance;
  accounts: AccountService;
  /** The real BullMQ queues, recording what was enqueued. */
  queue: BullmqQueueSystem;
  enqueued: Enqueued[];
  reddit: RedditClient;
  job: ReturnType<typeof createReplyJob>;
  createUser(email: string): Promise<TestUser>;
  /** A post in r/saas on fake Reddit and a lead on it for the user. */
  seedLead(userId: string, opts?: { fullname?: string }): Promise<{ leadId: string; fullname: string }>;
  /** Connects a Reddit account through the real consent flow (consent itself skipped: the code is known). */
  connect(user: TestUser, code: string): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

let seq = 0;

export async function startReplyWorld(
  opts: { configured?: boolean; minIntervalMs?: number; users?: Record<string, string>; log?: Logger } = {},
): Promise<ReplyWorld> {
  const t = await createTestDatabase();
  const redis = createTestRedis();
  const prefix = uniqueRedisPrefix('replies');
  const log = opts.log ?? createLogger({ level: 'silent', pretty: false });
  const clock = testClock();
  const fake = await startFakeReddit({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, users: opts.users ?? {} });
  const front = await startAuthFront(fake);
  const box = createSecretBox(randomBytes(32));
  const { db } = t.database;

  const oauth: RedditUserOAuth | undefined =
    opts.configured === false
      ? undefined
      : createRedditUserOAuth({
          authUrl: front.url,
          apiUrl: fake.url,
          clientId: CLIENT_ID,
          clientSecret: CLIENT_SECRET,
          redirectUri: REDIRECT_URI,
          userAgent: USER_AGENT,
          timeoutMs: 5_000,
        });
  const accounts = createAccountService({
    db,
    cache: createRedisCache(redis, prefix),
    oauth,
    sealer: box,
    log,
    now: clock.now,
  });
  const concurrency = Object.fromEntries(QUEUE_NAMES.map((q) => [q, 1])) as Record<QueueName, number>;
  const bull = createBullmqQueueSystem({
    redisUrl: TEST_REDIS_URL,
    prefix,
    log,
    concurrency,
    policy: { attempts: 2, backoffBaseMs: 100 },
  });
  const enqueued: Enqueued[] = [];
  const producer: QueueProducer = {
    async enqueue(queue, payload, o) {
      enqueued.push({ queue, payload, opts: o });
      await bull.enqueue(queue, payload, o);
    },
    async enqueueBulk(queue, jobs) {
      for (const j of jobs) enqueued.push({ queue, payload: j.payload, opts: j.opts });
      await bull.enqueueBulk(queue, jobs);
    },
  };
  const reddit = createRedditClient({
    apiUrl: fake.url,
    userAgent: USER_AGENT,
    tokens: createMemoryTokenProvider({
      fetchToken: createTokenFetcher({
        authUrl: fake.url,
        userAgent: USER_AGENT,
        credentials: { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, appType: 'script' },
      }),
      log,
    }),
    governor: createMemoryBudgetGovernor({ log }),
    log,
    retry: { maxAttempts: 1 },
  });
  const job = createReplyJob({
    db,
    queue: producer,
    accounts,
    reddit,
    minIntervalMs: opts.minIntervalMs ?? 60_000,
    claimStaleAfterMs: 30_000,
    now: clock.now,
  });
  const replies = createReplyService({ db, queue: producer, accounts, now: clock.now });

  const app = await createSignedInApp(db, log, async (signedIn) => {
    await accountRoutes(signedIn, { accounts });
    await replyRoutes(signedIn, { replies });
  });

  const world: ReplyWorld = {
    t,
    redis,
    prefix,
    fake,
    revoked: front.revoked,
    box,
    clock,
    log,
    app,
    accounts,
    queue: bull,
    enqueued,
    reddit,
    job,
    async createUser(email) {
      const [u] = await db.insert(users).values({ email }).returning();
      const key = await createApiKeyService({ db, now: () => new Date() }).create(u!.id, 'test');
      return {
        id: u!.id,
        call: (o) => app.inject({ ...o, headers: { ...(o.headers ?? {}), authorization: `Bearer ${key.key}` } }),
      };
    },
    async seedLead(userId, o = {}) {
      const fullname = o.fullname ?? `t3_zz${(seq++).toString(36)}${randomBytes(3).toString('hex')}`;
      const createdUtc = Math.floor(Date.now() / 1000) - 60;
      const stored: StoredThing | null = toStoredThing({
        kind: 't3',
        data: {
          id: fullname.slice(3),
          name: fullname,
          subreddit: 'saas',
          author: 'asker',
          title: 'Which CRM for a tiny team?',
          selftext: 'We outgrew spreadsheets.',
          permalink: `/r/saas/comments/${fullname.slice(3)}/which_crm/`,
          created_utc: createdUtc,
          score: 3,
        },
      });
      if (stored) fake.store.add(stored);
      const [c] = await db.insert(campaigns).values({ userId, name: 'crm', rules: ['crm'] }).returning();
      await db
        .insert(redditItems)
        .values({
          fullname,
          kind: 'post',
          subreddit: 'saas',
          author: 'asker',
          title: 'Which CRM for a tiny team?',
          permalink: `/r/saas/comments/${fullname.slice(3)}/which_crm/`,
          createdUtc: new Date(createdUtc * 1000),
        })
        .onConflictDoNothing();
      const [l] = await db.insert(leads).values({ userId, campaignId: c!.id, itemId: fullname }).returning();
      return { leadId: l!.id, fullname };
    },
    async connect(user, code) {
      const started = await user.call({ method: 'POST', url: '/api/v1/reddit-accounts/connect' });
      const state = new URL(started.json<{ authorize_url: string }>().authorize_url).searchParams.get('state') ?? '';
      return user.call({
        method: 'GET',
        url: `/api/v1/reddit-accounts/callback?${new URLSearchParams({ code, state }).toString()}`,
      });
    },
    async close() {
      await app.close();
      await bull.close(2_000);
      await front.close();
      await fake.close();
      await clearRedisPrefix(redis, prefix);
      redis.disconnect();
      await t.drop();
    },
  };
  return world;
}
