import { z } from 'zod';

export const profile = z.object({
  id: z.uuid(),
  email: z.string(),
  name: z.string().nullable(),
  role: z.enum(['owner', 'admin', 'member']),
  created_at: z.iso.datetime(),
});

export const planLimits = z.object({
  max_campaigns: z.number().int(),
  max_rules_per_campaign: z.number().int(),
  ai_tokens_per_month: z.number().int(),
});
export type PlanLimits = z.infer<typeof planLimits>;

export const usage = z.object({
  campaigns: z.number().int(),
  /** Rules across all campaigns, and in the campaign with the most. */
  rules: z.number().int(),
  max_rules_in_a_campaign: z.number().int(),
  ai_tokens_this_month: z.number().int(),
});
export type Usage = z.infer<typeof usage>;

export const me = z.object({ user: profile, plan: planLimits, usage });
export type MeView = z.infer<typeof me>;

export const userIdParams = z.object({ id: z.uuid() });

/** Admin: per-user plan overrides; null falls back to the PLAN_* settings. */
export const planOverrideBody = z
  .object({
    max_campaigns: z.number().int().min(0).max(1_000_000).nullable(),
    max_rules_per_campaign: z.number().int().min(0).max(1_000_000).nullable(),
    ai_tokens_per_month: z.number().int().min(0).max(2_000_000_000).nullable(),
  })
  .partial();

export const planOverrideResult = z.object({ id: z.uuid(), plan: planLimits });
