import type { CampaignMatch, MatchableItem } from './matcher.types.js';
import { createTokenSpans, normalizeName, scanRawText, type TokenSpans } from './normalize.js';
import { FoundAtoms, IN_BODY, IN_TITLE } from './found-atoms.js';
import { type ProgramInput, RuleEvaluator } from './rule-program.js';
import type { Occurrences, TokenSymbols, TokenTrie } from './token-trie.js';
import type { TokenLookup } from './token-vocabulary.js';
import type { PhraseTable } from './phrase-table.js';

/** Everything the builder produced, as flat arrays indexed by atom, rule or campaign. */
export interface MatcherTables {
  lookup: TokenLookup;
  trie: TokenTrie;
  phrases: PhraseTable;
  /** The check hashes' seed (see token-vocabulary.ts). */
  seed: number;
  /**
   * Atom a triggers entries triggerStart[a] .. triggerStart[a + 1] of triggerEntries, each
   * TriggerEntry.STRIDE numbers at the TriggerEntry offsets: the rule, its campaign, the checks
   * that make the rule worth evaluating (one of the atoms `also` and `alsoOr` found, the
   * atom `veto` not; -1: no such check), and where the rule's code starts, or -1 when the
   * checks decide the rule, with the one or two term ids it then matched (-1: none).
   */
  triggerStart: Int32Array;
  triggerEntries: Int32Array;
  /** Rule code (rule-program.ts). */
  code: Int32Array;
  ruleCount: number;
  campaignIds: string[];
  negativeAtoms: Int32Array;
  /**
   * Distinct lower-case name lists of the campaigns' filters. Campaigns mostly share a few
   * (every one denies AutoModerator), so each is one small hot Set, not one per campaign.
   */
  nameSets: ReadonlySet<string>[];
  /**
   * What the matcher reads of campaign c, in one 64-byte line: CampaignRecord.STRIDE numbers
   * from CampaignRecord.STRIDE * c, at the CampaignRecord offsets. Name lists are nameSets indexes
   * (-1 for none). The negative keywords' atoms are negativeAtoms[negatives .. negativesEnd),
   * the first CampaignRecord.INLINE_COUNT of them also copied into the record itself.
   */
  campaigns: Int32Array;
  /** Campaign c's minimum score, read only when it has one (CampaignFlag.HAS_MIN_SCORE). */
  minScore: Float64Array;
  termSources: string[];
  /** Subreddit and author names that rules filter on, to their ids in the rule code. */
  names: ReadonlyMap<string, number>;
}

/*
 * The layouts are enums because esbuild, which tsx runs, writes an enum member used in its
 * own file as a number: a module-level const is a slot of the module's context, which V8
 * reads and checks at every use, in every index computed from it (4 % of matching at
 * 10,000 campaigns, bench/README.md).
 */
/** A trigger entry's fields, and the numbers an entry takes (STRIDE). */
export enum TriggerEntry {
  RULE = 0,
  CAMPAIGN = 1,
  ALSO = 2,
  ALSO_OR = 3,
  VETO = 4,
  CODE = 5,
  TERM = 6,
  SECOND_TERM = 7,
  STRIDE = 8,
}

/** A campaign record's fields, the numbers a record takes (STRIDE), and how many negatives it holds inline. */
export enum CampaignRecord {
  FLAGS = 0,
  ALLOW = 1,
  DENY = 2,
  AUTHOR_DENY = 3,
  NEGATIVES = 4,
  NEGATIVES_END = 5,
  INLINE_NEGATIVES = 8,
  STRIDE = 16,
  INLINE_COUNT = STRIDE - INLINE_NEGATIVES,
}

/** Bits of CampaignRecord.FLAGS. */
export enum CampaignFlag {
  INCLUDE_NSFW = 1,
  HAS_MIN_SCORE = 2,
}

