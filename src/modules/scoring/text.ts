import { stemmer } from 'stemmer';
import category from './cues/category.json' with { type: 'json' };
import stopwordList from './cues/stopwords.json' with { type: 'json' };

const STOPWORDS = new Set<string>(stopwordList);
const CUT_WORDS = new Set<string>(category.cutWords);
const LEADING_WORDS = new Set<string>(category.leadingWords);
const GENERIC_HEADS = new Set<string>(category.genericHeads);
const ASKED_FOR = new RegExp(category.askedFor, 'gi');

/** How much of its relevance an item keeps when it asks for another kind of product. */
export const ASKED_ELSEWHERE_FACTOR: number = category.askedElsewhereFactor;

/** Strips what is not prose (links, markdown, HTML entities) before tokenising or matching cues. */
export function cleanText(text: string): string {
  // One pass for links, entities and markdown, one for whitespace: this runs on every candidate.
  return text
    .replace(/https?:\/\/\S+|&[a-z]+;|[*_>#`~]+/g, (m) => (m === '&amp;' ? '&' : ' '))
    .replace(/\s+/g, ' ')
    .trim();
}

const WORD = /[\p{L}\p{N}]+(?:['’][\p{L}]+)*/gu;
/** Category names keep their hyphens ("add-in", "e-commerce"). */
const PHRASE_WORD = /[\p{L}\p{N}]+(?:['’-][\p{L}\p{N}]+)*/gu;

/** Lower-cased word tokens; letters and digits of any script, apostrophes kept inside words. */
export function words(text: string): string[] {
  return cleanText(text).toLowerCase().match(WORD) ?? [];
}

// Reddit prose is Zipfian: a bounded memo answers most words without re-running the stemmer.
const STEMS = new Map<string, string>();
const STEM_MEMO_MAX = 50_000;
const STOP_STEMS = new Set<string>(stopwordList.map((w) => stemmer(w)));

/** Porter stem of a lower-case word, possessive dropped; memoised. */
export function stem(word: string): string {
  let s = STEMS.get(word);
  if (s === undefined) {
    s = stemmer(word.replace(/['’]s$/, ''));
    if (STEMS.size >= STEM_MEMO_MAX) STEMS.clear();
    STEMS.set(word, s);
  }
  return s;
}

/** Stemmed content terms: stopwords (and words stemming like one: "goods", "lasting") and one-letter tokens dropped. */
export function terms(text: string): string[] {
  const out: string[] = [];
  for (const w of words(text)) {
    if (w.length < 2 || STOPWORDS.has(w)) continue;
    const s = stem(w);
    if (!STOP_STEMS.has(s)) out.push(s);
  }
  return out;
}

export interface ProductCategory {
  /** As written in the description, for reasons ("CRM", "scheduling tool", "photo editor"). */
  label: string;
  /**
   * Stem prefixes an item must mention to name the category: the specific word, not "tool" or
   * "app", with an agent suffix dropped so "editor" also finds "editing" and "tracker" "tracking".
   */
  prefixes: string[];
}

/**
 * The product's category from its description's first noun phrase: "A simple CRM for small
 * teams" -> CRM; "A social media scheduling tool with analytics" -> scheduling tool (found by
 * "schedul..."); "A photo editor for RAW editing" -> photo editor (found by "edit...").
 * Null when the description does not start with a usable phrase.
 */
export function productCategory(description: string): ProductCategory | null {
  const firstClause = cleanText(description).split(/[.,:;!?()\u2013\u2014]| - /)[0] ?? '';
  const raw = firstClause.match(PHRASE_WORD) ?? [];
  const phrase: string[] = [];
  for (const w of raw) {
    const lw = w.toLowerCase();
    if (CUT_WORDS.has(lw) && phrase.length > 0) break;
    if (phrase.length === 0 && (LEADING_WORDS.has(lw) || STOPWORDS.has(lw))) continue;
    phrase.push(w);
    if (phrase.length === 5) break;
  }
  if (phrase.length === 0) return null;
  const head = phrase[phrase.length - 1]!;
  // A generic head names the category only with its qualifier: "scheduling tool" is about scheduling.
  const specific = GENERIC_HEADS.has(head.toLowerCase()) ? phrase.slice(-2, -1) : [head];
  const prefixes = specific
    .map((w) => w.toLowerCase())
    .filter((w) => w.length > 1 && !STOPWORDS.has(w))
    .map((w) => {
      const s = stem(w);
      const agent = s.match(/^(.{4,}?)(?:or|er)$/);
      return agent ? agent[1]! : s;
    });
  if (prefixes.length === 0) return null;
  return { label: phrase.slice(-2).join(' '), prefixes };
}

/**
 * The kinds of product an item asks for, from the words before "app", "tool"...: "Does anyone
 * know a project management app" -> { label: "project management", stems: ["project", "manag"] }.
 */
export function askedFor(text: string): { label: string; stems: string[] }[] {
  const out: { label: string; stems: string[] }[] = [];
  for (const m of text.toLowerCase().matchAll(ASKED_FOR)) {
    const label = (m[1] ?? '').trim();
    const stems = terms(label);
    if (stems.length > 0) out.push({ label, stems });
  }
  return out;
}
