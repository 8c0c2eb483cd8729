import type { CampaignMatch, MatchableItem, MatcherCampaign } from '../src/modules/matching/matcher.types.js';
import { itemTokens, normalizeName } from '../src/modules/matching/normalize.js';
import type { RuleNode, TextNode, WordPattern } from '../src/modules/matching/rule-ast.js';
import { parseKeyword, parseRule, RuleSyntaxError } from '../src/modules/matching/rule-parser.js';

/*
 * The naive evaluator the compiled matcher is checked against: every campaign, every rule,
 * every term looked for by scanning the item's tokens. Slow on purpose and simple enough to
 * be obviously right. It shares only parsing and tokenising with the compiled matcher.
 */

interface ParsedCampaign {
  campaign: MatcherCampaign;
  rules: RuleNode[];
  negatives: TextNode[];
}

function tryParse<T>(parse: (s: string) => T, s: string): T | null {
  try {
    return parse(s);
  } catch (err) {
    if (err instanceof RuleSyntaxError) return null;
    throw err;
  }
}

export function parseCampaigns(campaigns: readonly MatcherCampaign[]): ParsedCampaign[] {
  return campaigns.map((campaign) => ({
    campaign,
    rules: campaign.rules.map((r) => tryParse(parseRule, r)).filter((r): r is RuleNode => r !== null),
    negatives: campaign.negativeKeywords.map((k) => tryParse(parseKeyword, k)).filter((k): k is TextNode => k !== null),
  }));
}

function wordMatches(w: WordPattern, token: string): boolean {
  return w.prefix ? token.startsWith(w.token) : token === w.token;
}

function occursIn(words: readonly WordPattern[], tokens: readonly string[]): boolean {
  for (let i = 0; i + words.length <= tokens.length; i++) {
    let ok = true;
    for (let k = 0; k < words.length && ok; k++) ok = wordMatches(words[k]!, tokens[i + k]!);
    if (ok) return true;
  }
  return false;
}

interface View {
  item: MatchableItem;
  title: string[];
  body: string[];
}

function textHolds(n: TextNode, v: View): boolean {
  return (n.field !== 'body' && occursIn(n.words, v.title)) || (n.field !== 'title' && occursIn(n.words, v.body));
}

/** Returns whether the node holds and the terms of the parts that made it true. */
function evaluate(n: RuleNode, v: View): { ok: boolean; terms: string[] } {
  switch (n.kind) {
    case 'text':
      return textHolds(n, v) ? { ok: true, terms: [n.source] } : { ok: false, terms: [] };
    case 'filter': {
      const actual =
        n.field === 'type' ? v.item.kind : n.field === 'subreddit' ? normalizeName(v.item.subreddit) : normalizeName(v.item.author);
      return { ok: actual === n.value, terms: [] };
    }
    case 'not':
      return { ok: !evaluate(n.child, v).ok, terms: [] };
    case 'and': {
      const terms: string[] = [];
      for (const c of n.children) {
        const r = evaluate(c, v);
        if (!r.ok) return { ok: false, terms: [] };
        terms.push(...r.terms);
      }
      return { ok: true, terms };
    }
    case 'or': {
      const results = n.children.map((c) => evaluate(c, v));
      return { ok: results.some((r) => r.ok), terms: results.flatMap((r) => r.terms) };
    }
  }
}

function passesFilters(c: MatcherCampaign, item: MatchableItem): boolean {
  const sub = normalizeName(item.subreddit);
  const author = normalizeName(item.author);
  if (c.subreddits.length > 0 && !c.subreddits.map(normalizeName).includes(sub)) return false;
  if (c.subredditDeny.map(normalizeName).includes(sub)) return false;
  if (c.authorDeny.map(normalizeName).includes(author)) return false;
  if (c.minScore !== null && item.score < c.minScore) return false;
  if (item.over18 && !c.includeNsfw) return false;
  return true;
}

/** Matches one item against already parsed campaigns (parsing is not part of the per-item cost). */
export function referenceMatchParsed(parsed: readonly ParsedCampaign[], item: MatchableItem): CampaignMatch[] {
  const tokens = itemTokens(item);
  const v: View = { item, title: tokens.title, body: tokens.body };
  const out: CampaignMatch[] = [];
  for (const p of parsed) {
    if (p.rules.length === 0 || !passesFilters(p.campaign, item)) continue;
    if (p.negatives.some((n) => textHolds(n, v))) continue;
    const terms: string[] = [];
    let matched = false;
    for (const rule of p.rules) {
      const r = evaluate(rule, v);
      if (r.ok) {
        matched = true;
        terms.push(...r.terms);
      }
    }
    if (matched) out.push({ campaignId: p.campaign.id, matchedTerms: [...new Set(terms)] });
  }
  return out;
}

export function referenceMatch(campaigns: readonly MatcherCampaign[], item: MatchableItem): CampaignMatch[] {
  return referenceMatchParsed(parseCampaigns(campaigns), item);
}
