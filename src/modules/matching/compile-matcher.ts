import type { CampaignMatch, CompiledMatcher, MatchableItem, MatcherCampaign } from './matcher.types.js';
import { createTokenSpans, foldedText, normalizeName, scanTokens } from './normalize.js';
import { estimatedFrequency, type FilterNode, type RuleNode, type TextField, type TextNode, wordsKey } from './rule-ast.js';
import { parseKeyword, parseRule, RuleSyntaxError } from './rule-parser.js';
import { createTrieBuilder, type Occurrences, type TokenSymbols, type TokenTrie } from './token-trie.js';
import { createVocabularyBuilder, type TokenLookup } from './token-vocabulary.js';

/*
 * Two stages. The trie finds, in one pass over the item's tokens, every term and phrase of
 * every campaign that occurs (each distinct one is an "atom", shared between campaigns).
 * Each rule registers the atoms of which at least one must occur for it to be true, so
 * only rules triggered by a found atom are evaluated (any other rule is false), exactly,
 * against the set of found atoms, after their campaign's filters. For an AND, the child
 * that looks rarest triggers: short words, wildcards and words many rules share (intent
 * words such as "best" or "recommend*") look common.
 */

type CompiledNode =
  | { kind: 'text'; atom: number; field: TextField; source: string }
  | FilterNode
  | { kind: 'and' | 'or'; children: CompiledNode[] }
  | { kind: 'not'; child: CompiledNode };

interface CompiledCampaign {
  id: string;
  negatives: number[];
  allow: ReadonlySet<string> | null;
  deny: ReadonlySet<string>;
  authorDeny: ReadonlySet<string>;
  minScore: number | null;
  includeNsfw: boolean;
}

export interface InvalidRule {
  campaignId: string;
  /** 'rule' or 'negative keyword', and its index in that list. */
  list: 'rule' | 'negativeKeyword';
  index: number;
  text: string;
  message: string;
}

export interface MatcherStats {
  campaigns: number;
  rules: number;
  atoms: number;
  /** Stored rules that no longer parse; skipped rather than stopping every campaign's matching. */
  invalid: InvalidRule[];
}

export interface BuiltMatcher extends CompiledMatcher {
  readonly stats: MatcherStats;
}

interface ItemView {
  kind: MatchableItem['kind'];
  subreddit: string;
  author: string;
  titleStamp: Int32Array;
  bodyStamp: Int32Array;
  stamp: number;
}

/** Incremental build, so a caller can yield between campaigns while a large set compiles. */
export function createMatcherBuilder(version: string) {
  const vocabulary = createVocabularyBuilder();
  const trieBuilder = createTrieBuilder();
  const atomIds = new Map<string, number>();
  const atomFrequency: number[] = [];
  const atomUsage: number[] = [];
  const campaigns: CompiledCampaign[] = [];
  // Rules of all campaigns, a campaign's rules next to each other in their written order.
  const rules: CompiledNode[] = [];
  const ruleCampaign: number[] = [];
  const invalid: InvalidRule[] = [];

  function atomOf(node: TextNode): number {
    const key = wordsKey(node.words);
    let id = atomIds.get(key);
    if (id === undefined) {
      id = atomIds.size;
      atomIds.set(key, id);
      atomFrequency.push(estimatedFrequency(node));
      atomUsage.push(0);
      trieBuilder.add(
        node.words.map((w) => vocabulary.symbolFor(w)),
        id,
      );
    }
    return id;
  }

  function compileNode(node: RuleNode): CompiledNode {
    switch (node.kind) {
      case 'text': {
        const atom = atomOf(node);
        atomUsage[atom]! += 1;
        return { kind: 'text', atom, field: node.field, source: node.source };
      }
      case 'filter':
        return node;
      case 'not':
        return { kind: 'not', child: compileNode(node.child) };
      case 'and':
      case 'or':
        return { kind: node.kind, children: node.children.map(compileNode) };
    }
  }

  function tryParse<T>(campaignId: string, list: InvalidRule['list'], index: number, text: string, parse: (s: string) => T) {
    try {
      return parse(text);
    } catch (err) {
      if (!(err instanceof RuleSyntaxError)) throw err;
      invalid.push({ campaignId, list, index, text, message: err.message });
      return null;
    }
  }

  return {
    add(c: MatcherCampaign): void {
      const parsed = c.rules
        .map((text, i) => tryParse(c.id, 'rule', i, text, parseRule))
        .filter((r): r is RuleNode => r !== null);
      if (parsed.length === 0) return;
      const index = campaigns.length;
      for (const ast of parsed) {
        rules.push(compileNode(ast));
        ruleCampaign.push(index);
      }
      const negatives: number[] = [];
      c.negativeKeywords.forEach((text, i) => {
        const node = tryParse(c.id, 'negativeKeyword', i, text, parseKeyword);
        if (node) negatives.push(atomOf(node));
      });
      const lower = (xs: readonly string[]) => new Set(xs.map(normalizeName));
      campaigns.push({
        id: c.id,
        negatives,
        allow: c.subreddits.length > 0 ? lower(c.subreddits) : null,
        deny: lower(c.subredditDeny),
        authorDeny: lower(c.authorDeny),
        minScore: c.minScore,
        includeNsfw: c.includeNsfw,
      });
    },

    build(): BuiltMatcher {
      // Triggers are chosen once every rule is known, so shared words are counted fully.
      const triggers: number[][] = Array.from({ length: atomIds.size }, () => []);
      const cost = (atom: number) => atomFrequency[atom]! * atomUsage[atom]!;
      rules.forEach((rule, ruleIndex) => {
        for (const atom of new Set(requiredAtoms(rule, cost) ?? [])) triggers[atom]!.push(ruleIndex);
      });
      const lookup = vocabulary.build();
      const trie = trieBuilder.build(lookup.symbolCount);
      return createCompiledMatcher(version, lookup, trie, triggers, { rules, ruleCampaign: Int32Array.from(ruleCampaign), campaigns }, {
        campaigns: campaigns.length,
        rules: rules.length,
        atoms: atomIds.size,
        invalid,
      });
    },
  };
}