/*
 * Per item: tokenise each field, look every token up in place, walk the trie and the
 * phrase table to collect the atoms found (and in which field), collect the trigger
 * entries of those atoms whose checks pass, sort them by rule (so by campaign, in the
 * order campaigns were given), then per campaign check its filters, its triggered rules
 * and its negative keywords. Scratch state is reused from item to item; match() is
 * synchronous, so no two items overlap.
 */
export function createMatchFunction(t: MatcherTables): (item: MatchableItem) => CampaignMatch[] {
  const runtime = new MatchRuntime(t);
  return (item) => runtime.match(item);
}

/*
 * A class, not closures, as are the tables it calls per token (word lookup, trie, phrase
 * table, rule evaluator): every matcher built in a process then runs the same compiled
 * code on its own fields, as fast for the tenth build as for the first. V8 compiles a
 * closure for the values it captured while it is the only one of its kind, and slower
 * code for all of them once there are several; a worker rebuilds its matcher at every
 * campaign change (bench/README.md has the measurement).
 */
class MatchRuntime {
  private readonly found: FoundAtoms;
  private readonly spans: TokenSpans;
  private readonly text: TokenSymbols = {
    starts: new Int32Array(256),
    symbols: new Int32Array(1024),
    next: new Int32Array(1024),
    pattern: new Int32Array(1024),
    tokenCount: 0,
  };
  private readonly occurrences: Occurrences = { ids: new Int32Array(256), count: 0 };
  // Triggered entries as rule * CandidateKey.ENTRY_SPACE + entry number: sorting orders them by rule.
  private candidates: Float64Array<ArrayBuffer> = new Float64Array(256);
  private candidateCount = 0;
  // Where each found atom's trigger entries start, and a sink for reads made early on
  // purpose, so the compiler keeps them (see collectCandidates).
  private foundEntries = new Int32Array(128);
  private readonly prefetched = new Int32Array(1);
  private readonly input: ProgramInput;
  private readonly evaluator: RuleEvaluator;

  constructor(private readonly t: MatcherTables) {
    // Atoms are numbered 0 .. atomCount - 1, and triggerStart has one more entry.
    this.found = new FoundAtoms(t.triggerStart.length - 1);
    this.spans = createTokenSpans(256, t.seed);
    this.input = { found: this.found, kind: 0, subreddit: -1, author: -1 };
    this.evaluator = new RuleEvaluator(t.code, this.input);
  }

  match(item: MatchableItem): CampaignMatch[] {
    const { t, found } = this;
    if (t.ruleCount === 0) return [];
    found.clear();
    // A comment's title is its thread's, which the commenter did not write.
    if (item.kind === 'post') this.record(item.title, IN_TITLE);
    this.record(item.body, IN_BODY);
    if (found.count === 0) return [];
    this.collectCandidates();
    const count = this.candidateCount;
    if (count === 0) return [];
    // Rules are numbered campaign by campaign, in the order campaigns were given, which is
    // the order the naive evaluation returns them in.
    const order = this.candidates;
    sortKeys(order, count);
    const subreddit = normalizeName(item.subreddit);
    const author = normalizeName(item.author);
    const input = this.input;
    input.kind = item.kind === 'post' ? 0 : 1;
    input.subreddit = t.names.get(subreddit) ?? -1;
    input.author = t.names.get(author) ?? -1;
    const out: CampaignMatch[] = [];
    const entries = t.triggerEntries;
    // The candidates' campaign records and rule code, read together first (as above).
    let touched = 0;
    for (let i = 0; i < count; i++) {
      const k = entryOf(order[i]!) * TriggerEntry.STRIDE;
      touched |= t.campaigns[entries[k + TriggerEntry.CAMPAIGN]! * CampaignRecord.STRIDE]!;
      const codeStart = entries[k + TriggerEntry.CODE]!;
      if (codeStart !== -1) touched |= t.code[codeStart]!;
    }
    this.prefetched[0] = touched;
    let from = 0;
    while (from < count) {
      const c = entries[entryOf(order[from]!) * TriggerEntry.STRIDE + TriggerEntry.CAMPAIGN]!;
      let to = from + 1;
      while (to < count && entries[entryOf(order[to]!) * TriggerEntry.STRIDE + TriggerEntry.CAMPAIGN] === c) to++;
      const m = this.matchCampaign(c, from, to, item, subreddit, author);
      if (m !== null) out.push(m);
      from = to;
    }
    return out;
  }

