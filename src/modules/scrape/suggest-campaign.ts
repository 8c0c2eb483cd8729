import { validateKeywords, validateRules } from '../matching/rule-parser.js';
import type { PageText } from './page-text.js';
import { countTerm, detectTopics, searchable, TOPICS, type TopicData, type WeightedText } from './topics.js';

/** A campaign draft the user reviews before saving; every field maps onto the campaign input. */
export interface CampaignSuggestion {
  name: string;
  productName: string;
  productDescription: string;
  productUrl: string;
  leadContext: string;
  rules: string[];
  negativeKeywords: string[];
  subreddits: string[];
  /** The category words the rules are built on, for the UI to show. */
  categories: string[];
  /** Products the page compares itself with. */
  competitors: string[];
}

const MAX_RULES = 10;
const MIN_RULES = 5;
const MAX_SUBREDDITS = 6;

const PRODUCT_NOUNS = new Set(
  'software tool tools app apps platform tracker builder generator editor scheduler manager system solution service suite assistant plugin extension dashboard crm'.split(
    ' ',
  ),
);
// Words that describe how a product sells itself rather than what it is.
const FILLER = new Set(
  `the a an and or for with to of in on by at from your our their its my this that which is are be best better simple simpler
  easy easier modern powerful free open source online ai powered smart fast faster all one new lightweight friendly beautiful
  affordable complete ultimate only first leading cloud based intuitive next gen generation great top collaborative flexible
  secure reliable robust effortless seamless minimal minimalist native visual automated automatic web mobile desktop
  you we it us more most every any just really truly world world's 1 no enterprise bloated clunky`.split(/\s+/),
);
const NAME = String.raw`[A-Z][\w.+-]*(?:\s[A-Z][\w.+-]*)?`;
// "alternative to Asana and Jira", "switching from Asana, Monday or Trello".
const COMPETITOR_CUE = new RegExp(
  String.raw`\b(?:alternatives? to|instead of|switch(?:ing)? from|migrat(?:e|ing) from|mov(?:e|ing) from|replaces?|compared? (?:to|with)|vs\.?|versus|better than|import from)\s+(${NAME}(?:(?:\s*,\s*|\s+(?:and|or)\s+)${NAME})*)`,
  'g',
);
const NOT_COMPETITORS = new Set(['the', 'your', 'our', 'other', 'spreadsheets', 'email', 'paper', 'manual', 'sticky', 'legacy', 'old']);
const AUDIENCE = /\bfor\s+(?:small\s+|busy\s+|remote\s+|independent\s+|growing\s+|modern\s+|solo\s+)?([a-z]{4,}(?:ies|s))\b/g;

const TOOL_WORDS = '(tool OR tools OR software OR app OR apps OR platform)';
const ASKING = '(recommend OR recommendations OR "looking for" OR "any suggestions" OR "what do you use")';
const PAIN = '(expensive OR pricing OR "too complicated" OR frustrated OR "fed up")';

const quote = (phrase: string) => `"${phrase.replace(/"/g, '')}"`;

function registrableLabel(url: string): string {
  let host = '';
  try {
    host = new URL(url).hostname.replace(/^www\./, '');
  } catch {
    return '';
  }
  const labels = host.split('.');
  // example.co.uk: the label before a two-part public suffix.
  const secondLevel = labels.length >= 3 && labels[labels.length - 2]!.length <= 3 && labels[labels.length - 1]!.length === 2;
  return labels[labels.length - (secondLevel ? 3 : 2)] ?? labels[0] ?? '';
}

const lettersOf = (s: string) => s.toLowerCase().replace(/[^\p{L}\p{N}]/gu, '');

