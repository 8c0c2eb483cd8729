import type { Env } from '../../config/env.js';
import type { Db } from '../../platform/db/client.js';
import type { User } from '../../platform/db/schema.js';
import { ForbiddenError, NotFoundError } from '../../platform/errors.js';
import { aiTokensSince, campaignUsage, findUserById, updatePlan } from './users.repo.js';
import type { MeView, PlanLimits } from './users.schemas.js';

export type PlanDefaults = Pick<Env, 'PLAN_MAX_CAMPAIGNS' | 'PLAN_MAX_RULES_PER_CAMPAIGN' | 'PLAN_AI_TOKENS_PER_MONTH'>;

export function profileView(u: Pick<User, 'id' | 'email' | 'name' | 'role' | 'createdAt'>) {
  return { id: u.id, email: u.email, name: u.name, role: u.role, created_at: u.createdAt.toISOString() };
}

function monthStart(now: Date): string {
  return `${now.toISOString().slice(0, 7)}-01`;
}

export function createUserService(deps: { db: Db; plan: PlanDefaults; now: () => Date }) {
  const { db } = deps;

  function limitsOf(u: User): PlanLimits {
    return {
      max_campaigns: u.maxCampaigns ?? deps.plan.PLAN_MAX_CAMPAIGNS,
      max_rules_per_campaign: u.maxRulesPerCampaign ?? deps.plan.PLAN_MAX_RULES_PER_CAMPAIGN,
      ai_tokens_per_month: u.aiTokensPerMonth ?? deps.plan.PLAN_AI_TOKENS_PER_MONTH,
    };
  }

  async function userOrThrow(userId: string): Promise<User> {
    const u = await findUserById(db, userId);
    if (!u) throw new NotFoundError('user');
    return u;
  }

  return {
    async profile(userId: string) {
      const u = await findUserById(db, userId);
      return u ? profileView(u) : undefined;
    },

    async planOf(userId: string): Promise<PlanLimits> {
      return limitsOf(await userOrThrow(userId));
    },

    async me(userId: string): Promise<MeView> {
      const u = await userOrThrow(userId);
      const [c, tokens] = await Promise.all([campaignUsage(db, userId), aiTokensSince(db, userId, monthStart(deps.now()))]);
      return {
        user: profileView(u),
        plan: limitsOf(u),
        usage: {
          campaigns: c.campaigns,
          rules: c.rules,
          max_rules_in_a_campaign: c.maxRules,
          ai_tokens_this_month: tokens,
        },
      };
    },

    /** Throws `plan_limit_ai_tokens` when this month's AI tokens reached the user's plan. */
    async assertAiTokensLeft(userId: string): Promise<void> {
      const u = await userOrThrow(userId);
      const limit = limitsOf(u).ai_tokens_per_month;
      const used = await aiTokensSince(db, userId, monthStart(deps.now()));
      if (used >= limit) {
        throw new ForbiddenError('plan_limit_ai_tokens', `This month's AI tokens (${limit}) are used up.`, {
          limit,
          used,
        });
      }
    },

    async setPlan(
      userId: string,
      patch: { max_campaigns?: number | null; max_rules_per_campaign?: number | null; ai_tokens_per_month?: number | null },
    ) {
      const row = await updatePlan(db, userId, {
        ...(patch.max_campaigns !== undefined ? { maxCampaigns: patch.max_campaigns } : {}),
        ...(patch.max_rules_per_campaign !== undefined ? { maxRulesPerCampaign: patch.max_rules_per_campaign } : {}),
        ...(patch.ai_tokens_per_month !== undefined ? { aiTokensPerMonth: patch.ai_tokens_per_month } : {}),
      });
      if (!row) throw new NotFoundError('user');
      return { id: row.id, plan: limitsOf(row) };
    },
  };
}

export type UserService = ReturnType<typeof createUserService>;
