import type { Db } from '../../platform/db/client.js';
import type { Campaign, INTENTS } from '../../platform/db/schema.js';
import { ForbiddenError, NotFoundError, ServiceUnavailableError, ValidationError } from '../../platform/errors.js';
import type { PlanLimits } from '../users/users.schemas.js';
import { campaignStatsRows } from './campaign-stats.repo.js';
import {
  type CampaignFields,
  countLiveCampaigns,
  findCampaign,
  insertCampaign,
  listCampaigns,
  restoreCampaign,
  softDeleteCampaign,
  updateCampaign,
} from './campaigns.repo.js';
import type {
  CampaignInput,
  CampaignPatch,
  CampaignStats,
  CampaignView,
  PreviewInput,
  PreviewResult,
} from './campaigns.schemas.js';

export const RESTORE_WINDOW_MS = 30 * 86_400_000;

export interface RuleProblem {
  index: number;
  position: number;
  message: string;
}

export interface CampaignServiceDeps {
  db: Db;
  planOf(userId: string): Promise<PlanLimits>;
  /** The matching module's rule checker. */
  validateRules(rules: readonly string[]): RuleProblem[];
  validateKeywords?(keywords: readonly string[]): RuleProblem[];
  /** Runs the rules over recent stored items; absent until the matching module provides it. */
  previewRules?(userId: string, input: PreviewInput): Promise<PreviewResult>;
  /** Called after every change so the matcher and the ingest streams pick it up. */
  onCampaignsChanged(): Promise<void>;
  now: () => Date;
}

function iso(d: Date | null): string | null {
  return d ? d.toISOString() : null;
}

export function campaignView(c: Campaign): CampaignView {
  return {
    id: c.id,
    name: c.name,
    product_name: c.productName,
    product_description: c.productDescription,
    product_url: c.productUrl,
    lead_context: c.leadContext,
    rules: c.rules,
    negative_keywords: c.negativeKeywords,
    subreddits: c.subreddits,
    watch_all: c.watchAll,
    subreddit_deny: c.subredditDeny,
    author_deny: c.authorDeny,
    min_score: c.minScore,
    include_nsfw: c.includeNsfw,
    threshold: c.threshold,
    status: c.status,
    version: c.version,
    deleted_at: iso(c.deletedAt),
    restorable_until: c.deletedAt ? new Date(c.deletedAt.getTime() + RESTORE_WINDOW_MS).toISOString() : null,
    created_at: c.createdAt.toISOString(),
    updated_at: c.updatedAt.toISOString(),
  };
}

function toFields(p: CampaignPatch): Partial<CampaignFields> {
  const out: Partial<CampaignFields> = {};
  if (p.name !== undefined) out.name = p.name;
  if (p.product_name !== undefined) out.productName = p.product_name;
  if (p.product_description !== undefined) out.productDescription = p.product_description;
  if (p.product_url !== undefined) out.productUrl = p.product_url;
  if (p.lead_context !== undefined) out.leadContext = p.lead_context;
  if (p.rules !== undefined) out.rules = p.rules;
  if (p.negative_keywords !== undefined) out.negativeKeywords = p.negative_keywords;
  if (p.subreddits !== undefined) out.subreddits = [...new Set(p.subreddits)];
  if (p.watch_all !== undefined) out.watchAll = p.watch_all;
  if (p.subreddit_deny !== undefined) out.subredditDeny = [...new Set(p.subreddit_deny)];
  if (p.author_deny !== undefined) out.authorDeny = [...new Set(p.author_deny)];
  if (p.min_score !== undefined) out.minScore = p.min_score;
  if (p.include_nsfw !== undefined) out.includeNsfw = p.include_nsfw;
  if (p.threshold !== undefined) out.threshold = p.threshold;
  return out;
}

