import type { CampaignMatch, MatchableItem } from './matcher.types.js';
import { createTokenSpans, foldedText, normalizeName, scanTokens } from './normalize.js';
import { FoundAtoms, IN_BODY, IN_TITLE } from './found-atoms.js';
import { createRuleEvaluator, type ProgramInput } from './rule-program.js';
import type { Occurrences, TokenSymbols, TokenTrie } from './token-trie.js';
import type { TokenLookup } from './token-vocabulary.js';

/** Everything the builder produced, as flat arrays indexed by atom, rule or campaign. */
export interface MatcherTables {
  lookup: TokenLookup;
  trie: TokenTrie;
  atomCount: number;
  /**
   * Atom a triggers entries triggerStart[a] .. triggerStart[a + 1] of triggerEntries, each
   * TRIGGER_STRIDE numbers: the rule, its campaign, and an atom that must also be found
   * for the rule to be worth evaluating (-1: none).
   */
  triggerStart: Int32Array;
  triggerEntries: Int32Array;
  /** Rule code (rule-program.ts) and where each rule's code starts. */
  code: Int32Array;
  ruleCode: Int32Array;
  ruleCount: number;
  campaignIds: string[];
  negativeAtoms: Int32Array;
  /**
   * Distinct lower-case name lists of the campaigns' filters. Campaigns mostly share a few
   * (every one denies AutoModerator), so each is one small hot Set, not one per campaign.
   */
  nameSets: ReadonlySet<string>[];
  /**
   * What the matcher reads of campaign c, side by side (one memory read): CAMPAIGN_STRIDE
   * numbers from CAMPAIGN_STRIDE * c, at the CAMPAIGN_* offsets. Name lists are nameSets
   * indexes (-1 for none); rules run from the first to before the end rule index, and the
   * negative keywords are negativeAtoms[negatives .. negativesEnd).
   */
  campaigns: Int32Array;
  /** Campaign c's minimum score, read only when it has one (HAS_MIN_SCORE). */
  minScore: Float64Array;
  termSources: string[];
  /** Subreddit and author names that rules filter on, to their ids in the rule code. */
  names: ReadonlyMap<string, number>;
}

export const TRIGGER_STRIDE = 3;
export const CAMPAIGN_STRIDE = 8;
export const CAMPAIGN_FLAGS = 0;
export const CAMPAIGN_ALLOW = 1;
export const CAMPAIGN_DENY = 2;
export const CAMPAIGN_AUTHOR_DENY = 3;
export const CAMPAIGN_RULES = 4;
export const CAMPAIGN_RULES_END = 5;
export const CAMPAIGN_NEGATIVES = 6;
export const CAMPAIGN_NEGATIVES_END = 7;
/** Flags. */
export const INCLUDE_NSFW = 1;
export const HAS_MIN_SCORE = 2;

/*
 * Per item: fold and tokenise each field, look every token up in place, walk the trie to
 * collect the atoms found (and in which field), collect the campaigns of the rules those
 * atoms trigger, then check each such campaign's filters, its triggered rules and its
 * negative keywords. Scratch state is reused: a rule or campaign is marked when its entry
 * equals the current stamp, so nothing is cleared between items. match() is synchronous,
 * so no two items overlap.
 */
