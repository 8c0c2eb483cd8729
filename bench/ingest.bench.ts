import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { pino } from 'pino';
import { insertItems } from '../src/modules/ingest/ingest.repo.js';
import { syncStreams } from '../src/modules/ingest/ingest.jobs.js';
import { createStreamPoller, type IngestSettings } from '../src/modules/ingest/stream-poller.js';
import { campaigns, redditItems, users } from '../src/platform/db/schema.js';
import type { QueueProducer } from '../src/platform/queue/queue.js';
import { createMemoryBudgetGovernor } from '../src/reddit/budget-governor.js';
import { createRedditClient } from '../src/reddit/client.js';
import { createManualClock, createScaledClock, type ManualClock, type SimClock } from '../src/reddit/fake-server/clock.js';
import { type FakeReddit, startFakeReddit } from '../src/reddit/fake-server/server.js';
import type { RedditListingClient } from '../src/reddit/types.js';
import { createMemoryTokenProvider, createTokenFetcher } from '../src/reddit/token-provider.js';
import { producerFrom } from '../test/helpers/recording-queue.js';
import { createTestDatabase, type TestDatabase } from '../test/helpers/services.js';

/**
 * The live simulation: 50 items/s (90 % comments) across 200 subreddits, index lag up to
 * 30 s, watched by three overlapping campaigns and one that watches all of Reddit. The fake
 * server and the pollers share a manual clock, so ten simulated minutes run in well under
 * that. Shared ingestion and the naive baseline (every campaign polls each of its
 * subreddits on a fixed interval) each get a fresh server with the same seed and a fresh
 * database, and the same 1,000 requests / 10 min budget.
 */

const SIM_MS = 10 * 60_000;
const T0 = Date.UTC(2025, 0, 1);
const BUDGET = 1000;
const SUBS = Array.from({ length: 200 }, (_, i) => `sim_sub_${String(i).padStart(3, '0')}`);
const CAMPAIGNS = [
  { subreddits: SUBS.slice(0, 120), watchAll: false },
  { subreddits: SUBS.slice(80, 200), watchAll: false },
  { subreddits: SUBS.filter((_, i) => i % 2 === 0), watchAll: false },
  { subreddits: [] as string[], watchAll: true },
];
const SETTINGS: IngestSettings = {
  subsPerStream: 30,
  minIntervalMs: 5_000,
  maxIntervalMs: 30_000,
  lagWindowMs: 30_000,
  requestsPerSecond: 900 / 600,
};
const NAIVE_INTERVAL_MS = 60_000;
const log = pino({ level: 'silent' });

interface RunResult {
  coverage: number;
  p95LatencyS: number;
  requests: number;
  streams: number;
}

async function world(clock: SimClock) {
  const fake = await startFakeReddit({
    clock,
    budget: BUDGET,
    live: { itemsPerSecond: 50, subreddits: SUBS, maxLagMs: 30_000, commentShare: 0.9, seed: 42, startMs: T0 - 120_000 },
  });
  const ua = 'bench:com.example.subscout:0.1.0 (by /u/subscout_bench)';
  const tokens = createMemoryTokenProvider({
    fetchToken: createTokenFetcher({
      authUrl: fake.url,
      userAgent: ua,
      credentials: { clientId: 'fake-client', clientSecret: 'fake-secret', appType: 'script' },
    }),
    log,
    now: clock.now,
  });
  const reddit = createRedditClient({
    apiUrl: fake.url,
    userAgent: ua,
    tokens,
    governor: createMemoryBudgetGovernor({ log, now: clock.now, sleep: clock.sleep }),
    log,
    sleep: clock.sleep,
  });
  return { fake, reddit };
}

/** Records when each item reached matching: the moment its row is stored and handed over. */
function timingQueue(clock: ManualClock, arrivals: Map<string, number>): QueueProducer {
  return producerFrom(async (_q, payload) => {
    for (const id of (payload as { itemIds: string[] }).itemIds) if (!arrivals.has(id)) arrivals.set(id, clock.now());
  });
}

