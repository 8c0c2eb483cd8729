import { type CueSet, DEFAULT_CUES } from './cues.js';
import {
  type CampaignProfile,
  emptyUsage,
  type Intent,
  type ScoreBatch,
  type ScoreCandidate,
  type ScoreResult,
  type Scorer,
} from './scoring.types.js';
import { ASKED_ELSEWHERE_FACTOR, askedFor, cleanText, type ProductCategory, productCategory, stem, terms, words } from './text.js';

/** Body text past this point rarely carries the ask; cutting it keeps scoring cheap on long posts. */
const BODY_CHARS = 1_200;
/** A comment has no title: its opening stands in for one, as it is what a reader sees first. */
const COMMENT_HEADLINE_CHARS = 300;

// Evidence weights of relevance; rel = 1 - exp(-sum), so one strong hit is most of it.
const MATCHED_IN_TITLE = 1.2;
const MATCHED_IN_BODY = 0.6;
const EXTRA_MATCHED = 0.2;
const CATEGORY_IN_TITLE = 0.9;
const CATEGORY_IN_BODY = 0.5;
const RELATED_WORD = 0.25;
const RELATED_CAP = 0.75;

const INTENT_CAP = 65;
const PENALTY_CAP = 60;

interface TermSpec {
  /** As the user wrote it, without quotes or wildcard, for reasons. */
  label: string;
  /** Stems that must all occur (a phrase's words), or null for a wildcard prefix. */
  stems: string[] | null;
  prefix: string | null;
}

interface ProfileModel {
  category: ProductCategory | null;
  name: TermSpec[];
  related: Set<string>;
}

// Profiles repeat across a batch (one campaign, many items); the model is pure data of the text, so caching is safe.
const PROFILE_MODELS = new Map<string, ProfileModel>();
const PROFILE_CACHE_MAX = 500;

