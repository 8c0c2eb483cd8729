import { stemmer } from 'stemmer';
import { compileCues } from '../src/modules/scoring/cues.js';
import type { CampaignProfile, ScoreCandidate } from '../src/modules/scoring/scoring.types.js';
import stopwordList from './lead-quality-baseline-stopwords.json' with { type: 'json' };
import baselineCues from './lead-quality-baseline-cues.json' with { type: 'json' };

/*
 * BASELINE, frozen: the local scorer as it was before the lead-quality work (BM25-style
 * relevance over matched terms and description words, one regex per cue, a question mark
 * bonus). Kept only so bench/lead-quality.bench.ts can measure old and new in the same run.
 * Do not import it from product code.
 */

const CUES = compileCues(baselineCues);
const STOPWORDS = new Set<string>(stopwordList);
const BODY_CHARS = 2_000;

function cleanText(text: string): string {
  return text
    .replace(/https?:\/\/\S+/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&[a-z]+;/g, ' ')
    .replace(/[*_>#`~]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

function terms(text: string): string[] {
  const out: string[] = [];
  for (const w of cleanText(text).toLowerCase().match(/[\p{L}\p{N}]+(?:['’][\p{L}]+)*/gu) ?? []) {
    if (w.length < 2 || STOPWORDS.has(w)) continue;
    out.push(stemmer(w.replace(/['’]s$/, '')));
  }
  return out;
}

function relevance(item: { title: string; body: string }, profile: CampaignProfile, matchedTerms: readonly string[]): number {
  const strong = new Set([...matchedTerms.flatMap((t) => terms(t)), ...terms(profile.productName)]);
  const weak = new Set(terms(`${profile.productDescription} ${profile.leadContext}`).filter((t) => !strong.has(t)));
  const doc = [...terms(item.title), ...terms(item.title), ...terms(item.body.slice(0, BODY_CHARS))];
  const tf = new Map<string, number>();
  for (const t of doc) tf.set(t, (tf.get(t) ?? 0) + 1);
  const norm = 1 - 0.75 + (0.75 * doc.length) / 60;
  const sat = (t: string) => {
    const f = tf.get(t) ?? 0;
    return f === 0 ? 0 : f / (f + 1.2 * norm);
  };
  let strongSum = 0;
  let weakSum = 0;
  for (const t of strong) strongSum += sat(t);
  for (const t of weak) weakSum += sat(t);
  return 1 - Math.exp(-(1.6 * strongSum + 0.35 * weakSum));
}

/** The baseline's 0-100 score for a candidate. */
export function baselineScore(candidate: ScoreCandidate): number {
  const { item, profile, matchedTerms } = candidate;
  const rel = relevance(item, profile, matchedTerms);
  const title = cleanText(item.title);
  const body = cleanText(item.body.slice(0, BODY_CHARS));
  let positive = 0;
  let penalty = 0;
  for (const cue of CUES.cues) {
    const inTitle = cue.regex.test(title);
    const inBody = !inTitle && cue.regex.test(body);
    if (!inTitle && !inBody) continue;
    const points = inTitle ? cue.weight : cue.weight * CUES.bodyFactor;
    if (points > 0) positive += points;
    else penalty -= points;
  }
  const asks = /\?/.test(item.title) || /\?\s*$/.test(body);
  const intentPoints = Math.min(60, positive + (asks ? 8 : 0));
  const raw = 5 + 30 * rel + intentPoints * (0.45 + 0.55 * rel) - penalty;
  return Math.max(0, Math.min(100, Math.round(raw)));
}
