import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Redis } from '../src/platform/redis.js';
import {
  type BudgetGovernor,
  createMemoryBudgetGovernor,
  createRedisBudgetGovernor,
  type GovernorDeps,
} from '../src/reddit/budget-governor.js';
import { createManualClock, type ManualClock } from '../src/reddit/fake-server/clock.js';
import { type FakeReddit, startFakeReddit } from '../src/reddit/fake-server/server.js';
import { clearRedisPrefix, createTestRedis, uniqueRedisPrefix } from './helpers/services.js';

const log = pino({ level: 'silent' });
const T0 = Date.UTC(2025, 5, 1);

let redis: Redis;
const prefixes: string[] = [];
beforeAll(() => {
  redis = createTestRedis();
});
afterAll(async () => {
  for (const p of prefixes) await clearRedisPrefix(redis, p);
  await redis.quit();
});

type Factory = (deps: GovernorDeps, shared: string) => BudgetGovernor;

const implementations: [string, () => Factory][] = [
  [
    'in memory',
    () => {
      const byKey = new Map<string, BudgetGovernor>();
      return (deps, shared) => {
        // One process: every caller shares the same instance.
        if (!byKey.has(shared)) byKey.set(shared, createMemoryBudgetGovernor(deps));
        return byKey.get(shared)!;
      };
    },
  ],
  [
    'in Redis',
    () => {
      const prefix = uniqueRedisPrefix('reddit-gov');
      prefixes.push(prefix);
      // Separate instances, as separate processes would have.
      return (deps, shared) => createRedisBudgetGovernor({ ...deps, redis, prefix, clientId: shared });
    },
  ],
];

describe.each(implementations)('budget governor %s', (_name, makeFactory) => {
  let fake: FakeReddit | undefined;
  let clock: ManualClock;
  let factory: Factory;
  afterEach(async () => {
    await fake?.close();
    fake = undefined;
  });

  function deps(): GovernorDeps {
    return { log, now: clock.now, sleep: clock.sleep, maxSleepMs: 60_000 };
  }

  async function token(f: FakeReddit): Promise<string> {
    const res = await fetch(`${f.url}/api/v1/access_token`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from('fake-client:fake-secret').toString('base64')}` },
      body: 'grant_type=client_credentials',
    });
    return ((await res.json()) as { access_token: string }).access_token;
  }

  it('when two workers share the budget, then requests are spread over the window and Reddit never answers 429', async () => {
    clock = createManualClock(T0);
    factory = makeFactory();
    fake = await startFakeReddit({ clock, budget: 10, windowMs: 10_000, tokenTtlS: 86_400 });
    const bearer = await token(fake);
    const workers = [factory(deps(), 'app'), factory(deps(), 'app')];
    const sentAt: number[] = [];
    for (let i = 0; i < 40; i++) {
      const g = workers[i % 2]!;
      await g.acquire();
      sentAt.push(clock.now());
      const res = await fetch(`${fake.url}/r/all/new`, { headers: { authorization: `bearer ${bearer}` } });
      await res.arrayBuffer();
      await g.record(res.headers, res.status);
    }
    expect(fake.stats().rateLimited).toBe(0);
    const perWindow = new Map<number, number>();
    for (const t of sentAt) perWindow.set(Math.floor(t / 10_000), (perWindow.get(Math.floor(t / 10_000)) ?? 0) + 1);
    expect(Math.max(...perWindow.values())).toBeLessThanOrEqual(10);
    expect(clock.now() - T0).toBeGreaterThanOrEqual(30_000);
    const state = await workers[0]!.state();
    expect(state?.source).toBe('headers');
  });

  it('when Reddit answers 429 with Retry-After, then nobody sends again before it has passed', async () => {
    clock = createManualClock(T0);
    factory = makeFactory();
    const a = factory(deps(), 'app429');
    const b = factory(deps(), 'app429');
    await a.acquire();
    const headers = new Headers({
      'retry-after': '42',
      'x-ratelimit-remaining': '0.0',
      'x-ratelimit-used': '1000',
      'x-ratelimit-reset': '42',
    });
    await a.record(headers, 429);
    const t = clock.now();
    await b.acquire();
    expect(clock.now() - t).toBeGreaterThanOrEqual(42_000);
  });

  it('when responses carry no rate-limit headers, then each still counts as one request', async () => {
    clock = createManualClock(T0);
    factory = makeFactory();
    const g = factory({ ...deps(), config: { assumedBudget: 5, assumedWindowMs: 50_000 } }, 'noheaders');
    for (let i = 0; i < 5; i++) {
      await g.acquire();
      await g.record(new Headers(), 200);
    }
    expect(await g.state()).toMatchObject({ remaining: 0, used: 5, source: 'assumed' });
    const before = clock.now();
    await g.acquire();
    // The sixth request had to wait for the assumed window to end.
    expect(clock.now()).toBeGreaterThanOrEqual(T0 + 50_000);
    expect(clock.now()).toBeGreaterThan(before);
  });

  it('when the headers report 600 left with 300 s to reset, then requests go out every 500 ms', async () => {
    clock = createManualClock(T0);
    factory = makeFactory();
    const g = factory(deps(), 'spread');
    await g.acquire();
    await g.record(new Headers({ 'x-ratelimit-remaining': '600.0', 'x-ratelimit-used': '400', 'x-ratelimit-reset': '300' }), 200);
    const times: number[] = [];
    for (let i = 0; i < 4; i++) {
      await g.acquire();
      times.push(clock.now());
    }
    const gaps = times.slice(1).map((t, i) => t - times[i]!);
    for (const gap of gaps) {
      expect(gap).toBeGreaterThanOrEqual(495);
      expect(gap).toBeLessThanOrEqual(505);
    }
  });
});