function termSpec(raw: string): TermSpec | null {
  const label = raw.replace(/["“”]/g, '').trim();
  if (label === '') return null;
  if (label.endsWith('*')) {
    const prefix = words(label.slice(0, -1)).join(' ');
    return prefix.length >= 2 ? { label: label.slice(0, -1), stems: null, prefix } : null;
  }
  const stems = terms(label);
  return stems.length > 0 ? { label, stems, prefix: null } : null;
}

function profileModel(profile: CampaignProfile): ProfileModel {
  const key = `${profile.productName}\n${profile.productDescription}\n${profile.leadContext}`;
  let model = PROFILE_MODELS.get(key);
  if (model) return model;
  const category = productCategory(profile.productDescription);
  const name = terms(profile.productName).map((s) => ({ label: profile.productName, stems: [s], prefix: null }));
  const related = new Set(terms(`${profile.productDescription} ${profile.leadContext}`));
  model = { category, name, related };
  if (PROFILE_MODELS.size >= PROFILE_CACHE_MAX) PROFILE_MODELS.clear();
  PROFILE_MODELS.set(key, model);
  return model;
}

/** An item's text split into what a reader sees first (headline) and the rest, both cleaned. */
interface Fields {
  headline: string;
  body: string;
  /** The headline is a post's real title: reasons say "in the title". */
  titled: boolean;
}

function fields(item: { title: string; body: string }): Fields {
  const title = cleanText(item.title);
  if (title !== '') return { headline: title, body: cleanText(item.body.slice(0, BODY_CHARS)), titled: true };
  const text = cleanText(item.body.slice(0, BODY_CHARS));
  return { headline: text.slice(0, COMMENT_HEADLINE_CHARS), body: text.slice(COMMENT_HEADLINE_CHARS), titled: false };
}

/** Words of a field with their stems; the first surface form of each stem is kept for reasons. */
interface FieldTerms {
  words: string[];
  stems: Map<string, string>;
}

function fieldTerms(text: string): FieldTerms {
  const ws = words(text);
  const stems = new Map<string, string>();
  const seen = new Set<string>();
  for (const w of ws) {
    if (w.length < 2 || seen.has(w)) continue;
    seen.add(w);
    const s = stem(w);
    if (!stems.has(s)) stems.set(s, w);
  }
  return { words: ws, stems };
}

function has(field: FieldTerms, t: TermSpec): boolean {
  if (t.prefix !== null) {
    const p = t.prefix;
    return p.includes(' ') ? field.words.join(' ').includes(p) : field.words.some((w) => w.startsWith(p));
  }
  return t.stems?.every((s) => field.stems.has(s)) ?? false;
}

function hasCategory(field: FieldTerms, c: ProductCategory): boolean {
  for (const s of field.stems.keys()) if (c.prefixes.some((p) => s.startsWith(p))) return true;
  return false;
}

/** 0..1: how much the item is about the campaign's product, category and terms, with named reasons. */
export function relevance(
  item: { title: string; body: string },
  profile: CampaignProfile,
  matchedTerms: readonly string[],
): { value: number; hits: string[]; reasons: string[] } {
  return relevanceOf(fields(item), profile, matchedTerms);
}

function relevanceOf(f: Fields, profile: CampaignProfile, matchedTerms: readonly string[]): { value: number; hits: string[]; reasons: string[] } {
  const model = profileModel(profile);
  const head = fieldTerms(f.headline);
  const body = fieldTerms(f.body);
  const where = f.titled ? ' in the title' : '';
  const reasons: string[] = [];
  const hits: string[] = [];
  let evidence = 0;

  const specs = [...matchedTerms.map(termSpec).filter((t): t is TermSpec => t !== null), ...model.name];
  const inHead = specs.filter((t) => has(head, t));
  const found = [...inHead, ...specs.filter((t) => !inHead.includes(t) && has(body, t))];
  const labels = [...new Set(found.map((t) => t.label))];
  if (inHead.length > 0) {
    evidence += MATCHED_IN_TITLE;
    reasons.push(`Mentions '${inHead[0]!.label}'${where}`);
  } else if (found.length > 0) {
    evidence += MATCHED_IN_BODY;
    reasons.push(`Mentions '${found[0]!.label}'`);
  }
  evidence += Math.min(2, Math.max(0, labels.length - 1)) * EXTRA_MATCHED;
  hits.push(...labels);

  const category = model.category;
  if (category && hasCategory(head, category)) {
    evidence += CATEGORY_IN_TITLE;
    reasons.push(`Names the product's category (${category.label})${where}`);
    hits.push(category.label);
  } else if (category && hasCategory(body, category)) {
    evidence += CATEGORY_IN_BODY;
    reasons.push(`Names the product's category (${category.label})`);
    hits.push(category.label);
  }

  const related: string[] = [];
  for (const [s, w] of [...head.stems, ...body.stems]) {
    if (!model.related.has(s) || related.includes(w) || hits.includes(w)) continue;
    if (category?.prefixes.some((p) => s.startsWith(p)) || found.some((t) => t.stems?.includes(s))) continue;
    related.push(w);
  }
  evidence += Math.min(RELATED_CAP, related.length * RELATED_WORD);
  if (related.length >= 2) reasons.push(`Mentions related words (${related.slice(0, 3).join(', ')})`);
  hits.push(...related);

  if (reasons.length === 0) reasons.push('Does not mention the product or its terms');
  let value = 1 - Math.exp(-evidence);

  // "Does anyone know a project management app?" in a CRM campaign: an ask, but for something else.
  const asks = askedFor(`${f.headline}\n${f.body}`);
  const ours = (s: string) =>
    (category?.prefixes.some((p) => s.startsWith(p)) ?? false) || specs.some((t) => t.stems?.includes(s) || (t.prefix !== null && s.startsWith(stem(t.prefix))));
  if (asks.length > 0 && !asks.some((q) => q.stems.some(ours))) {
    value *= ASKED_ELSEWHERE_FACTOR;
    reasons.push(`Asks for a different kind of product (${asks[0]!.label})`);
  }
  return { value, hits, reasons };
}

interface CueHit {
  id: string;
  intent: Intent | null;
  points: number;
  reason: string;
}

export function findCues(item: { title: string; body: string }, cueSet: CueSet = DEFAULT_CUES): CueHit[] {
  return cuesOf(fields(item), cueSet);
}

function cuesOf(f: Fields, cueSet: CueSet): CueHit[] {
  const hits: CueHit[] = [];
  for (const cue of cueSet.cues) {
    const inTitle = cue.regex.test(f.headline);
    const inBody = !inTitle && cue.where === 'anywhere' && cue.regex.test(f.body);
    if (!inTitle && !inBody) continue;
    hits.push({
      id: cue.id,
      intent: cue.intent,
      points: inTitle ? cue.weight : Math.round(cue.weight * cueSet.bodyFactor),
      reason: cue.reason,
    });
  }
  return hits;
}

/** Pure and deterministic: the same candidate always gets the same score and reasons. */
export function scoreLocally(candidate: ScoreCandidate, cueSet: CueSet = DEFAULT_CUES): ScoreResult {
  const { item, profile, matchedTerms } = candidate;
  const f = fields(item);
  const rel = relevanceOf(f, profile, matchedTerms);
  const cues = cuesOf(f, cueSet);
  const positive = cues.filter((c) => c.points > 0).sort((a, b) => b.points - a.points);
  const negative = cues.filter((c) => c.points < 0).sort((a, b) => a.points - b.points);
  const intentPoints = Math.min(INTENT_CAP, positive.reduce((s, c) => s + c.points, 0));
  const penalty = Math.min(PENALTY_CAP, negative.reduce((s, c) => s - c.points, 0));
  // Intent counts fully only when the item is about the product; relevance alone is a weak lead.
  const raw = 6 + 30 * rel.value + intentPoints * (0.25 + 0.75 * rel.value) - penalty;
  const score = Math.max(0, Math.min(100, Math.round(raw)));
  const intent: Intent = positive.find((c) => c.intent !== null)?.intent ?? 'other';

  return {
    key: candidate.key,
    score,
    intent,
    reasons: [...rel.reasons, ...positive.map((c) => c.reason), ...negative.map((c) => c.reason)],
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