  private record(raw: string, field: number): void {
    if (raw === '') return;
    const { t, spans, occurrences, found } = this;
    const s = scanRawText(raw, spans);
    occurrences.count = 0;
    if (this.symbolize(s)) t.trie.scan(this.text, occurrences);
    t.phrases.scan(spans, occurrences);
    const ids = occurrences.ids;
    for (let k = 0; k < occurrences.count; k++) found.add(ids[k]!, field);
  }

  /** Fills `text` with the symbols of each token of `s` (spans); false when no token has any. */
  private symbolize(s: string): boolean {
    const { text, spans } = this;
    const n = spans.count;
    if (text.starts.length < n + 1) text.starts = new Int32Array(2 * n + 1);
    // A token satisfies at most its own word and one prefix per character.
    if (text.symbols.length < s.length + n) {
      const size = 2 * (s.length + n);
      text.symbols = new Int32Array(size);
      text.next = new Int32Array(size);
      text.pattern = new Int32Array(size);
    }
    return this.t.lookup.symbolize(spans, text) > 0;
  }

  private collectCandidates(): void {
    const { t, found } = this;
    const entries = t.triggerEntries;
    const starts = t.triggerStart;
    const count = found.count;
    if (this.foundEntries.length < count) this.foundEntries = new Int32Array(2 * count);
    const foundEntries = this.foundEntries;
    // Reading every found atom's entry range first, then each range's first entry, lets the
    // processor wait for those scattered reads together instead of one after another.
    for (let f = 0; f < count; f++) foundEntries[f] = starts[found.list[f]!]! * TriggerEntry.STRIDE;
    let touched = 0;
    for (let f = 0; f < count; f++) touched |= entries[foundEntries[f]!]!;
    this.prefetched[0] = touched;
    let candidates = this.candidates;
    let candidateCount = 0;
    for (let f = 0; f < count; f++) {
      const a = found.list[f]!;
      const end = starts[a + 1]! * TriggerEntry.STRIDE;
      for (let k = foundEntries[f]!; k < end; k += TriggerEntry.STRIDE) {
        const also = entries[k + TriggerEntry.ALSO]!;
        if (also !== -1 && found.fieldsOf(also) === 0) {
          const alsoOr = entries[k + TriggerEntry.ALSO_OR]!;
          if (alsoOr === -1 || found.fieldsOf(alsoOr) === 0) continue;
        }
        const veto = entries[k + TriggerEntry.VETO]!;
        if (veto !== -1 && found.fieldsOf(veto) !== 0) continue;
        if (candidateCount === candidates.length) candidates = grow(candidates);
        candidates[candidateCount++] = entries[k + TriggerEntry.RULE]! * CandidateKey.ENTRY_SPACE + k / TriggerEntry.STRIDE;
      }
    }
    this.candidates = candidates;
    this.candidateCount = candidateCount;
  }

  private passesFilters(at: number, c: number, item: MatchableItem, subreddit: string, author: string): boolean {
    const t = this.t;
    const rec = t.campaigns;
    const flags = rec[at + CampaignRecord.FLAGS]!;
    if (item.over18 && (flags & CampaignFlag.INCLUDE_NSFW) === 0) return false;
    if ((flags & CampaignFlag.HAS_MIN_SCORE) !== 0 && item.score < t.minScore[c]!) return false;
    const allow = rec[at + CampaignRecord.ALLOW]!;
    if (allow !== -1 && !t.nameSets[allow]!.has(subreddit)) return false;
    const deny = rec[at + CampaignRecord.DENY]!;
    if (deny !== -1 && t.nameSets[deny]!.has(subreddit)) return false;
    const authorDeny = rec[at + CampaignRecord.AUTHOR_DENY]!;
    return authorDeny === -1 || !t.nameSets[authorDeny]!.has(author);
  }