/** og:site_name, else the title segment that spells the domain, else a short title segment, else the domain. */
export function productNameOf(page: PageText, url: string): string {
  if (page.siteName !== '' && page.siteName.length <= 40) return page.siteName;
  const label = registrableLabel(url);
  const segments = page.title
    .split(/\s+[|\u2013\u2014:\u00b7\u2022-]\s+/)
    .map((s) => s.trim())
    .filter(Boolean);
  const spelled = segments.find((s) => label !== '' && (lettersOf(s) === label || (lettersOf(s).includes(label) && s.length <= 30)));
  if (spelled) return spelled;
  const short = segments.find((s) => s.split(/\s+/).length <= 2 && s.length <= 25);
  if (short && segments.length > 1) return short;
  return label === '' ? segments[0] ?? 'My product' : label.charAt(0).toUpperCase() + label.slice(1);
}

function sentenceCut(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max);
  const end = Math.max(cut.lastIndexOf('. '), cut.lastIndexOf('! '), cut.lastIndexOf('? '));
  return end > max / 3 ? cut.slice(0, end + 1) : `${cut.slice(0, cut.lastIndexOf(' '))}...`;
}

function descriptionOf(page: PageText): string {
  const first = page.description || page.blocks.find((b) => b.length >= 60) || page.headings[0]?.text || '';
  return sentenceCut(first, 300);
}

/** "simple time tracking software" -> "time tracking": the words that say what the product is. */
function categoryPhrases(texts: readonly WeightedText[], exclude: ReadonlySet<string>): Map<string, number> {
  const found = new Map<string, number>();
  for (const { text, weight } of texts) {
    const words = searchable(text).trim().split(' ');
    words.forEach((word, i) => {
      if (!PRODUCT_NOUNS.has(word)) return;
      const before: string[] = [];
      for (let j = i - 1; j >= 0 && before.length < 3 && !FILLER.has(words[j]!) && !PRODUCT_NOUNS.has(words[j]!); j--) {
        before.unshift(words[j]!);
      }
      const phrase = before.length > 0 ? before.join(' ') : word === 'crm' ? 'crm' : '';
      if (phrase === '' || exclude.has(phrase) || /^\d+$/.test(phrase)) return;
      found.set(phrase, (found.get(phrase) ?? 0) + weight);
    });
  }
  return found;
}

function competitorsOf(page: PageText, productName: string): string[] {
  const counts = new Map<string, number>();
  const own = lettersOf(productName);
  const sources = [page.title, page.description, ...page.headings.map((h) => h.text), page.text];
  for (const source of sources) {
    for (const m of source.matchAll(COMPETITOR_CUE)) {
      for (const part of m[1]!.split(/\s*,\s*|\s+(?:and|or)\s+/)) {
        const name = part.replace(/[.,;:]+$/, '');
        const key = name.toLowerCase();
        if (NOT_COMPETITORS.has(key.split(' ')[0]!) || lettersOf(name) === own || key.length < 2) continue;
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
    }
  }
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, 3)
    .map(([k]) => k);
}

function audienceOf(strong: string): string | undefined {
  const counts = new Map<string, number>();
  for (const m of strong.toLowerCase().matchAll(AUDIENCE)) {
    const word = m[1]!;
    if (FILLER.has(word) || PRODUCT_NOUNS.has(word) || word === 'teams' || word === 'businesses') continue;
    counts.set(word, (counts.get(word) ?? 0) + 1);
  }
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0];
}

/** invoicing ~ invoice ~ invoices; photography ~ photographers. Crude, enough to avoid near-duplicate categories. */
const stemOf = (phrase: string) => phrase.split(' ')[0]!.slice(0, 6);

const singular = (plural: string) => (plural.endsWith('ies') ? `${plural.slice(0, -3)}y` : plural.slice(0, -1));

