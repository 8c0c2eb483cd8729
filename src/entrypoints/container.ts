import type { FastifyInstance } from 'fastify';
import type { QueueName } from '../config/env.js';
import { accountRoutes } from '../modules/accounts/accounts.routes.js';
import { createAccountService } from '../modules/accounts/accounts.service.js';
import { createDemoRedditClient } from '../modules/demo/demo-source.js';
import { syncIngestSchedules, createIngestJob, ingestSettingsFromEnv } from '../modules/ingest/ingest.jobs.js';
import { createMaintenanceJob, maintenanceSchedules } from '../modules/maintenance/maintenance.jobs.js';
import { createMatcherProvider } from '../modules/matching/matcher-provider.js';
import { createMatchJob } from '../modules/matching/matching.jobs.js';
import { loadActiveCampaigns } from '../modules/matching/matching.repo.js';
import { createMemoryVersionSource, createRedisVersionSource } from '../modules/matching/version-source.js';
import { createNotifyFromEnv } from '../modules/notify/notify-from-env.js';
import { notifyRoutes } from '../modules/notify/notify.routes.js';
import { createReplyJob } from '../modules/replies/replies.jobs.js';
import { replyRoutes } from '../modules/replies/replies.routes.js';
import { createReplyService } from '../modules/replies/replies.service.js';
import { createLocalScorer } from '../modules/scoring/local-scorer.js';
import { createOpenAiScorer } from '../modules/scoring/openai-scorer.js';
import { createRescoreTask, createScoreJob } from '../modules/scoring/scoring.jobs.js';
import { createScoringService } from '../modules/scoring/scoring.service.js';
import type { Scorer } from '../modules/scoring/scoring.types.js';
import { scrapeRoutes } from '../modules/scrape/scrape.routes.js';
import { createScrapeService } from '../modules/scrape/scrape.service.js';
import { createScrapeWorker } from '../modules/scrape/scrape.worker.js';
import { TOPICS } from '../modules/scrape/topics.js';
import { statusRoutes } from '../modules/status/status.routes.js';
import { createStatusService } from '../modules/status/status.service.js';
import { subredditRoutes } from '../modules/subreddits/subreddits.routes.js';
import { createSubredditService } from '../modules/subreddits/subreddits.service.js';
import type { Lifecycle } from '../platform/lifecycle.js';
import { createQueueSystemFromEnv } from '../platform/queue/queue-system.js';
import type { JobDefinition, QueueSystem } from '../platform/queue/queue.js';
import { checkRedisEvictionPolicy } from '../platform/queue/redis-eviction-check.js';
import type { RedditClient } from '../reddit/client.js';
import { createRedditSource } from '../reddit/reddit-source.js';
import type { RedditListingClient } from '../reddit/types.js';
import { userOAuthFromEnv } from '../reddit/user-oauth.js';
import type { Infrastructure } from './infrastructure.js';
import { breakerStateName, registerPipelineGauges } from './pipeline-gauges.js';
import { createRetryingTask } from './retrying-task.js';
import type { ApiExtras } from './routes.js';

const CAMPAIGN_SYNC_RETRY_MS = 5_000;

/** Everything a process runs beyond its infrastructure: the queue system, job processors, API hooks. */
export interface Container {
  queue: QueueSystem;
  /** Present in distributed mode: the BullMQ side, for /admin/queues. */
  bullmq: ReturnType<typeof createQueueSystemFromEnv>['bullmq'];
  jobs: JobDefinition[];
  apiExtras: ApiExtras;
  reddit: RedditListingClient | undefined;
  /** Makes the job schedulers match the campaigns: one per ingest stream, plus maintenance. */
  syncSchedules(): Promise<void>;
  /** Starts consuming the queues this process is configured for (none when ENABLE_WORKERS=false). */
  startWorkers(): Promise<QueueName[]>;
}

function chooseRedditSource(infra: Infrastructure): RedditListingClient | undefined {
  const { env, log } = infra;
  if (env.REDDIT_SOURCE === 'reddit') return createRedditSource(env, { log, redis: infra.redis });
  if (env.REDDIT_SOURCE === 'demo') {
    return createDemoRedditClient({ now: Date.now, itemsPerMinute: env.DEMO_ITEMS_PER_MINUTE });
  }
  return undefined;
}

function chooseScorer(infra: Infrastructure, local: Scorer): Scorer & { breaker?: { state: number } } {
  const { env, log } = infra;
  if (env.AI_PROVIDER !== 'openai') return local;
  return createOpenAiScorer({
    baseUrl: env.AI_BASE_URL,
    apiKey: env.AI_API_KEY,
    model: env.AI_MODEL,
    timeoutMs: env.AI_TIMEOUT_MS,
    batchSize: env.AI_BATCH_SIZE,
    fallback: local,
    log: log.child({ component: 'ai' }),
  });
}

export interface ContainerOptions {
  workerName: string;
  /**
   * Whether this process consumes the scrape queue by default (headless Chromium): the
   * all-in-one and scraper processes do; plain workers leave it to the scraper.
   */
  scrapes?: boolean;
}