export function createMatchFunction(t: MatcherTables): (item: MatchableItem) => CampaignMatch[] {
  const ruleCount = t.ruleCount;
  const campaignCount = t.campaignIds.length;
  const found = new FoundAtoms();
  const ruleStamp = new Int32Array(ruleCount);
  const campaignStamp = new Int32Array(campaignCount);
  const spans = createTokenSpans();
  const text: TokenSymbols = {
    starts: new Int32Array(256),
    symbols: new Int32Array(1024),
    next: new Int32Array(1024),
    pattern: new Int32Array(1024),
    tokenCount: 0,
  };
  const occurrences: Occurrences = { ids: new Int32Array(256), count: 0 };
  let candidates: Int32Array<ArrayBuffer> = new Int32Array(256);
  let candidateCount = 0;
  const input: ProgramInput = { found, kind: 0, subreddit: -1, author: -1 };
  const evaluator = createRuleEvaluator(t.code, input);
  let stamp = 0;
  // Marks the terms already listed for the current match, as ruleStamp marks rules.
  const termStamp = new Int32Array(t.termSources.length);
  let termMark = 0;

  /** Fills `text` with the symbols of each token; false when no token has any. */
  function symbolize(folded: string): boolean {
    scanTokens(folded, spans);
    const n = spans.count;
    if (text.starts.length < n + 1) text.starts = new Int32Array(2 * n + 1);
    // A token satisfies at most its own word and one prefix per character.
    if (text.symbols.length < folded.length + n) {
      const size = 2 * (folded.length + n);
      text.symbols = new Int32Array(size);
      text.next = new Int32Array(size);
      text.pattern = new Int32Array(size);
    }
    const starts = text.starts;
    let at = 0;
    for (let k = 0; k < n; k++) {
      starts[k] = at;
      at += t.lookup.symbolsOf(folded, spans.starts[k]!, spans.ends[k]!, spans.hashes[k]!, text, at);
    }
    starts[n] = at;
    text.tokenCount = n;
    return at > 0;
  }

  function record(raw: string, field: number): void {
    if (raw === '' || !symbolize(foldedText(raw))) return;
    occurrences.count = 0;
    t.trie.scan(text, occurrences);
    const ids = occurrences.ids;
    for (let k = 0; k < occurrences.count; k++) found.add(ids[k]!, field);
  }

  function collectCandidates(): void {
    candidateCount = 0;
    for (let f = 0; f < found.count; f++) {
      const a = found.list[f]!;
      const entries = t.triggerEntries;
      const end = t.triggerStart[a + 1]! * TRIGGER_STRIDE;
      for (let k = t.triggerStart[a]! * TRIGGER_STRIDE; k < end; k += TRIGGER_STRIDE) {
        const r = entries[k]!;
        if (ruleStamp[r] === stamp) continue;
        const also = entries[k + 2]!;
        if (also !== -1 && found.fieldsOf(also) === 0) continue;
        ruleStamp[r] = stamp;
        const c = entries[k + 1]!;
        if (campaignStamp[c] === stamp) continue;
        campaignStamp[c] = stamp;
        if (candidateCount === candidates.length) candidates = grow(candidates);
        candidates[candidateCount++] = c;
      }
    }
  }

  function passesFilters(at: number, c: number, item: MatchableItem, subreddit: string, author: string): boolean {
    const rec = t.campaigns;
    const flags = rec[at + CAMPAIGN_FLAGS]!;
    if (item.over18 && (flags & INCLUDE_NSFW) === 0) return false;
    if ((flags & HAS_MIN_SCORE) !== 0 && item.score < t.minScore[c]!) return false;
    const allow = rec[at + CAMPAIGN_ALLOW]!;
    if (allow !== -1 && !t.nameSets[allow]!.has(subreddit)) return false;
    const deny = rec[at + CAMPAIGN_DENY]!;
    if (deny !== -1 && t.nameSets[deny]!.has(subreddit)) return false;
    const authorDeny = rec[at + CAMPAIGN_AUTHOR_DENY]!;
    return authorDeny === -1 || !t.nameSets[authorDeny]!.has(author);
  }

  function hasNegative(at: number): boolean {
    const end = t.campaigns[at + CAMPAIGN_NEGATIVES_END]!;
    for (let k = t.campaigns[at + CAMPAIGN_NEGATIVES]!; k < end; k++) if (found.fieldsOf(t.negativeAtoms[k]!) !== 0) return true;
    return false;
  }

  /** The distinct terms collected for one campaign, in the order they were found. */
  function matchedTerms(): string[] {
    const out: string[] = [];
    const count = evaluator.termCount();
    if (++termMark === 0x7fffffff) {
      termMark = 1;
      termStamp.fill(0);
    }
    for (let i = 0; i < count; i++) {
      const term = evaluator.term(i);
      if (termStamp[term] === termMark) continue;
      termStamp[term] = termMark;
      out.push(t.termSources[term]!);
    }
    return out;
  }

  return function match(item: MatchableItem): CampaignMatch[] {
    if (ruleCount === 0) return [];
    if (++stamp === 0x7fffffff) {
      stamp = 1;
      ruleStamp.fill(0);
      campaignStamp.fill(0);
    }
    found.clear();
    // A comment's title is its thread's, which the commenter did not write.
    if (item.kind === 'post') record(item.title, IN_TITLE);
    record(item.body, IN_BODY);
    if (found.count === 0) return [];
    collectCandidates();
    if (candidateCount === 0) return [];
    // Campaigns in the order they were given, as the naive evaluation returns them.
    const order = candidates.subarray(0, candidateCount).sort();
    const subreddit = normalizeName(item.subreddit);
    const author = normalizeName(item.author);
    input.kind = item.kind === 'post' ? 0 : 1;
    input.subreddit = t.names.get(subreddit) ?? -1;
    input.author = t.names.get(author) ?? -1;
    const out: CampaignMatch[] = [];
    for (let k = 0; k < order.length; k++) {
      const c = order[k]!;
      const at = CAMPAIGN_STRIDE * c;
      if (!passesFilters(at, c, item, subreddit, author)) continue;
      evaluator.reset();
      let matched = false;
      const end = t.campaigns[at + CAMPAIGN_RULES_END]!;
      for (let r = t.campaigns[at + CAMPAIGN_RULES]!; r < end; r++) {
        if (ruleStamp[r] === stamp && evaluator.holds(t.ruleCode[r]!)) matched = true;
      }
      // Negative keywords last: they need the found-atom table, the filters above do not.
      if (matched && !hasNegative(at)) out.push({ campaignId: t.campaignIds[c]!, matchedTerms: matchedTerms() });
    }
    return out;
  };
}

function grow(a: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> {
  const b = new Int32Array(a.length * 2);
  b.set(a);
  return b;
}