async function measure(
  fake: FakeReddit,
  t: TestDatabase,
  arrivals: Map<string, number>,
  requests: number,
  streams: number,
  end = T0 + SIM_MS,
) {
  // Items created in the last minute may still be in flight; they are not counted either way.
  const cutoff = Math.min(end, T0 + SIM_MS) - 60_000;
  const expected = fake
    .visibleFullnames()
    .map((f) => fake.store.get(f)!)
    .filter((s) => s.createdMs >= T0 && s.createdMs < cutoff);
  const stored = new Set((await t.database.db.select({ f: redditItems.fullname }).from(redditItems)).map((r) => r.f));
  const latencies = expected
    .filter((s) => stored.has(s.fullname))
    .map((s) => ((arrivals.get(s.fullname) ?? Number.POSITIVE_INFINITY) - s.createdMs) / 1000)
    .sort((a, b) => a - b);
  const covered = latencies.length;
  return {
    coverage: (100 * covered) / expected.length,
    p95LatencyS: latencies[Math.floor(latencies.length * 0.95)] ?? Number.NaN,
    requests,
    streams,
  } satisfies RunResult;
}

async function runShared(): Promise<RunResult> {
  const clock = createManualClock(T0);
  const { fake, reddit } = await world(clock);
  const t = await createTestDatabase();
  try {
    const { db } = t.database;
    const [user] = await db.insert(users).values({ email: 'bench@example.com' }).returning();
    await db.insert(campaigns).values(CAMPAIGNS.map((c, i) => ({ userId: user!.id, name: `c${i}`, ...c })));
    const schedules = await syncStreams({ db, settings: SETTINGS });
    const arrivals = new Map<string, number>();
    const poller = createStreamPoller({ db, reddit, queue: timingQueue(clock, arrivals), log, now: () => new Date(clock.now()), settings: SETTINGS, source: 'reddit' });
    const due = new Map(schedules.map((s, i) => [(s.payload as { streamKey: string }).streamKey, T0 + i * 200]));
    const before = fake.stats().apiRequests;
    let polls = 0;
    while (clock.now() < T0 + SIM_MS) {
      const [key, at] = [...due.entries()].reduce((a, b) => (b[1] < a[1] ? b : a));
      clock.set(at);
      const outcome = await poller.poll(key);
      due.set(key, Math.max(clock.now(), at) + (outcome.status === 'polled' ? outcome.intervalMs : 1000));
      if (outcome.status === 'polled' && ++polls % 100 === 0) {
        process.stdout.write(`  shared: ${polls} polls, t=${Math.round((clock.now() - T0) / 1000)} s, requests=${fake.stats().apiRequests - before}\n`);
      }
    }
    return await measure(fake, t, arrivals, fake.stats().apiRequests - before, schedules.length);
  } finally {
    await fake.close();
    await t.drop();
  }
}

async function runNaive(): Promise<RunResult> {
  const clock = createManualClock(T0);
  const { fake, reddit } = await world(clock);
  const t = await createTestDatabase();
  try {
    const arrivals = new Map<string, number>();
    const queue = timingQueue(clock, arrivals);
    const listings: (() => ReturnType<RedditListingClient['newPosts']>)[] = [];
    for (const c of CAMPAIGNS) {
      const targets: (readonly string[] | 'all')[] = c.watchAll ? ['all'] : c.subreddits.map((s) => [s]);
      for (const subs of targets) listings.push(() => reddit.newPosts(subs, { limit: 100 }), () => reddit.newComments(subs, { limit: 100 }));
    }
    const before = fake.stats().apiRequests;
    while (clock.now() < T0 + SIM_MS) {
      const cycleStart = clock.now();
      for (const read of listings) {
        if (clock.now() >= T0 + SIM_MS) break;
        const page = await read();
        await queue.enqueue('match', { itemIds: await insertItems(t.database.db, page.items, 'reddit') });
      }
      clock.set(cycleStart + NAIVE_INTERVAL_MS);
    }
    process.stdout.write(`  naive: ${listings.length} listings per cycle, requests=${fake.stats().apiRequests - before}\n`);
    return await measure(fake, t, arrivals, fake.stats().apiRequests - before, listings.length);
  } finally {
    await fake.close();
    await t.drop();
  }
}

