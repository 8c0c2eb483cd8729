import type { CampaignMatch, CompiledMatcher, MatchableItem, MatcherCampaign } from './matcher.types.js';
import { itemTokens, normalizeName } from './normalize.js';
import { type FilterNode, type RuleNode, requiredTexts, type TextField, type TextNode, wordsKey } from './rule-ast.js';
import { parseKeyword, parseRule, RuleSyntaxError } from './rule-parser.js';
import { TokenTrie } from './token-trie.js';

/*
 * Two stages. The trie finds, in one pass over the item's tokens, every term and phrase of
 * every campaign that occurs (each distinct one is an "atom", shared between campaigns).
 * Each rule registers the atoms of which at least one must occur for it to be true, so
 * only campaigns triggered by a found atom are looked at; for those, the rule trees are
 * evaluated exactly against the set of found atoms.
 */

type CompiledNode =
  | { kind: 'text'; atom: number; field: TextField; source: string }
  | FilterNode
  | { kind: 'and' | 'or'; children: CompiledNode[] }
  | { kind: 'not'; child: CompiledNode };

interface CompiledCampaign {
  id: string;
  rules: CompiledNode[];
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
  const trie = new TokenTrie();
  const atomIds = new Map<string, number>();
  const triggers: number[][] = [];
  const campaigns: CompiledCampaign[] = [];
  const invalid: InvalidRule[] = [];
  let ruleCount = 0;

  function atomOf(node: TextNode): number {
    const key = wordsKey(node.words);
    let id = atomIds.get(key);
    if (id === undefined) {
      id = atomIds.size;
      atomIds.set(key, id);
      triggers.push([]);
      trie.add(node.words, id);
    }
    return id;
  }

  function compileNode(node: RuleNode): CompiledNode {
    switch (node.kind) {
      case 'text':
        return { kind: 'text', atom: atomOf(node), field: node.field, source: node.source };
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
      const index = campaigns.length;
      const rules: CompiledNode[] = [];
      c.rules.forEach((text, i) => {
        const ast = tryParse(c.id, 'rule', i, text, parseRule);
        if (ast === null) return;
        rules.push(compileNode(ast));
        for (const t of requiredTexts(ast) ?? []) {
          const list = triggers[atomOf(t)]!;
          if (list.at(-1) !== index) list.push(index);
        }
      });
      if (rules.length === 0) return;
      ruleCount += rules.length;
      const negatives: number[] = [];
      c.negativeKeywords.forEach((text, i) => {
        const node = tryParse(c.id, 'negativeKeyword', i, text, parseKeyword);
        if (node) negatives.push(atomOf(node));
      });
      const lower = (xs: readonly string[]) => new Set(xs.map(normalizeName));
      campaigns.push({
        id: c.id,
        rules,
        negatives,
        allow: c.subreddits.length > 0 ? lower(c.subreddits) : null,
        deny: lower(c.subredditDeny),
        authorDeny: lower(c.authorDeny),
        minScore: c.minScore,
        includeNsfw: c.includeNsfw,
      });
    },

    build(): BuiltMatcher {
      return createCompiledMatcher(version, trie, triggers, campaigns, {
        campaigns: campaigns.length,
        rules: ruleCount,
        atoms: atomIds.size,
        invalid,
      });
    },
  };
}

/** All campaigns' rules as one automaton plus an exact check of each candidate campaign. */
export function compileMatcher(campaigns: readonly MatcherCampaign[], version: string): BuiltMatcher {
  const builder = createMatcherBuilder(version);
  for (const c of campaigns) builder.add(c);
  return builder.build();
}

function createCompiledMatcher(
  version: string,
  trie: TokenTrie,
  triggerLists: number[][],
  campaigns: CompiledCampaign[],
  stats: MatcherStats,
): BuiltMatcher {
  const atomCount = triggerLists.length;
  const triggers = triggerLists.map((l) => Int32Array.from(l));
  // Scratch state reused across items: an entry is "set" when it equals the current stamp,
  // so nothing needs clearing between items. match() is synchronous, so no item overlaps.
  const titleStamp = new Int32Array(atomCount);
  const bodyStamp = new Int32Array(atomCount);
  const campaignStamp = new Int32Array(campaigns.length);
  const found: number[] = [];
  const raw: number[] = [];
  const candidates: number[] = [];
  let stamp = 0;

  function record(tokens: string[], fieldStamp: Int32Array, otherStamp: Int32Array): void {
    raw.length = 0;
    trie.scan(tokens, raw);
    for (const a of raw) {
      if (fieldStamp[a] === stamp) continue;
      fieldStamp[a] = stamp;
      if (otherStamp[a] !== stamp) found.push(a);
    }
  }

  return {
    version,
    stats,
    match(item: MatchableItem): CampaignMatch[] {
      if (campaigns.length === 0) return [];
      if (++stamp === 0x7fffffff) {
        stamp = 1;
        titleStamp.fill(0);
        bodyStamp.fill(0);
        campaignStamp.fill(0);
      }
      const tokens = itemTokens(item);
      found.length = 0;
      record(tokens.title, titleStamp, bodyStamp);
      record(tokens.body, bodyStamp, titleStamp);
      if (found.length === 0) return [];
      candidates.length = 0;
      for (const a of found) {
        for (const c of triggers[a]!) {
          if (campaignStamp[c] === stamp) continue;
          campaignStamp[c] = stamp;
          candidates.push(c);
        }
      }
      if (candidates.length === 0) return [];
      candidates.sort((x, y) => x - y);
      const view: ItemView = {
        kind: item.kind,
        subreddit: normalizeName(item.subreddit),
        author: normalizeName(item.author),
        titleStamp,
        bodyStamp,
        stamp,
      };
      const out: CampaignMatch[] = [];
      for (const ci of candidates) {
        const m = matchCampaign(campaigns[ci]!, item, view);
        if (m) out.push(m);
      }
      return out;
    },
  };
}

function matchCampaign(c: CompiledCampaign, item: MatchableItem, v: ItemView): CampaignMatch | null {
  if (c.allow !== null && !c.allow.has(v.subreddit)) return null;
  if (c.deny.has(v.subreddit) || c.authorDeny.has(v.author)) return null;
  if (c.minScore !== null && item.score < c.minScore) return null;
  if (item.over18 && !c.includeNsfw) return null;
  for (const a of c.negatives) {
    if (v.titleStamp[a] === v.stamp || v.bodyStamp[a] === v.stamp) return null;
  }
  const terms: string[] = [];
  let matched = false;
  for (const rule of c.rules) {
    if (evaluate(rule, v, terms)) matched = true;
  }
  if (!matched) return null;
  return { campaignId: c.id, matchedTerms: [...new Set(terms)] };
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
