import { z } from 'zod';
import { ApiError, request } from './client.js';
import {
  type Campaign,
  type CampaignStats,
  campaignListSchema,
  campaignSchema,
  type Preview,
  previewSchema,
  type RuleError,
  ruleErrorSchema,
  statsSchema,
} from './schemas.js';

/** The editable part of a campaign, as the editor holds it. */
export type CampaignDraft = Omit<Campaign, 'id' | 'status' | 'createdAt'>;

export const emptyDraft = (): CampaignDraft => ({
  name: '',
  productName: '',
  productDescription: '',
  productUrl: '',
  leadContext: '',
  rules: [''],
  negativeKeywords: [],
  subreddits: [],
  watchAll: false,
  subredditDeny: [],
  authorDeny: ['automoderator'],
  minScore: null,
  includeNsfw: false,
  threshold: 60,
});

/** Blank rules are editor scaffolding, not rules; an empty URL is no URL. */
function toBody(d: CampaignDraft): Record<string, unknown> {
  return {
    ...d,
    name: d.name.trim() || d.productName.trim() || 'Untitled campaign',
    rules: d.rules.map((r) => r.trim()).filter(Boolean),
    productUrl: d.productUrl?.trim() ? d.productUrl.trim() : null,
  };
}

export const listCampaigns = () => request('/campaigns', { schema: campaignListSchema });
export const getCampaign = (id: string) => request(`/campaigns/${id}`, { schema: campaignSchema });
export const createCampaign = (d: CampaignDraft) =>
  request('/campaigns', { method: 'POST', body: toBody(d), schema: campaignSchema });
export const updateCampaign = (id: string, d: CampaignDraft) =>
  request(`/campaigns/${id}`, { method: 'PATCH', body: toBody(d), schema: campaignSchema });
export const deleteCampaign = (id: string) => request(`/campaigns/${id}`, { method: 'DELETE' });
export const setCampaignPaused = (id: string, paused: boolean) =>
  request(`/campaigns/${id}/${paused ? 'pause' : 'resume'}`, { method: 'POST' });
export const getCampaignStats = (id: string, days = 30): Promise<CampaignStats> =>
  request(`/campaigns/${id}/stats`, { query: { days }, schema: statsSchema });

/** Which recent stored items the draft's rules would match, without saving. */
export function previewCampaign(d: CampaignDraft, signal?: AbortSignal): Promise<Preview> {
  const b = toBody(d);
  const body = {
    rules: b.rules,
    negativeKeywords: d.negativeKeywords,
    subreddits: d.subreddits,
    subredditDeny: d.subredditDeny,
    authorDeny: d.authorDeny,
    minScore: d.minScore ?? null,
    includeNsfw: d.includeNsfw,
    limit: 25,
  };
  return request('/campaigns/preview', { method: 'POST', body, schema: previewSchema, signal });
}

const scrapeSchema = z.object({
  id: z.string(),
  status: z.enum(['queued', 'running', 'done', 'failed']),
  suggestion: campaignSchema.omit({ id: true }).partial().optional(),
  error: z.object({ code: z.string(), message: z.string() }).optional(),
});

/**
 * A campaign suggestion drafted from the product's website: the scraper runs as a job, so
 * this polls it until it is done. `sleep` is a parameter so tests need not wait.
 */
export async function draftFromWebsite(
  url: string,
  opts: { timeoutMs?: number; sleep?: (ms: number) => Promise<void> } = {},
): Promise<Partial<CampaignDraft>> {
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const started = await request('/scrapes', { method: 'POST', body: { url }, schema: scrapeSchema });
  const deadline = Date.now() + (opts.timeoutMs ?? 60_000);
  let s = started;
  while (s.status === 'queued' || s.status === 'running') {
    if (Date.now() > deadline) throw new ApiError({ status: 504, code: 'scrape_timeout', detail: 'Reading the website took too long.' });
    await sleep(1_000);
    s = await request(`/scrapes/${started.id}`, { schema: scrapeSchema });
  }
  if (s.status === 'failed' || !s.suggestion) {
    throw new ApiError({ status: 422, code: s.error?.code ?? 'scrape_failed', detail: s.error?.message ?? 'The website could not be read.' });
  }
  return s.suggestion;
}

export const suggestSubreddits = (q: string, signal?: AbortSignal) =>
  request<unknown>('/subreddits/suggest', { query: { q }, signal }).then((v) => {
    const list = Array.isArray(v) ? v : v && typeof v === 'object' && 'items' in v ? (v as { items: unknown }).items : [];
    return (Array.isArray(list) ? list : [])
      .map((s: unknown) => (typeof s === 'string' ? s : s && typeof s === 'object' && 'name' in s ? String(s.name) : ''))
      .filter(Boolean);
  });

/** Rule errors from a 400 problem (`errors: [{ field, index, position, message }]`). */
export function ruleErrorsOf(e: unknown): RuleError[] {
  if (!(e instanceof ApiError) || e.status !== 400 || !Array.isArray(e.problem.errors)) return [];
  const out: RuleError[] = [];
  for (const r of e.problem.errors) {
    const parsed = ruleErrorSchema.safeParse(r);
    if (parsed.success) out.push({ ...parsed.data, position: parsed.data.position ?? null });
  }
  return out;
}
