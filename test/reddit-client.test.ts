import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryBudgetGovernor } from '../src/reddit/budget-governor.js';
import { createRedditClient, type RedditClient } from '../src/reddit/client.js';
import { RedditRequestError, RedditRetriesExhaustedError, RedditUnavailableError } from '../src/reddit/errors.js';
import { createManualClock } from '../src/reddit/fake-server/clock.js';
import { type FakeReddit, type FakeRedditOptions, startFakeReddit } from '../src/reddit/fake-server/server.js';
import type { BreakerOptions, RetryOptions } from '../src/reddit/http-caller.js';
import { createRedditSource } from '../src/reddit/reddit-source.js';
import { createMemoryTokenProvider, createTokenFetcher } from '../src/reddit/token-provider.js';
import { loadEnv } from '../src/config/env.js';

const log = pino({ level: 'silent' });
const UA = 'test:com.example.subscout:0.1.0 (by /u/subscout_test)';
const T0 = Date.UTC(2025, 5, 1);

let fake: FakeReddit | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

interface Setup {
  client: RedditClient;
  fake: FakeReddit;
  sleeps: number[];
}

async function setup(
  opts: FakeRedditOptions = {},
  tuning: { retry?: Partial<RetryOptions>; breaker?: Partial<BreakerOptions> } = {},
): Promise<Setup> {
  const clock = createManualClock(T0);
  fake = await startFakeReddit({ clock, fixtures: true, budget: 100_000, users: { code1: 'alice' }, ...opts });
  const sleeps: number[] = [];
  const sleep = async (ms: number) => {
    sleeps.push(ms);
    await clock.sleep(ms);
  };
  const tokens = createMemoryTokenProvider({
    fetchToken: createTokenFetcher({
      authUrl: fake.url,
      userAgent: UA,
      credentials: { clientId: 'fake-client', clientSecret: 'fake-secret', appType: 'script' },
    }),
    log,
    now: clock.now,
  });
  const governor = createMemoryBudgetGovernor({ log, now: clock.now, sleep: clock.sleep });
  const client = createRedditClient({
    apiUrl: fake.url,
    userAgent: UA,
    tokens,
    governor,
    log,
    sleep,
    random: () => 0.5,
    ...tuning,
  });
  return { client, fake, sleeps };
}

