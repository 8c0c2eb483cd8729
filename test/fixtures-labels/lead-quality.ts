import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { compileMatcher } from '../../src/modules/matching/compile-matcher.js';
import type { MatchableItem } from '../../src/modules/matching/matcher.types.js';
import type { CampaignProfile, ScoreCandidate } from '../../src/modules/scoring/scoring.types.js';
import { loadFixtureComments, loadFixturePosts } from '../helpers/reddit-fixtures.js';

/*
 * The held-out lead-quality set: campaign definitions and labels from lead-quality.json, text
 * from the shared real Reddit fixtures, matched terms from the real compiled matcher. Used by
 * test/scoring-local-labels.test.ts and bench/lead-quality.bench.ts.
 */

export { loadFixturePosts as loadPosts };

const LABELS = new URL('./lead-quality.json', import.meta.url);

export type Label = 0 | 1 | 2;
export type Split = 'dev' | 'test';

const labelsFile = z.object({
  campaigns: z.record(
    z.string(),
    z.object({
      productName: z.string(),
      productDescription: z.string(),
      leadContext: z.string(),
      rules: z.array(z.string()).min(1),
    }),
  ),
  items: z.array(
    z.object({
      id: z.string().regex(/^t[13]_[a-z0-9]+$/),
      campaign: z.string(),
      label: z.union([z.literal(0), z.literal(1), z.literal(2)]),
      reason: z.string().min(1),
    }),
  ),
});
export type LabelsFile = z.infer<typeof labelsFile>;

export interface LabelledCandidate {
  campaign: string;
  label: Label;
  reason: string;
  split: Split;
  candidate: ScoreCandidate;
}

/**
 * Fixed before any score was looked at: FNV-1a of "<campaign>:<fullname>", even -> dev, odd -> test.
 * Deterministic, independent of label and score, and stable when items are added.
 */
export function splitOf(campaign: string, fullname: string): Split {
  let h = 0x811c9dc5;
  for (const ch of `${campaign}:${fullname}`) {
    h ^= ch.charCodeAt(0);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h % 2 === 0 ? 'dev' : 'test';
}

export function readLabels(): LabelsFile {
  return labelsFile.parse(JSON.parse(readFileSync(LABELS, 'utf8')));
}

export function profileOf(labels: LabelsFile, campaign: string): CampaignProfile {
  const c = labels.campaigns[campaign];
  if (!c) throw new Error(`unknown campaign ${campaign}`);
  return { campaignId: campaign, version: 1, productName: c.productName, productDescription: c.productDescription, leadContext: c.leadContext };
}

/** Every (campaign, item) pair the real matcher produces over the shared fixtures. */
export function matchAll(labels: LabelsFile, items: readonly MatchableItem[]): Map<string, { item: MatchableItem; matchedTerms: string[] }> {
  const matcher = compileMatcher(
    Object.entries(labels.campaigns).map(([id, c]) => ({
      id,
      rules: c.rules,
      negativeKeywords: [],
      subreddits: [],
      subredditDeny: [],
      authorDeny: [],
      minScore: null,
      includeNsfw: true,
    })),
    'lead-quality',
  );
  if (matcher.stats.invalid.length > 0) throw new Error(`invalid rules: ${JSON.stringify(matcher.stats.invalid)}`);
  const out = new Map<string, { item: MatchableItem; matchedTerms: string[] }>();
  for (const item of items) {
    for (const m of matcher.match(item)) out.set(`${m.campaignId}:${item.fullname}`, { item, matchedTerms: m.matchedTerms });
  }
  return out;
}

/** The labelled candidates, each with the terms the matcher reported; fails if a label no longer matches. */
export function loadLabelledSet(posts: readonly MatchableItem[] = loadFixturePosts()): LabelledCandidate[] {
  const labels = readLabels();
  // A comment's own text is what the matcher searches; the thread title is context the scorer does not get either.
  const comments = loadFixtureComments().map((c) => ({ ...c, title: '', score: 0, over18: false }));
  const matches = matchAll(labels, [...posts, ...comments]);
  return labels.items.map((l) => {
    const m = matches.get(`${l.campaign}:${l.id}`);
    if (!m) throw new Error(`labelled item ${l.id} is not matched by campaign ${l.campaign}`);
    const { item, matchedTerms } = m;
    return {
      campaign: l.campaign,
      label: l.label,
      reason: l.reason,
      split: splitOf(l.campaign, l.id),
      candidate: {
        key: `${l.campaign}:${l.id}`,
        profile: profileOf(labels, l.campaign),
        matchedTerms,
        item: { fullname: item.fullname, kind: item.kind, subreddit: item.subreddit, title: item.title, body: item.body },
      },
    };
  });
}

const originalFile = z.object({
  profiles: z.record(z.string(), z.object({ productName: z.string(), productDescription: z.string(), leadContext: z.string() })),
  posts: z.array(z.object({ id: z.string(), profile: z.string(), terms: z.array(z.string()), label: z.union([z.literal(0), z.literal(1)]) })),
});

/**
 * The original 46-post set (scoring-intent.json) the first cue lists were written from: the
 * development set. Its binary labels map to 2 (lead) and 0 (not a lead).
 */
export function loadOriginalSet(posts: readonly MatchableItem[] = loadFixturePosts()): { label: Label; candidate: ScoreCandidate }[] {
  const file = originalFile.parse(JSON.parse(readFileSync(new URL('./scoring-intent.json', import.meta.url), 'utf8')));
  const byName = new Map(posts.map((p) => [p.fullname, p]));
  return file.posts.map((p) => {
    const item = byName.get(`t3_${p.id}`);
    if (!item) throw new Error(`labelled post ${p.id} is not in the fixture file`);
    const profile = file.profiles[p.profile];
    if (!profile) throw new Error(`unknown profile ${p.profile}`);
    return {
      label: p.label === 1 ? 2 : 0,
      candidate: {
        key: p.id,
        profile: { campaignId: p.profile, version: 1, ...profile },
        matchedTerms: p.terms,
        item: { fullname: item.fullname, kind: 'post', subreddit: item.subreddit, title: item.title, body: item.body },
      },
    };
  });
}
