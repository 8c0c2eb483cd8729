import { createHash } from 'node:crypto';
import { z } from 'zod';
import { type Cache, parseCached } from '../../platform/cache/cache.js';
import type { Db } from '../../platform/db/client.js';
import { INTENTS } from '../../platform/db/schema.js';
import type { Logger } from '../../platform/logger.js';
import type { QueueProducer } from '../../platform/queue/queue.js';
import {
  addUsage,
  findLeadsToScore,
  findUnscoredLeadIds,
  type LeadToScore,
  tokensUsedOn,
  type UsageRow,
  writeScores,
} from './scoring.repo.js';
import type { ScoreCandidate, ScoreResult, Scorer, TokenUsage } from './scoring.types.js';

export interface ScoringServiceDeps {
  db: Db;
  /** The configured provider: the local scorer itself, or an OpenAI-compatible one. */
  scorer: Scorer;
  /** Stands in when the provider may not be used (token cap). */
  localScorer: Scorer;
  cache: Cache;
  queue: QueueProducer;
  log: Logger;
  now: () => Date;
  /** Tokens per user per UTC day; 0 means no cap. */
  dailyTokenCap: number;
  cacheTtlSeconds: number;
  costPer1MInput: number;
  costPer1MOutput: number;
}

export interface ScoreRunSummary {
  leads: number;
  cacheHits: number;
  modelCalls: number;
  scored: number;
  unscored: number;
  /** Leads whose score changed in this run (a second run of the same job changes none). */
  written: number;
  notifyJobs: number;
}

const cachedScore = z.object({
  score: z.number().int().min(0).max(100),
  intent: z.enum(INTENTS),
  reasons: z.array(z.string()),
  scoredBy: z.string(),
});

export function scoreCacheKey(model: string, lead: LeadToScore): string {
  return `score:${model}:${lead.campaignId}:${lead.campaign.version}:${lead.item.fullname}`;
}

function toCandidate(lead: LeadToScore): ScoreCandidate {
  return {
    key: lead.leadId,
    matchedTerms: lead.matchedTerms,
    item: lead.item,
    profile: { campaignId: lead.campaignId, ...lead.campaign },
  };
}

function readCache(raw: string | undefined, lead: LeadToScore): ScoreResult | undefined {
  const cached = parseCached(raw, cachedScore);
  return cached && { key: lead.leadId, ...cached, matchedTerms: lead.matchedTerms, scoring: 'scored' };
}