describe('Reddit client against the fake server', () => {
  it('when listings are read, then pages come back normalised with their cursors', async () => {
    const { client } = await setup();
    const page = await client.newComments('all', { limit: 100 });
    expect(page.items).toHaveLength(100);
    expect(page.items.every((i) => i.kind === 'comment' && i.linkId?.startsWith('t3_'))).toBe(true);
    const older = await client.newComments('all', { after: page.after! });
    expect(older.items[0]!.createdUtc.getTime()).toBeLessThanOrEqual(page.items.at(-1)!.createdUtc.getTime());
    expect((await client.newPosts(['coins', 'pics'])).items.every((i) => ['coins', 'pics'].includes(i.subreddit))).toBe(
      true,
    );
    expect((await client.searchSubreddits('praw', 100)).length).toBeGreaterThanOrEqual(37);
  });

  it('when info is asked for 250 fullnames, then the client sends batches of 100', async () => {
    const { client, fake } = await setup();
    const things = fake.store.window('t1', 'all', T0, 1000).slice(0, 250);
    const got = await client.info(things.map((t) => t.fullname));
    expect(got).toHaveLength(250);
    expect(fake.stats().byRoute.info).toBe(3);
  });

  it('when Reddit answers 503 twice, then the call is retried with growing backoff and succeeds', async () => {
    const { client, fake, sleeps } = await setup({}, { retry: { baseDelayMs: 100, maxAttempts: 4 } });
    fake.failNext(2, 503);
    const page = await client.newPosts('all');
    expect(page.items.length).toBeGreaterThan(0);
    // Equal jitter with random() = 0.5: 75 % of 100 ms, then of 200 ms.
    expect(sleeps.filter((s) => s === 75 || s === 150)).toEqual([75, 150]);
    expect(fake.stats().apiRequests).toBe(3);
  });

  it('when 5xx answers outlast the attempts, then a typed RedditRetriesExhaustedError is thrown', async () => {
    const { client, fake } = await setup({}, { retry: { maxAttempts: 3, baseDelayMs: 1 } });
    fake.failNext(5, 500);
    const err = await client.newPosts('all').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RedditRetriesExhaustedError);
    expect(err).toMatchObject({ code: 'reddit_retries_exhausted' });
  });

  it('when Reddit keeps failing, then the breaker opens, calls fail fast, and it half-opens and closes after the delay', async () => {
    const { client, fake } = await setup(
      {},
      { retry: { maxAttempts: 2, baseDelayMs: 1 }, breaker: { consecutiveFailures: 4, halfOpenAfterMs: 150 } },
    );
    fake.setDown(true);
    await expect(client.newPosts('all')).rejects.toBeInstanceOf(RedditRetriesExhaustedError);
    await expect(client.newPosts('all')).rejects.toBeInstanceOf(RedditRetriesExhaustedError);
    expect((await client.health()).breaker).toBe('open');
    const sent = fake.stats().apiRequests;
    const err = await client.newPosts('all').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RedditUnavailableError);
    expect(err).toMatchObject({ code: 'reddit_unavailable', status: 503 });
    expect(fake.stats().apiRequests).toBe(sent);
    fake.setDown(false);
    // cockatiel measures the open period on the wall clock.
    await new Promise((r) => setTimeout(r, 200));
    expect((await client.newPosts('all')).items.length).toBeGreaterThan(0);
    expect((await client.health()).breaker).toBe('closed');
  });

  it('when the token is refused with 401, then the client fetches a new token once and retries', async () => {
    const { client, fake } = await setup();
    await client.newPosts('all');
    fake.revokeTokens();
    const page = await client.newPosts('all');
    expect(page.items.length).toBeGreaterThan(0);
    expect(fake.stats().tokenRequests).toBe(2);
    expect(fake.stats().unauthorized).toBe(1);
  });

  it('when another app instance spent the budget and Reddit answers 429, then the client waits Retry-After and succeeds', async () => {
    const { client, fake } = await setup({ budget: 3, windowMs: 60_000 });
    await client.newPosts('all');
    // A process that does not share this governor spends the rest of the window.
    const res = await fetch(`${fake.url}/api/v1/access_token`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from('fake-client:fake-secret').toString('base64')}` },
      body: 'grant_type=client_credentials',
    });
    const other = ((await res.json()) as { access_token: string }).access_token;
    for (let i = 0; i < 2; i++) await (await fetch(`${fake.url}/r/all/new`, { headers: { authorization: `bearer ${other}` } })).text();
    const before = fake.clock.now();
    const page = await client.newPosts('all');
    expect(page.items.length).toBeGreaterThan(0);
    expect(fake.stats().rateLimited).toBe(1);
    // The window is aligned to the minute, so Retry-After was at most 60 s and at least what remained of it.
    const retryAfterMs = 60_000 - ((before - 1) % 60_000);
    expect(fake.clock.now() - before).toBeGreaterThanOrEqual(retryAfterMs - 1_000);
    expect((await client.health()).budget?.source).toBe('headers');
  });

  it('when a 4xx other than 401/429 comes back, then it is not retried and a RedditRequestError is thrown', async () => {
    const { client, fake } = await setup();
    fake.failNext(1, 403);
    await expect(client.newPosts('all')).rejects.toBeInstanceOf(RedditRequestError);
    expect(fake.stats().apiRequests).toBe(1);
  });

  it('when a reply is posted, then success and Reddit errors come back as typed results', async () => {
    const { client, fake } = await setup();
    const res = await fetch(`${fake.url}/api/v1/access_token`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from('fake-client:fake-secret').toString('base64')}` },
      body: 'grant_type=authorization_code&code=code1',
    });
    const userToken = ((await res.json()) as { access_token: string }).access_token;
    const ok = await client.postComment(userToken, 't3_5jo13y', 'Have you tried a spreadsheet?');
    expect(ok).toMatchObject({ ok: true, thing: { author: 'alice', linkId: 't3_5jo13y', kind: 'comment' } });
    fake.queueCommentErrors([['RATELIMIT', 'You are doing that too much. Try again in 3 minutes.', 'ratelimit']]);
    expect(await client.postComment(userToken, 't3_5jo13y', 'again')).toEqual({
      ok: false,
      code: 'RATELIMIT',
      message: 'You are doing that too much. Try again in 3 minutes.',
      field: 'ratelimit',
      retryAfterMs: 180_000,
      permanent: false,
    });
    fake.queueCommentErrors([['THREAD_LOCKED', 'Comments are locked.', 'parent']]);
    expect(await client.postComment(userToken, 't3_5jo13y', 'x')).toMatchObject({ code: 'THREAD_LOCKED', permanent: true });
    fake.failNext(1, 403);
    expect(await client.postComment(userToken, 't3_5jo13y', 'x')).toMatchObject({ code: 'FORBIDDEN', permanent: true });
    expect(fake.stats().comments).toBe(3);
  });

  it('when the Reddit source is built from env without a User-Agent, then it refuses to start and names the variable', async () => {
    fake = await startFakeReddit({ clock: createManualClock(T0), fixtures: true, budget: 100_000 });
    const base = {
      REDDIT_SOURCE: 'reddit',
      REDDIT_CLIENT_ID: 'fake-client',
      REDDIT_CLIENT_SECRET: 'fake-secret',
      REDDIT_API_URL: fake.url,
      REDDIT_AUTH_URL: fake.url,
    };
    expect(() => createRedditSource(loadEnv(base), { log })).toThrow(/REDDIT_USER_AGENT/);
    const client = createRedditSource(loadEnv({ ...base, REDDIT_USER_AGENT: UA }), { log });
    expect((await client.newComments('all', { limit: 5 })).items).toHaveLength(5);
  });
});
