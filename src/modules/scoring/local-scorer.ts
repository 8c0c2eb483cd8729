import { DEFAULT_CUES, type CueSet } from './cues.js';
import {
  type CampaignProfile,
  emptyUsage,
  type Intent,
  type ScoreBatch,
  type ScoreCandidate,
  type ScoreResult,
  type Scorer,
} from './scoring.types.js';
import { cleanText, terms } from './text.js';

/** Body text past this point rarely carries the ask; cutting it keeps scoring cheap on long posts. */
const BODY_CHARS = 2_000;
// BM25's term-frequency saturation and length normalisation (k1, b), with a typical Reddit post length.
const K1 = 1.2;
const B = 0.75;
const AVG_TERMS = 60;

interface ProfileTerms {
  /** Stemmed terms the matcher reported plus the product name: strong evidence. */
  strong: Set<string>;
  /** Stemmed terms of the description and lead context: weaker evidence. */
  weak: Set<string>;
}

function profileTerms(profile: CampaignProfile, matchedTerms: readonly string[]): ProfileTerms {
  const strong = new Set([...matchedTerms.flatMap((t) => terms(t)), ...terms(profile.productName)]);
  const weak = new Set(terms(`${profile.productDescription} ${profile.leadContext}`).filter((t) => !strong.has(t)));
  return { strong, weak };
}

/** 0..1: how much the item is about the campaign's product and terms (BM25-style saturation). */
export function relevance(
  item: { title: string; body: string },
  profile: CampaignProfile,
  matchedTerms: readonly string[],
): { value: number; hits: string[] } {
  const { strong, weak } = profileTerms(profile, matchedTerms);
  // The title says what the post is about; counting it twice is BM25F's field weight in small.
  const doc = [...terms(item.title), ...terms(item.title), ...terms(item.body.slice(0, BODY_CHARS))];
  const tf = new Map<string, number>();
  for (const t of doc) tf.set(t, (tf.get(t) ?? 0) + 1);
  const norm = 1 - B + (B * doc.length) / AVG_TERMS;
  const sat = (t: string) => {
    const f = tf.get(t) ?? 0;
    return f === 0 ? 0 : f / (f + K1 * norm);
  };
  let strongSum = 0;
  let weakSum = 0;
  const hits: string[] = [];
  for (const t of strong) {
    const s = sat(t);
    if (s > 0) hits.push(t);
    strongSum += s;
  }
  for (const t of weak) {
    const s = sat(t);
    if (s > 0) hits.push(t);
    weakSum += s;
  }
  // A matched term present at all is most of the evidence; description words add a little each.
  const value = 1 - Math.exp(-(1.6 * strongSum + 0.35 * weakSum));
  return { value, hits };
}

interface CueHit {
  id: string;
  intent: Intent | null;
  points: number;
  reason: string;
}

export function findCues(item: { title: string; body: string }, cueSet: CueSet = DEFAULT_CUES): CueHit[] {
  const title = cleanText(item.title);
  const body = cleanText(item.body.slice(0, BODY_CHARS));
  const hits: CueHit[] = [];
  for (const cue of cueSet.cues) {
    const inTitle = cue.regex.test(title);
    const inBody = !inTitle && cue.regex.test(body);
    if (!inTitle && !inBody) continue;
    hits.push({
      id: cue.id,
      intent: cue.intent,
      points: inTitle ? cue.weight : cue.weight * cueSet.bodyFactor,
      reason: cue.reason,
    });
  }
  return hits;
}

/** Pure and deterministic: the same candidate always gets the same score and reasons. */
export function scoreLocally(candidate: ScoreCandidate, cueSet: CueSet = DEFAULT_CUES): ScoreResult {
  const { item, profile, matchedTerms } = candidate;
  const rel = relevance(item, profile, matchedTerms);
  const cues = findCues(item, cueSet);
  const positive = cues.filter((c) => c.points > 0);
  const negative = cues.filter((c) => c.points < 0);
  const asks = /\?/.test(item.title) || /\?\s*$/.test(cleanText(item.body.slice(0, BODY_CHARS)));
  const intentPoints = Math.min(
    60,
    positive.reduce((s, c) => s + c.points, 0) + (asks ? 8 : 0),
  );
  const penalty = negative.reduce((s, c) => s - c.points, 0);
  // Intent counts fully only when the item is about the product; relevance alone is a weak lead.
  const raw = 5 + 30 * rel.value + intentPoints * (0.45 + 0.55 * rel.value) - penalty;
  const score = Math.max(0, Math.min(100, Math.round(raw)));

  const strongest = [...positive].filter((c) => c.intent !== null).sort((a, b) => b.points - a.points)[0];
  const intent: Intent = strongest?.intent ?? (asks ? 'question' : 'other');

  const reasons: string[] = [];
  if (rel.hits.length > 0) reasons.push(`mentions ${rel.hits.slice(0, 4).join(', ')}`);
  else reasons.push('does not mention the product or its terms');
  for (const c of [...positive].sort((a, b) => b.points - a.points)) reasons.push(c.reason);
  if (asks && positive.length === 0) reasons.push('asks a question');
  for (const c of negative) reasons.push(c.reason);

  return {
    key: candidate.key,
    score,
    intent,
    reasons,
    matchedTerms: [...matchedTerms],
    scoredBy: 'local',
    scoring: 'scored',
  };
}

/** The embedded default scorer: no network, deterministic. */
export function createLocalScorer(cueSet: CueSet = DEFAULT_CUES): Scorer {
  return {
    name: 'local',
    model: 'local',
    batchSize: 500,
    isAvailable: () => true,
    async scoreBatch(candidates): Promise<ScoreBatch> {
      return { results: candidates.map((c) => scoreLocally(c, cueSet)), usage: emptyUsage() };
    },
  };
}