/**
 * Atoms of which at least one is present whenever the rule is true (null when there is no
 * such set; the parser refuses those rules). Mirrors requiredTexts, with a cost per atom.
 */
function requiredAtoms(node: CompiledNode, cost: (atom: number) => number): number[] | null {
  switch (node.kind) {
    case 'text':
      return [node.atom];
    case 'filter':
    case 'not':
      return null;
    case 'and': {
      let best: number[] | null = null;
      let bestCost = Number.POSITIVE_INFINITY;
      for (const c of node.children) {
        const r = requiredAtoms(c, cost);
        if (r === null) continue;
        let total = 0;
        for (const a of r) total += cost(a);
        if (total < bestCost) {
          best = r;
          bestCost = total;
        }
      }
      return best;
    }
    case 'or': {
      const all: number[] = [];
      for (const c of node.children) {
        const r = requiredAtoms(c, cost);
        if (r === null) return null;
        all.push(...r);
      }
      return all;
    }
  }
}

/** All campaigns' rules as one automaton plus an exact check of each candidate campaign. */
export function compileMatcher(campaigns: readonly MatcherCampaign[], version: string): BuiltMatcher {
  const builder = createMatcherBuilder(version);
  for (const c of campaigns) builder.add(c);
  return builder.build();
}

interface RuleTable {
  rules: CompiledNode[];
  ruleCampaign: Int32Array;
  campaigns: CompiledCampaign[];
}

