import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compileMatcher } from '../src/modules/matching/compile-matcher.js';
import type { MatcherCampaign } from '../src/modules/matching/matcher.types.js';
import { createLocalScorer } from '../src/modules/scoring/local-scorer.js';
import { createOpenAiScorer } from '../src/modules/scoring/openai-scorer.js';
import { createScoringService } from '../src/modules/scoring/scoring.service.js';
import { createMemoryCache } from '../src/platform/cache/memory-cache.js';
import { openDatabase } from '../src/platform/db/client.js';
import { migrateDatabase } from '../src/platform/db/migrate.js';
import { campaigns, leads, redditItems, users } from '../src/platform/db/schema.js';
import { createLogger } from '../src/platform/logger.js';
import type { QueueProducer } from '../src/platform/queue/queue.js';
import { startFakeOpenAi } from '../test/helpers/fake-openai.js';
import { loadFixtureComments } from '../test/helpers/reddit-fixtures.js';

/*
 * Every real comment in the recorded Reddit responses goes through the compiled matcher for
 * 100 campaigns, then through the scoring service against a stand-in OpenAI server; then the
 * same leads are scored again to show the cache answers them all. Embedded mode: PGlite and
 * the in-process LRU cache. Counts, not timings, are the result.
 */

/** Product categories people ask about on Reddit; each becomes a campaign watching for buyers. */
const TOPICS: [string, string][] = [
  ['vpn', 'VPN service'], ['"password manager"', 'password manager'], ['antivirus', 'antivirus'], ['backup', 'backup tool'],
  ['"cloud storage"', 'cloud storage'], ['dropbox', 'file sync'], ['"note taking"', 'notes app'], ['evernote', 'notes app'],
  ['crm', 'CRM'], ['"project management"', 'project management'], ['trello', 'kanban board'], ['jira', 'issue tracker'],
  ['slack', 'team chat'], ['"video editor"', 'video editor'], ['photoshop', 'image editor'], ['lightroom', 'photo editor'],
  ['"screen recorder"', 'screen recorder'], ['obs', 'streaming software'], ['"web hosting"', 'web hosting'], ['wordpress', 'website builder'],
  ['shopify', 'e-commerce platform'], ['"email marketing"', 'email marketing'], ['mailchimp', 'newsletter tool'], ['seo', 'SEO tool'],
  ['analytics', 'analytics'], ['excel', 'spreadsheet add-in'], ['"google sheets"', 'spreadsheet tool'], ['invoice', 'invoicing'],
  ['accounting', 'accounting software'], ['quickbooks', 'bookkeeping'], ['payroll', 'payroll'], ['"time tracking"', 'time tracker'],
  ['calendar', 'scheduling app'], ['"to do"', 'task manager'], ['todoist', 'task manager'], ['keyboard', 'mechanical keyboard'],
  ['mouse', 'gaming mouse'], ['monitor', 'monitor'], ['headphones', 'headphones'], ['laptop', 'laptop'],
  ['router', 'wifi router'], ['nas', 'network storage'], ['ssd', 'storage drive'], ['gpu', 'graphics card'],
  ['"graphics card"', 'graphics card'], ['linux', 'linux distro'], ['ide', 'code editor'], ['"text editor"', 'text editor'],
  ['vscode', 'code editor'], ['git', 'git client'], ['docker', 'container platform'], ['aws', 'cloud hosting'],
  ['database', 'database'], ['api', 'API platform'], ['chatbot', 'chatbot'], ['translation', 'translation tool'],
  ['"language learning"', 'language app'], ['duolingo', 'language app'], ['fitness', 'fitness app'], ['"meal plan"', 'meal planner'],
  ['budget', 'budgeting app'], ['mint', 'budgeting app'], ['"credit card"', 'credit card comparison'], ['insurance', 'insurance'],
  ['mortgage', 'mortgage broker'], ['bank', 'online bank'], ['crypto', 'crypto exchange'], ['bitcoin', 'bitcoin wallet'],
  ['stocks', 'brokerage'], ['"dating app"', 'dating app'], ['tinder', 'dating app'], ['podcast', 'podcast app'],
  ['spotify', 'music streaming'], ['netflix', 'video streaming'], ['"streaming service"', 'streaming service'], ['kindle', 'e-reader'],
  ['audiobook', 'audiobooks'], ['camera', 'camera'], ['drone', 'drone'], ['phone', 'smartphone'],
  ['android', 'android app'], ['iphone', 'iphone app'], ['tablet', 'tablet'], ['watch', 'smartwatch'],
  ['mattress', 'mattress'], ['chair', 'office chair'], ['desk', 'standing desk'], ['backpack', 'backpack'],
  ['boots', 'boots'], ['jacket', 'jacket'], ['bike', 'bicycle'], ['car', 'car buying service'],
  ['tires', 'tires'], ['moving', 'moving company'], ['lawyer', 'legal service'], ['tutor', 'tutoring'],
  ['course', 'online course'], ['bootcamp', 'coding bootcamp'], ['resume', 'resume builder'], ['recruiting', 'recruiting tool'],
];
const ASKS = '(recommend* OR alternative* OR "looking for" OR suggestion* OR "any good" OR "which one" OR "is there a" OR "worth it")';