export function createCampaignService(deps: CampaignServiceDeps) {
  const { db, now } = deps;
  const restorableAfter = () => new Date(now().getTime() - RESTORE_WINDOW_MS);

  function checkRules(rules: readonly string[] | undefined, negatives: readonly string[] | undefined): void {
    const errors = [
      ...(rules ? deps.validateRules(rules).map((p) => ({ field: 'rules', ...pick(p) })) : []),
      ...(negatives && deps.validateKeywords
        ? deps.validateKeywords(negatives).map((p) => ({ field: 'negative_keywords', ...pick(p) }))
        : []),
    ];
    if (errors.length > 0) {
      const first = errors[0]!;
      throw new ValidationError(
        `${first.field}[${first.index}] at ${first.position}: ${first.message}`,
        { errors },
        'invalid_rule',
      );
    }
  }

  async function checkRuleLimit(userId: string, rules: readonly string[] | undefined): Promise<void> {
    if (!rules) return;
    const plan = await deps.planOf(userId);
    if (rules.length > plan.max_rules_per_campaign) {
      throw new ForbiddenError(
        'plan_limit_rules',
        `Your plan allows ${plan.max_rules_per_campaign} rules per campaign.`,
        { limit: plan.max_rules_per_campaign, used: rules.length },
      );
    }
  }

  async function checkCampaignLimit(userId: string): Promise<void> {
    const plan = await deps.planOf(userId);
    const used = await countLiveCampaigns(db, userId);
    if (used >= plan.max_campaigns) {
      throw new ForbiddenError('plan_limit_campaigns', `Your plan allows ${plan.max_campaigns} campaigns.`, {
        limit: plan.max_campaigns,
        used,
      });
    }
  }

  async function changed<T>(value: T): Promise<T> {
    await deps.onCampaignsChanged();
    return value;
  }

  async function mustFind(userId: string, id: string): Promise<Campaign> {
    const c = await findCampaign(db, userId, id, restorableAfter());
    if (!c) throw new NotFoundError('campaign');
    return c;
  }

  async function setStatus(userId: string, id: string, status: 'active' | 'paused'): Promise<CampaignView> {
    const row = await updateCampaign(db, userId, id, { status }, now());
    if (!row) throw new NotFoundError('campaign');
    return changed(campaignView(row));
  }

  return {
    async create(userId: string, input: CampaignInput): Promise<CampaignView> {
      checkRules(input.rules, input.negative_keywords);
      await checkRuleLimit(userId, input.rules);
      // Count and insert are not atomic: two concurrent creates can pass one over the limit, which plan limits tolerate.
      await checkCampaignLimit(userId);
      const fields = toFields(input) as CampaignFields;
      const row = await insertCampaign(db, userId, { ...fields, productUrl: input.product_url });
      return changed(campaignView(row));
    },

    async list(userId: string, includeDeleted: boolean): Promise<CampaignView[]> {
      return (await listCampaigns(db, userId, { includeDeleted, restorableAfter: restorableAfter() })).map(campaignView);
    },

    async get(userId: string, id: string): Promise<CampaignView> {
      return campaignView(await mustFind(userId, id));
    },

    async update(userId: string, id: string, patch: CampaignPatch): Promise<CampaignView> {
      checkRules(patch.rules, patch.negative_keywords);
      await checkRuleLimit(userId, patch.rules);
      const row = await updateCampaign(db, userId, id, toFields(patch), now());
      if (!row) throw new NotFoundError('campaign');
      return changed(campaignView(row));
    },

    pause: (userId: string, id: string) => setStatus(userId, id, 'paused'),
    resume: (userId: string, id: string) => setStatus(userId, id, 'active'),

    async remove(userId: string, id: string): Promise<void> {
      if (!(await softDeleteCampaign(db, userId, id, now()))) throw new NotFoundError('campaign');
      await deps.onCampaignsChanged();
    },

    async restore(userId: string, id: string): Promise<CampaignView> {
      const current = await mustFind(userId, id);
      if (!current.deletedAt) return campaignView(current);
      await checkCampaignLimit(userId);
      const row = await restoreCampaign(db, userId, id, restorableAfter(), now());
      if (!row) throw new NotFoundError('campaign');
      return changed(campaignView(row));
    },

    async preview(userId: string, input: PreviewInput): Promise<PreviewResult> {
      checkRules(input.rules, input.negative_keywords);
      if (!deps.previewRules) throw new ServiceUnavailableError('preview_unavailable', 'Rule preview is not available.');
      return deps.previewRules(userId, input);
    },

    async stats(userId: string, id: string, days: number): Promise<CampaignStats> {
      await mustFind(userId, id);
      const since = new Date(now().getTime() - days * 86_400_000);
      const rows = await campaignStatsRows(db, userId, id, since);
      const buckets = Array.from({ length: 10 }, (_, b) => ({
        from: b * 10,
        to: b === 9 ? 100 : b * 10 + 9,
        count: rows.histogram.find((h) => h.bucket === b)?.count ?? 0,
      }));
      return {
        days,
        total: rows.statuses.reduce((n, s) => n + s.count, 0),
        leads_per_day: rows.perDay,
        score_histogram: buckets,
        intents: rows.intents.map((i) => ({ intent: i.intent as (typeof INTENTS)[number] | null, count: i.count })),
        top_subreddits: rows.subs,
        statuses: rows.statuses,
      };
    },
  };
}

export type CampaignService = ReturnType<typeof createCampaignService>;

function pick(p: RuleProblem): RuleProblem {
  return { index: p.index, position: p.position, message: p.message };
}
