import type { Db } from '../../platform/db/client.js';
import { compileMatcher } from './compile-matcher.js';
import type { MatcherCampaign } from './matcher.types.js';
import { loadRecentItems, type StoredItem } from './matching.repo.js';
import { parseKeyword, parseRule } from './rule-parser.js';

/** What a preview needs of a campaign: its rules and filters, saved or not. */
export type PreviewCampaign = Pick<MatcherCampaign, 'rules'> & Partial<Omit<MatcherCampaign, 'id' | 'rules'>>;

export interface PreviewOptions {
  /** How many of the most recent stored items to test, at most MAX_PREVIEW_ITEMS. */
  limit?: number;
  /** How many matches to return; the total is counted anyway. */
  maxMatches?: number;
}

export interface PreviewResult {
  scanned: number;
  totalMatches: number;
  matches: { item: StoredItem; matchedTerms: string[] }[];
}

export const MAX_PREVIEW_ITEMS = 5_000;

/**
 * Runs a campaign's rules, before they are saved, over the most recent stored items so a
 * user can tune them. A rule that does not parse throws its RuleSyntaxError (a 400).
 */
export async function previewRules(
  { db }: { db: Db },
  campaign: PreviewCampaign,
  { limit = MAX_PREVIEW_ITEMS, maxMatches = 100 }: PreviewOptions = {},
): Promise<PreviewResult> {
  // The compiler skips broken stored rules; a preview must tell the user instead.
  for (const rule of campaign.rules) parseRule(rule);
  for (const keyword of campaign.negativeKeywords ?? []) parseKeyword(keyword);
  const matcher = compileMatcher(
    [
      {
        id: 'preview',
        rules: campaign.rules,
        negativeKeywords: campaign.negativeKeywords ?? [],
        subreddits: campaign.subreddits ?? [],
        subredditDeny: campaign.subredditDeny ?? [],
        authorDeny: campaign.authorDeny ?? ['automoderator'],
        minScore: campaign.minScore ?? null,
        includeNsfw: campaign.includeNsfw ?? false,
      },
    ],
    'preview',
  );
  const items = await loadRecentItems(db, Math.max(1, Math.min(limit, MAX_PREVIEW_ITEMS)));
  const result: PreviewResult = { scanned: items.length, totalMatches: 0, matches: [] };
  for (const item of items) {
    const [m] = matcher.match(item);
    if (!m) continue;
    result.totalMatches++;
    if (result.matches.length < maxMatches) result.matches.push({ item, matchedTerms: m.matchedTerms });
  }
  return result;
}