export default async function scoringBench(): Promise<void> {
  const log = createLogger({ level: 'silent', pretty: false });
  const dir = mkdtempSync(join(tmpdir(), 'subscout-bench-scoring-'));
  const database = await openDatabase({ dataDir: dir, poolMax: 1 });
  const fake = await startFakeOpenAi();
  try {
    await migrateDatabase(database);
    const { db } = database;
    const items = loadFixtureComments();
    console.log(`loaded ${items.length} real comments from the recorded Reddit responses`);

    const [user] = await db.insert(users).values({ email: 'bench@example.com' }).returning();
    const rows = await db
      .insert(campaigns)
      .values(
        TOPICS.map(([kw, what], i) => ({
          userId: user!.id,
          name: `campaign ${i + 1}`,
          productName: `Product ${i + 1}`,
          productDescription: `A ${what} for people who want a better ${what}.`,
          leadContext: `People asking which ${what} to pick or looking for an alternative.`,
          rules: [`${kw} AND ${ASKS}`],
          authorDeny: ['automoderator'],
          includeNsfw: true,
        })),
      )
      .returning();
    const matcherCampaigns: MatcherCampaign[] = rows.map((c) => ({
      id: c.id,
      rules: c.rules,
      negativeKeywords: c.negativeKeywords,
      subreddits: c.subreddits,
      subredditDeny: c.subredditDeny,
      authorDeny: c.authorDeny,
      minScore: c.minScore,
      includeNsfw: c.includeNsfw,
    }));
    const matcher = compileMatcher(matcherCampaigns, 'bench');
    console.log(`compiled ${matcher.stats.rules} rules of ${matcher.stats.campaigns} campaigns (${matcher.stats.invalid.length} invalid)`);

    const candidates: { itemId: string; campaignId: string; matchedTerms: string[] }[] = [];
    for (const item of items) {
      for (const m of matcher.match(item)) candidates.push({ itemId: item.fullname, campaignId: m.campaignId, matchedTerms: m.matchedTerms });
    }
    const matchedIds = new Set(candidates.map((c) => c.itemId));
    const matchedItems = items.filter((i) => matchedIds.has(i.fullname));
    if (matchedItems.length > 0) {
      await db.insert(redditItems).values(
        matchedItems.map((i) => ({
          fullname: i.fullname,
          kind: i.kind,
          subreddit: i.subreddit,
          author: i.author,
          title: i.title,
          body: i.body,
          permalink: `/r/${i.subreddit}/comments/${i.fullname}/`,
          createdUtc: new Date(0),
        })),
      );
    }
    const leadIds = candidates.length
      ? (
          await db
            .insert(leads)
            .values(candidates.map((c) => ({ userId: user!.id, ...c })))
            .returning({ id: leads.id })
        ).map((r) => r.id)
      : [];
    console.log(`matched ${candidates.length} (campaign, item) candidates from ${matchedItems.length} items`);

    const localScorer = createLocalScorer();
    const scorer = createOpenAiScorer({
      baseUrl: fake.baseUrl,
      apiKey: 'bench',
      model: 'stand-in',
      timeoutMs: 5_000,
      batchSize: 10,
      fallback: localScorer,
      log,
    });
    const noQueue: QueueProducer = { enqueue: async () => {}, enqueueBulk: async () => {} };
    const scoring = createScoringService({
      db,
      scorer,
      localScorer,
      cache: createMemoryCache(),
      queue: noQueue,
      log,
      now: () => new Date(),
      dailyTokenCap: 0,
      cacheTtlSeconds: 3_600,
      costPer1MInput: 0.15,
      costPer1MOutput: 0.6,
    });

    // Score jobs carry at most 500 lead ids, as the match job sends them.
    const run = async () => {
      const total = { modelCalls: 0, cacheHits: 0, scored: 0 };
      for (let i = 0; i < leadIds.length; i += 500) {
        const s = await scoring.scoreLeads(leadIds.slice(i, i + 500));
        total.modelCalls += s.modelCalls;
        total.cacheHits += s.cacheHits;
        total.scored += s.scored;
      }
      return total;
    };
    const first = await run();
    console.log(`first run: ${first.scored} scored, ${first.modelCalls} model calls, ${fake.requests.length} requests at the server`);
    // The same items delivered again (a re-match, a replayed job): the cache must answer every one.
    await db.update(leads).set({ scoring: 'pending' });
    const before = fake.requests.length;
    const second = await run();
    const repeated = fake.requests.length - before;
    console.log(`second run: ${second.cacheHits} cache hits, ${repeated} repeated model calls`);

    const campaignsHit = new Set(candidates.map((c) => c.campaignId)).size;
    console.log(
      `baselines: one call per candidate = ${candidates.length} calls; one batch per campaign = ${campaignsHit} calls; cross-campaign batches = ${first.modelCalls} calls`,
    );
    const calls = first.modelCalls + second.modelCalls;
    const per1k = items.length ? Math.round((calls / items.length) * 1000 * 100) / 100 : 0;
    console.log(
      `items=${items.length} candidates=${candidates.length} model_calls=${calls} calls_per_1k_items=${per1k} cache_hits=${second.cacheHits}`,
    );
  } finally {
    await fake.close();
    await database.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