/**
 * The same shared ingestion in a child process on a sped-up clock, killed with SIGKILL
 * five times and restarted: coverage must hold and no row may be stored twice. Opt-in
 * (`npm run bench -- ingest --kills [--factor=N]`): it runs on real time sped up, so a
 * loaded machine skews it, where the main runs share a manual clock and do not care.
 */
async function runWithKills(kills: number, factor: number): Promise<RunResult & { duplicates: number }> {
  const realStart = Date.now();
  const clock = createScaledClock(factor, T0, Date.now);
  const { fake } = await world(clock);
  const t = await createTestDatabase();
  const dir = mkdtempSync(join(tmpdir(), 'subscout-ingest-bench-'));
  const arrivalsPath = join(dir, 'arrivals.txt');
  let child: ChildProcess | undefined;
  try {
    const { db } = t.database;
    const [user] = await db.insert(users).values({ email: 'bench@example.com' }).returning();
    await db.insert(campaigns).values(CAMPAIGNS.map((c, i) => ({ userId: user!.id, name: `c${i}`, ...c })));
    const schedules = await syncStreams({ db, settings: SETTINGS });
    const start = () =>
      spawn(
        process.execPath,
        ['--import', 'tsx', fileURLToPath(new URL('./ingest-child.ts', import.meta.url)), fake.url, t.url, String(T0), String(realStart), String(factor), arrivalsPath, JSON.stringify(SETTINGS)],
        { stdio: ['ignore', 'ignore', 'inherit'] },
      );
    child = start();
    const realRun = SIM_MS / factor;
    for (let k = 1; k <= kills; k++) {
      // Kill times are spread over the run and offset so they land mid-poll as often as not.
      const at = realStart + (realRun * k) / (kills + 1) + (k % 3) * 137;
      await new Promise((r) => setTimeout(r, Math.max(0, at - Date.now())));
      child.kill('SIGKILL');
      await new Promise((r) => child!.once('exit', r));
      process.stdout.write(`  kill -9 #${k} at t=${Math.round((clock.now() - T0) / 1000)} s, restarting\n`);
      child = start();
    }
    await new Promise((r) => setTimeout(r, Math.max(0, realStart + realRun - Date.now())));
    child.kill('SIGKILL');
    await new Promise((r) => child!.once('exit', r));
    const arrivals = new Map<string, number>();
    for (const l of readFileSync(arrivalsPath, 'utf8').split('\n')) {
      const [id, at] = l.split(' ');
      if (id && at && !arrivals.has(id)) arrivals.set(id, Number(at));
    }
    const dup = await db.select({ n: sql<number>`count(*)::int - count(distinct fullname)::int` }).from(redditItems);
    const result = await measure(fake, t, arrivals, fake.stats().apiRequests, schedules.length, clock.now());
    return { ...result, duplicates: dup[0]!.n };
  } finally {
    child?.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
    await fake.close();
    await t.drop();
  }
}

const line = (r: RunResult) =>
  `coverage=${r.coverage.toFixed(2)} p95_latency_s=${r.p95LatencyS.toFixed(1)} requests=${r.requests} budget=${BUDGET}`;

export default async function ingestBench(args: string[] = []): Promise<void> {
  const factorArg = args.find((a) => a.startsWith('--factor='));
  const factor = factorArg ? Number(factorArg.slice('--factor='.length)) : 10;
  if (args.includes('--kills')) {
    const k = await runWithKills(5, factor);
    process.stdout.write(`${line(k)} duplicate_rows=${k.duplicates}\n`);
    return;
  }
  process.stdout.write(`ingest: ${SIM_MS / 60_000} simulated minutes, 50 items/s over ${SUBS.length} subreddits, lag <= 30 s\n`);
  const naive = await runNaive();
  process.stdout.write(`naive baseline (${naive.streams} listings, every ${NAIVE_INTERVAL_MS / 1000} s): ${line(naive)}\n`);
  const shared = await runShared();
  process.stdout.write(`shared ingestion (${shared.streams} streams): ${line(shared)}\n`);
  process.stdout.write(`${line(shared)}\n`);
}