/** Drafts a campaign from what a product page says. Pure and deterministic: same page, same draft. */
export function suggestCampaign(input: { url: string; page: PageText }, data: TopicData = TOPICS): CampaignSuggestion {
  const { page, url } = input;
  const productName = productNameOf(page, url);
  const productDescription = descriptionOf(page);
  const h1 = page.headings.filter((h) => h.level === 1).map((h) => h.text);
  const sub = page.headings.filter((h) => h.level > 1 && h.level <= 3).map((h) => h.text);
  const strong = [page.title, page.description, page.siteName, ...h1].join(' \n ');
  const texts: WeightedText[] = [
    { text: strong, weight: 3, cap: 3 },
    { text: sub.join(' \n '), weight: 2, cap: 3 },
    { text: page.text, weight: 1, cap: 5 },
  ];

  const topics = detectTopics(texts, data);
  const ownWords = new Set([lettersOf(productName), searchable(productName).trim()]);
  const scoredPhrases = categoryPhrases(texts.slice(0, 2).concat({ text: page.text, weight: 1, cap: 1 }), ownWords);
  const haystack = searchable(`${strong} ${sub.join(' ')} ${page.text}`);
  for (const { topic, score } of topics) {
    for (const phrase of topic.phrases) {
      const onPage = countTerm(haystack, phrase);
      if (onPage > 0) scoredPhrases.set(phrase, (scoredPhrases.get(phrase) ?? 0) + Math.min(score, 12) + onPage);
    }
  }
  const categories: string[] = [];
  for (const [phrase] of [...scoredPhrases.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))) {
    if (categories.length >= 3) break;
    if (categories.some((c) => c.includes(phrase) || phrase.includes(c) || stemOf(c) === stemOf(phrase))) continue;
    categories.push(phrase);
  }
  if (categories.length === 0 && topics[0]) categories.push(topics[0].topic.phrases[0]!);

  const competitors = competitorsOf(page, productName);
  const audience = audienceOf(strong);

  const rules: string[] = [];
  categories.forEach((phrase, i) => {
    rules.push(PRODUCT_NOUNS.has(phrase) ? `${quote(phrase)} ${ASKING}` : `${quote(phrase)} ${TOOL_WORDS}`);
    if (i === 0) {
      if (!PRODUCT_NOUNS.has(phrase)) rules.push(`${ASKING} ${quote(phrase)}`);
      rules.push(`${quote(phrase)} ${PAIN}`);
      if (audience && stemOf(audience) !== stemOf(phrase)) rules.push(`${quote(phrase)} (${singular(audience)} OR ${audience})`);
    }
  });
  for (const c of competitors) rules.push(`(alternative* OR "switch from" OR "switching from" OR "replacement for") ${quote(c)}`);
  for (const { topic } of topics) rules.push(...topic.rules.slice(0, 1));
  // Thin pages: fall back on narrower forms of the categories so the draft still has enough to start from.
  for (const phrase of categories) {
    if (rules.length >= MIN_RULES) break;
    rules.push(`title:${quote(phrase)}`, `${quote(phrase)} (help OR advice OR "how do you")`);
  }
  const valid = [...new Set(rules)].filter((r) => validateRules([r]).length === 0).slice(0, MAX_RULES);

  const hiringRelevant = topics.some((t) => t.topic.hiringRelevant === true);
  const negativeKeywords = (hiringRelevant ? [] : data.negativeKeywords).filter((k) => validateKeywords([k]).length === 0);

  const subreddits: string[] = [];
  for (const { topic } of topics) subreddits.push(...topic.subreddits);
  if (data.businessSignals.some((w) => countTerm(haystack, w) > 0)) subreddits.push(...data.businessSubreddits);
  const uniqueSubs = [...new Set(subreddits)].slice(0, MAX_SUBREDDITS);

  const asking = categories.length > 0 ? `${categories.join(', ')} recommendations` : `a product like ${productName}`;
  const parts = [
    `People asking for ${asking}${audience ? `, especially ${audience}` : ''}`,
    competitors.length > 0 ? `people unhappy with or leaving ${competitors.join(', ')}` : undefined,
    productDescription !== '' ? `people describing the problem ${productName} solves (${productDescription.replace(/\.$/, '')})` : undefined,
  ].filter((p): p is string => p !== undefined);
  const leadContext = `${parts.join('; ')}. Not job posts, and not vendors promoting their own tools.`;

  return {
    name: `${productName} leads`,
    productName,
    productDescription,
    productUrl: url,
    leadContext,
    rules: valid,
    negativeKeywords,
    subreddits: uniqueSubs,
    categories,
    competitors,
  };
}