function createCompiledMatcher(
  version: string,
  lookup: TokenLookup,
  trie: TokenTrie,
  triggerLists: number[][],
  { rules, ruleCampaign, campaigns }: RuleTable,
  stats: MatcherStats,
): BuiltMatcher {
  const atomCount = triggerLists.length;
  // Rules each atom triggers, flat: atom a triggers triggerRules[triggerStart[a] .. triggerStart[a + 1]).
  const triggerStart = new Int32Array(atomCount + 1);
  for (let a = 0; a < atomCount; a++) triggerStart[a + 1] = triggerStart[a]! + triggerLists[a]!.length;
  const triggerRules = new Int32Array(triggerStart[atomCount]!);
  for (let a = 0; a < atomCount; a++) triggerRules.set(triggerLists[a]!, triggerStart[a]!);
  // Scratch state reused across items: an entry is "set" when it equals the current stamp,
  // so nothing needs clearing between items. match() is synchronous, so no item overlaps.
  const titleStamp = new Int32Array(atomCount);
  const bodyStamp = new Int32Array(atomCount);
  const ruleStamp = new Int32Array(rules.length);
  const spans = createTokenSpans();
  const text: TokenSymbols = { starts: new Int32Array(256), symbols: new Int32Array(1024), tokenCount: 0 };
  const occurrences: Occurrences = { ids: new Int32Array(256), count: 0 };
  const found: number[] = [];
  const candidates: number[] = [];
  let stamp = 0;

  /** Fills `text` with the symbols of each token; false when no token has any. */
  function symbolize(folded: string): boolean {
    scanTokens(folded, spans);
    const n = spans.count;
    if (text.starts.length < n + 1) text.starts = new Int32Array(2 * n + 1);
    // A token satisfies at most its own word and one prefix per character.
    if (text.symbols.length < folded.length + n) text.symbols = new Int32Array(2 * (folded.length + n));
    const { starts, symbols } = text;
    let at = 0;
    for (let k = 0; k < n; k++) {
      starts[k] = at;
      at += lookup.symbolsOf(folded, spans.starts[k]!, spans.ends[k]!, symbols, at);
    }
    starts[n] = at;
    text.tokenCount = n;
    return at > 0;
  }

  function record(raw: string, fieldStamp: Int32Array, otherStamp: Int32Array): void {
    if (raw === '' || !symbolize(foldedText(raw))) return;
    occurrences.count = 0;
    trie.scan(text, occurrences);
    const ids = occurrences.ids;
    for (let k = 0; k < occurrences.count; k++) {
      const a = ids[k]!;
      if (fieldStamp[a] === stamp) continue;
      fieldStamp[a] = stamp;
      if (otherStamp[a] !== stamp) found.push(a);
    }
  }

  return {
    version,
    stats,
    match(item: MatchableItem): CampaignMatch[] {
      if (rules.length === 0) return [];
      if (++stamp === 0x7fffffff) {
        stamp = 1;
        titleStamp.fill(0);
        bodyStamp.fill(0);
        ruleStamp.fill(0);
      }
      found.length = 0;
      // A comment's title is its thread's, which the commenter did not write.
      if (item.kind === 'post') record(item.title, titleStamp, bodyStamp);
      record(item.body, bodyStamp, titleStamp);
      if (found.length === 0) return [];
      candidates.length = 0;
      for (const a of found) {
        const end = triggerStart[a + 1]!;
        for (let t = triggerStart[a]!; t < end; t++) {
          const r = triggerRules[t]!;
          if (ruleStamp[r] === stamp) continue;
          ruleStamp[r] = stamp;
          candidates.push(r);
        }
      }
      if (candidates.length === 0) return [];
      // Ascending rule order groups each campaign's rules and keeps them in written order.
      if (candidates.length > 1) candidates.sort((x, y) => x - y);
      const view: ItemView = {
        kind: item.kind,
        subreddit: normalizeName(item.subreddit),
        author: normalizeName(item.author),
        titleStamp,
        bodyStamp,
        stamp,
      };
      const out: CampaignMatch[] = [];
      let k = 0;
      while (k < candidates.length) {
        const ci = ruleCampaign[candidates[k]!]!;
        let end = k + 1;
        while (end < candidates.length && ruleCampaign[candidates[end]!] === ci) end++;
        const campaign = campaigns[ci]!;
        if (passesFilters(campaign, item, view)) {
          const terms: string[] = [];
          let matched = false;
          for (let j = k; j < end; j++) if (evaluate(rules[candidates[j]!]!, view, terms)) matched = true;
          if (matched) out.push({ campaignId: campaign.id, matchedTerms: [...new Set(terms)] });
        }
        k = end;
      }
      return out;
    },
  };
}

function passesFilters(c: CompiledCampaign, item: MatchableItem, v: ItemView): boolean {
  if (c.allow !== null && !c.allow.has(v.subreddit)) return false;
  if (c.deny.has(v.subreddit) || c.authorDeny.has(v.author)) return false;
  if (c.minScore !== null && item.score < c.minScore) return false;
  if (item.over18 && !c.includeNsfw) return false;
  for (const a of c.negatives) {
    if (v.titleStamp[a] === v.stamp || v.bodyStamp[a] === v.stamp) return false;
  }
  return true;
}

/** True when the node holds; appends the terms of the parts that made it true. */
function evaluate(n: CompiledNode, v: ItemView, terms: string[]): boolean {
  switch (n.kind) {
    case 'text': {
      const inTitle = n.field !== 'body' && v.titleStamp[n.atom] === v.stamp;
      const inBody = n.field !== 'title' && v.bodyStamp[n.atom] === v.stamp;
      if (!inTitle && !inBody) return false;
      terms.push(n.source);
      return true;
    }
    case 'filter':
      return n.field === 'type' ? v.kind === n.value : n.field === 'subreddit' ? v.subreddit === n.value : v.author === n.value;
    case 'not': {
      const mark = terms.length;
      const inner = evaluate(n.child, v, terms);
      terms.length = mark;
      return !inner;
    }
    case 'and': {
      const mark = terms.length;
      for (const child of n.children) {
        if (!evaluate(child, v, terms)) {
          terms.length = mark;
          return false;
        }
      }
      return true;
    }
    case 'or': {
      let any = false;
      for (const child of n.children) if (evaluate(child, v, terms)) any = true;
      return any;
    }
  }
}