export function createScoringService(deps: ScoringServiceDeps) {
  const { db, scorer, localScorer, cache, log } = deps;
  const usesModel = scorer.name !== 'local';

  function usageRows(usage: TokenUsage, userOf: Map<string, string>, day: string): UsageRow[] {
    return [...usage.byCampaign].map(([campaignId, u]) => ({
      userId: userOf.get(campaignId)!,
      campaignId,
      day,
      model: scorer.model,
      requests: u.requests,
      inputTokens: u.inputTokens,
      outputTokens: u.outputTokens,
      costUsd: (u.inputTokens * deps.costPer1MInput + u.outputTokens * deps.costPer1MOutput) / 1_000_000,
    }));
  }

  async function capped(candidates: readonly ScoreCandidate[], why: string): Promise<ScoreResult[]> {
    const local = await localScorer.scoreBatch(candidates);
    return local.results.map((r) => ({ ...r, scoring: 'unscored', reasons: [...r.reasons, `keyword score kept: ${why}`] }));
  }

  /** Scores what the cache does not know, a batch at a time, within each user's daily token cap. */
  async function scoreMisses(misses: readonly LeadToScore[], summary: ScoreRunSummary): Promise<ScoreResult[]> {
    const candidates = misses.map(toCandidate);
    if (!usesModel) return (await scorer.scoreBatch(candidates)).results;

    const day = deps.now().toISOString().slice(0, 10);
    const userOfLead = new Map(misses.map((l) => [l.leadId, l.userId]));
    const userOfCampaign = new Map(misses.map((l) => [l.campaignId, l.userId]));
    const spent = await tokensUsedOn(db, [...new Set(userOfLead.values())], day);
    const overCap = (userId: string) => deps.dailyTokenCap > 0 && (spent.get(userId) ?? 0) >= deps.dailyTokenCap;

    const results: ScoreResult[] = [];
    let queue = candidates;
    while (queue.length > 0) {
      const held = queue.filter((c) => overCap(userOfLead.get(c.key)!));
      if (held.length > 0) {
        log.info({ leads: held.length }, 'daily AI token cap reached; keeping local scores');
        results.push(...(await capped(held, 'daily AI token cap reached')));
        queue = queue.filter((c) => !overCap(userOfLead.get(c.key)!));
      }
      const chunk = queue.slice(0, scorer.batchSize);
      queue = queue.slice(scorer.batchSize);
      if (chunk.length === 0) break;
      const batch = await scorer.scoreBatch(chunk);
      summary.modelCalls += batch.usage.requests;
      const rows = usageRows(batch.usage, userOfCampaign, day);
      for (const r of rows) spent.set(r.userId, (spent.get(r.userId) ?? 0) + r.inputTokens + r.outputTokens);
      // Recorded per chunk, so a crash later in the job cannot hide tokens already spent.
      await addUsage(db, rows);
      await cacheResults(batch.results, misses);
      results.push(...batch.results);
    }
    return results;
  }

  async function cacheResults(results: readonly ScoreResult[], leads: readonly LeadToScore[]): Promise<void> {
    const byId = new Map(leads.map((l) => [l.leadId, l]));
    await Promise.all(
      results
        .filter((r) => r.scoring === 'scored')
        .map((r) => {
          const value = JSON.stringify({ score: r.score, intent: r.intent, reasons: r.reasons, scoredBy: r.scoredBy });
          return cache.set(scoreCacheKey(scorer.model, byId.get(r.key)!), value, deps.cacheTtlSeconds);
        }),
    );
  }

  async function notifyAboveThreshold(leads: readonly LeadToScore[], results: readonly ScoreResult[], written: Set<string>) {
    const byId = new Map(leads.map((l) => [l.leadId, l]));
    const perUser = new Map<string, string[]>();
    for (const r of results) {
      const lead = byId.get(r.key)!;
      if (!written.has(r.key) || r.score < lead.campaign.threshold) continue;
      perUser.set(lead.userId, [...(perUser.get(lead.userId) ?? []), r.key]);
    }
    const jobs = [...perUser].map(([userId, leadIds]) => {
      const sorted = [...leadIds].sort();
      const digest = createHash('sha256').update(sorted.join(',')).digest('hex').slice(0, 24);
      return { payload: { leadIds: sorted }, opts: { jobId: `notify-${userId}-${digest}` } };
    });
    if (jobs.length > 0) await deps.queue.enqueueBulk('notify', jobs);
    return jobs.length;
  }

  async function scoreLeads(leadIds: readonly string[]): Promise<ScoreRunSummary> {
    const summary: ScoreRunSummary = {
      leads: 0,
      cacheHits: 0,
      modelCalls: 0,
      scored: 0,
      unscored: 0,
      written: 0,
      notifyJobs: 0,
    };
    const leads = await findLeadsToScore(db, [...new Set(leadIds)]);
    summary.leads = leads.length;
    if (leads.length === 0) return summary;

    const cached = await cache.getMany(leads.map((l) => scoreCacheKey(scorer.model, l)));
    const results: ScoreResult[] = [];
    const misses: LeadToScore[] = [];
    leads.forEach((lead, i) => {
      const hit = readCache(cached[i], lead);
      if (hit) results.push(hit);
      else misses.push(lead);
    });
    summary.cacheHits = results.length;
    if (misses.length > 0) results.push(...(await scoreMisses(misses, summary)));

    const written = new Set(
      await writeScores(
        db,
        results.map((r) => ({
          leadId: r.key,
          scoring: r.scoring,
          score: r.score,
          intent: r.intent,
          reasons: r.reasons,
          matchedTerms: r.matchedTerms,
          scoredBy: r.scoredBy,
        })),
        deps.now(),
      ),
    );
    summary.written = written.size;
    summary.scored = results.filter((r) => r.scoring === 'scored').length;
    summary.unscored = results.length - summary.scored;
    summary.notifyJobs = await notifyAboveThreshold(leads, results, written);
    log.debug({ ...summary }, 'scored leads');
    return summary;
  }

  /** For the maintenance job: gives leads kept on a local score to the provider once it is back. */
  async function rescoreUnscored(limit: number): Promise<ScoreRunSummary & { skipped: boolean }> {
    if (!scorer.isAvailable()) {
      const empty = { leads: 0, cacheHits: 0, modelCalls: 0, scored: 0, unscored: 0, written: 0, notifyJobs: 0 };
      return { ...empty, skipped: true };
    }
    const ids = await findUnscoredLeadIds(db, limit);
    return { ...(await scoreLeads(ids)), skipped: false };
  }

  return { scoreLeads, rescoreUnscored };
}

export type ScoringService = ReturnType<typeof createScoringService>;
