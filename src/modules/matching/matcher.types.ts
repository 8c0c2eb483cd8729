/**
 * The contract between the compiled matcher and its callers (match job, preview, benches).
 */

export interface MatchableItem {
  fullname: string;
  kind: 'post' | 'comment';
  subreddit: string;
  author: string;
  title: string;
  body: string;
  score: number;
  over18: boolean;
}

/** A campaign as the matcher needs it: its rules and filters, nothing else. */
export interface MatcherCampaign {
  id: string;
  rules: readonly string[];
  negativeKeywords: readonly string[];
  /** Allow list (lower case); empty means any subreddit. */
  subreddits: readonly string[];
  subredditDeny: readonly string[];
  authorDeny: readonly string[];
  minScore: number | null;
  includeNsfw: boolean;
}

export interface CampaignMatch {
  campaignId: string;
  /** The terms and phrases that made the rule true, as the user wrote them. */
  matchedTerms: string[];
}

export interface CompiledMatcher {
  /** Version of the campaign set it was built from. */
  readonly version: string;
  match(item: MatchableItem): CampaignMatch[];
}
