import type { INTENTS } from '../../platform/db/schema.js';

export type Intent = (typeof INTENTS)[number];

/** What a scorer knows of a campaign: the product and who a good lead is. */
export interface CampaignProfile {
  campaignId: string;
  /** Bumped on every campaign change; part of the cache key. */
  version: number;
  productName: string;
  productDescription: string;
  leadContext: string;
}

export interface ScoreItem {
  fullname: string;
  kind: 'post' | 'comment';
  subreddit: string;
  title: string;
  body: string;
}

/**
 * One (campaign, item) pair to score. A batch may mix campaigns, so a provider call can
 * carry the candidates of several campaigns at once: calls scale with candidates, not campaigns.
 */
export interface ScoreCandidate {
  /** Caller's id for the pair (the lead id); results come back under it. */
  key: string;
  profile: CampaignProfile;
  item: ScoreItem;
  matchedTerms: readonly string[];
}

export interface ScoreResult {
  key: string;
  /** 0-100. */
  score: number;
  intent: Intent;
  /** Short strings a user reads to see why. */
  reasons: string[];
  matchedTerms: string[];
  /** "local" or "openai:<model>". */
  scoredBy: string;
  /** 'unscored' when the provider could not answer and the local score stands in. */
  scoring: 'scored' | 'unscored';
}

export interface TokenUsage {
  requests: number;
  inputTokens: number;
  outputTokens: number;
  /** Requests' usage split per campaign by their share of the candidates. */
  byCampaign: Map<string, { requests: number; inputTokens: number; outputTokens: number }>;
}

export interface ScoreBatch {
  results: ScoreResult[];
  usage: TokenUsage;
}

/** The scoring port: the local scorer and any OpenAI-compatible provider implement it. */
export interface Scorer {
  readonly name: 'local' | 'openai';
  readonly model: string;
  /** How many candidates one provider call takes; callers chunk by it. */
  readonly batchSize: number;
  /** False while the provider's breaker is open: calling would only fall back. */
  isAvailable(): boolean;
  scoreBatch(candidates: readonly ScoreCandidate[]): Promise<ScoreBatch>;
}

export function emptyUsage(): TokenUsage {
  return { requests: 0, inputTokens: 0, outputTokens: 0, byCampaign: new Map() };
}
