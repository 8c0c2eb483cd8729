import { appendFileSync } from 'node:fs';
import { pino } from 'pino';
import { listCursors } from '../src/modules/ingest/ingest.repo.js';
import { createStreamPoller, type IngestSettings } from '../src/modules/ingest/stream-poller.js';
import { openDatabase } from '../src/platform/db/client.js';
import { createMemoryBudgetGovernor } from '../src/reddit/budget-governor.js';
import { createRedditClient } from '../src/reddit/client.js';
import type { SimClock } from '../src/reddit/fake-server/clock.js';
import { createMemoryTokenProvider, createTokenFetcher } from '../src/reddit/token-provider.js';
import { producerFrom } from '../test/helpers/recording-queue.js';

/**
 * The ingesting process of the ingest bench's kill -9 run: polls every active stream as
 * it falls due, on the simulation's clock (sim = simStart + (real - realStart) * factor),
 * and appends "fullname time" for each item handed to matching to the arrivals file.
 */
const [fakeUrl, dbUrl, simStart, realStart, factor, arrivalsPath, settingsJson] = process.argv.slice(2);
const settings = JSON.parse(settingsJson!) as IngestSettings;
const clock: SimClock = {
  now: () => Number(simStart) + (Date.now() - Number(realStart)) * Number(factor),
  sleep: (ms) => new Promise((r) => setTimeout(r, Math.max(0, ms / Number(factor)))),
};
const log = pino({ level: process.env.LOG_LEVEL ?? 'silent' }, process.stderr);
const database = await openDatabase({ url: dbUrl, dataDir: '', poolMax: 4 });
const ua = 'bench:com.example.subscout:0.1.0 (by /u/subscout_bench)';
const reddit = createRedditClient({
  apiUrl: fakeUrl!,
  userAgent: ua,
  tokens: createMemoryTokenProvider({
    fetchToken: createTokenFetcher({
      authUrl: fakeUrl!,
      userAgent: ua,
      credentials: { clientId: 'fake-client', clientSecret: 'fake-secret', appType: 'script' },
    }),
    log,
    now: clock.now,
  }),
  governor: createMemoryBudgetGovernor({ log, now: clock.now, sleep: clock.sleep }),
  log,
  sleep: clock.sleep,
});
const queue = producerFrom(async (_q, payload) => {
  const t = clock.now();
  const ids = (payload as { itemIds: string[] }).itemIds;
  if (ids.length > 0) appendFileSync(arrivalsPath!, ids.map((id) => `${id} ${t}\n`).join(''));
});
const poller = createStreamPoller({ db: database.db, reddit, queue, log, now: () => new Date(clock.now()), settings, source: 'reddit' });
const keys = (await listCursors(database.db, { activeOnly: true })).map((c) => c.streamKey);
process.stdout.write('ready\n');
for (;;) {
  for (const key of keys) await poller.poll(key);
  await new Promise((r) => setTimeout(r, 20));
}