  private hasNegative(at: number): boolean {
    const { t, found } = this;
    const rec = t.campaigns;
    const start = rec[at + CampaignRecord.NEGATIVES]!;
    const count = rec[at + CampaignRecord.NEGATIVES_END]! - start;
    const inline = Math.min(count, CampaignRecord.INLINE_COUNT);
    for (let k = 0; k < inline; k++) if (found.fieldsOf(rec[at + CampaignRecord.INLINE_NEGATIVES + k]!) !== 0) return true;
    for (let k = CampaignRecord.INLINE_COUNT; k < count; k++) if (found.fieldsOf(t.negativeAtoms[start + k]!) !== 0) return true;
    return false;
  }

  /** The distinct terms collected for one campaign, in the order they were found. */
  private matchedTerms(): string[] {
    const { evaluator, t } = this;
    const out: string[] = [];
    const count = evaluator.termCount;
    // A match has a few terms: comparing ids with the earlier ones beats any table.
    next: for (let i = 0; i < count; i++) {
      const term = evaluator.term(i);
      for (let j = 0; j < i; j++) if (evaluator.term(j) === term) continue next;
      out.push(t.termSources[term]!);
    }
    return out;
  }

  /** The match of campaign c when its triggered rules, candidates[from .. to), make it one. */
  private matchCampaign(c: number, from: number, to: number, item: MatchableItem, subreddit: string, author: string): CampaignMatch | null {
    const at = CampaignRecord.STRIDE * c;
    if (!this.passesFilters(at, c, item, subreddit, author)) return null;
    const { evaluator, candidates } = this;
    const entries = this.t.triggerEntries;
    evaluator.reset();
    let matched = false;
    let previousRule = -1;
    for (let i = from; i < to; i++) {
      const k = entryOf(candidates[i]!) * TriggerEntry.STRIDE;
      const rule = entries[k + TriggerEntry.RULE]!;
      // A rule triggered by several found atoms is evaluated once.
      if (rule === previousRule) continue;
      previousRule = rule;
      const codeStart = entries[k + TriggerEntry.CODE]!;
      if (codeStart !== -1) {
        if (evaluator.holds(codeStart)) matched = true;
        continue;
      }
      matched = true;
      evaluator.addTerm(entries[k + TriggerEntry.TERM]!);
      const second = entries[k + TriggerEntry.SECOND_TERM]!;
      if (second !== -1) evaluator.addTerm(second);
    }
    // Negative keywords last: they need the found-atom table, the filters above do not.
    if (!matched || this.hasNegative(at)) return null;
    return { campaignId: this.t.campaignIds[c]!, matchedTerms: this.matchedTerms() };
  }
}

/** Entry numbers stay below ENTRY_SPACE, rules below 2^27 (checked at build): keys stay exact doubles. */
export enum CandidateKey {
  ENTRY_SPACE = 2 ** 26,
}

/** The entry number of a candidate key (a floor and two exact multiplications, not a slow %). */
function entryOf(key: number): number {
  return key - Math.floor(key * (1 / CandidateKey.ENTRY_SPACE)) * CandidateKey.ENTRY_SPACE;
}

/** Sorts keys[0 .. count) ascending: an insertion sort for the usual handful, the built-in sort for more. */
function sortKeys(keys: Float64Array<ArrayBuffer>, count: number): void {
  if (count > 32) {
    keys.subarray(0, count).sort();
    return;
  }
  for (let i = 1; i < count; i++) {
    const key = keys[i]!;
    let j = i - 1;
    while (j >= 0 && keys[j]! > key) {
      keys[j + 1] = keys[j]!;
      j--;
    }
    keys[j + 1] = key;
  }
}

function grow(a: Float64Array<ArrayBuffer>): Float64Array<ArrayBuffer> {
  const b = new Float64Array(a.length * 2);
  b.set(a);
  return b;
}