export async function buildContainer(
  infra: Infrastructure,
  lifecycle: Lifecycle,
  opts: ContainerOptions,
): Promise<Container> {
  const { env, log, database, cache, metrics } = infra;
  const { db } = database;

  if (infra.redis) await checkRedisEvictionPolicy(infra.redis, log);
  const { system: queue, bullmq } = createQueueSystemFromEnv(env, log, opts.workerName);
  lifecycle.onShutdown('workers', 'queue', () => queue.close(env.SHUTDOWN_TIMEOUT_MS));

  const versions = infra.redis ? createRedisVersionSource(infra.redis, env.REDIS_PREFIX) : createMemoryVersionSource();
  const matcherProvider = createMatcherProvider({
    loadCampaigns: () => loadActiveCampaigns(db),
    currentVersion: () => versions.current(),
    log: log.child({ component: 'matcher' }),
  });

  const localScorer = createLocalScorer();
  const scorer = chooseScorer(infra, localScorer);
  const scoring = createScoringService({
    db,
    scorer,
    localScorer,
    cache,
    queue,
    log: log.child({ component: 'scoring' }),
    now: () => new Date(),
    dailyTokenCap: env.AI_DAILY_TOKEN_CAP,
    cacheTtlSeconds: env.AI_CACHE_TTL_S,
    costPer1MInput: env.AI_COST_PER_1M_INPUT,
    costPer1MOutput: env.AI_COST_PER_1M_OUTPUT,
  });

  const reddit = chooseRedditSource(infra);
  const ingestSettings = ingestSettingsFromEnv(env);

  const notify = createNotifyFromEnv({ env, db, log: log.child({ component: 'notify' }) });
  const scraper = createScrapeWorker({ env, cache, log: log.child({ component: 'scrape' }) });
  lifecycle.onShutdown('clients', 'chromium', scraper.close);

  const accounts = createAccountService({
    db,
    cache,
    oauth: userOAuthFromEnv(env),
    sealer: notify.secretBox,
    log: log.child({ component: 'accounts' }),
  });
  const replies = createReplyService({ db, queue, accounts });
  const scrapes = createScrapeService({ cache, queue });
  const redditClient = reddit && 'health' in reddit ? (reddit as RedditClient) : undefined;
  const subreddits = createSubredditService({
    db: database.readDb,
    cache,
    log: log.child({ component: 'subreddits' }),
    ...(reddit ? { searchReddit: (q: string, limit: number) => reddit.searchSubreddits(q, limit) } : {}),
    topics: TOPICS.topics,
  });
  const status = createStatusService({
    db,
    queue,
    ...(redditClient ? { redditHealth: () => redditClient.health() } : {}),
    aiBreakerState: () =>
      scorer.breaker ? breakerStateName(scorer.breaker.state) : 'not used (local scorer)',
    now: () => new Date(),
  });

  const jobs: JobDefinition[] = [
    createMatchJob({ db, matcherProvider, queue, log: log.child({ component: 'match' }) }),
    createScoreJob({ scoring }),
    notify.job,
    scraper.job,
    createMaintenanceJob({
      db,
      retentionDays: env.ITEM_RETENTION_DAYS,
      rescoreUnscored: createRescoreTask({ scoring }),
      sendDigests: notify.sendDigests,
    }),
  ];
  // Posting needs the OAuth client; without Reddit credentials no account can be connected, so no reply is ever queued.
  if (env.REDDIT_CLIENT_ID && env.REDDIT_USER_AGENT) {
    jobs.push(
      createReplyJob({
        db,
        queue,
        accounts,
        reddit: redditClient ?? createRedditSource(env, { log, redis: infra.redis }),
        minIntervalMs: env.REPLY_MIN_INTERVAL_S * 1000,
        claimStaleAfterMs: 2 * env.REDDIT_REQUEST_TIMEOUT_MS + 30_000,
      }),
    );
  }
  if (reddit) {
    jobs.push(
      createIngestJob({
        db,
        reddit,
        queue,
        log: log.child({ component: 'ingest' }),
        now: () => new Date(),
        settings: ingestSettings,
        source: env.REDDIT_SOURCE === 'demo' ? 'demo' : 'reddit',
      }),
    );
  }

  async function syncSchedules(): Promise<void> {
    if (reddit) await syncIngestSchedules({ db, queue, settings: ingestSettings, log });
    await queue.syncSchedules('maintenance', maintenanceSchedules());
  }

  registerPipelineGauges(metrics, { queue, scorer, reddit: redditClient });

  const propagateCampaignChange = createRetryingTask(
    async () => {
      await versions.bump();
      await syncSchedules();
    },
    log.child({ component: 'campaign-sync' }),
    CAMPAIGN_SYNC_RETRY_MS,
  );
  lifecycle.onShutdown('workers', 'campaign-sync', async () => propagateCampaignChange.stop());

  const apiExtras: ApiExtras = {
    onCampaignsChanged: propagateCampaignChange.run,
    adminQueues: bullmq?.queues(),
    mount: async (signedIn: FastifyInstance) => {
      await scrapeRoutes(signedIn, { scrapes });
      await notifyRoutes(signedIn, { channels: notify.channels });
      await accountRoutes(signedIn, { accounts });
      await replyRoutes(signedIn, { replies });
      await statusRoutes(signedIn, { status });
      await subredditRoutes(signedIn, { subreddits });
    },
  };

  return {
    queue,
    bullmq,
    jobs,
    apiExtras,
    reddit,
    syncSchedules,
    async startWorkers() {
      if (!env.ENABLE_WORKERS) return [];
      // An explicit WORKER_QUEUES must be fully served (the registry refuses start-up otherwise);
      // by default a process consumes every queue this build has a processor for.
      const consumed =
        env.WORKER_QUEUES.length > 0
          ? (env.WORKER_QUEUES as QueueName[])
          : jobs.map((j) => j.queue).filter((q) => q !== 'scrape' || opts.scrapes === true);
      await queue.startWorkers(jobs, consumed);
      return consumed;
    },
  };
}
