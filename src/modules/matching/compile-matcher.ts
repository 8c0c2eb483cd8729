import {
  CAMPAIGN_ALLOW,
  CAMPAIGN_AUTHOR_DENY,
  CAMPAIGN_DENY,
  CAMPAIGN_FLAGS,
  CAMPAIGN_INLINE_NEGATIVES,
  CAMPAIGN_NEGATIVES,
  CAMPAIGN_NEGATIVES_END,
  CAMPAIGN_STRIDE,
  createMatchFunction,
  ENTRY_SPACE,
  HAS_MIN_SCORE,
  INCLUDE_NSFW,
  INLINE_NEGATIVES,
  TRIGGER_STRIDE,
} from './matcher-runtime.js';
import type { CompiledMatcher, MatcherCampaign } from './matcher.types.js';
import { IN_BODY, IN_TITLE } from './found-atoms.js';
import { normalizeName } from './normalize.js';
import { estimatedFrequency, type RuleNode, type TextNode, wordsKey } from './rule-ast.js';
import { parseKeyword, parseRule, RuleSyntaxError } from './rule-parser.js';
import { emitRule, OP_AND, OP_NOT, OP_OR, OP_TEXT, type ProgramContext } from './rule-program.js';
import { createTrieBuilder } from './token-trie.js';
import { createVocabularyBuilder } from './token-vocabulary.js';

/*
 * Two stages. The trie finds, in one pass over the item's tokens, every term and phrase of
 * every campaign that occurs (each distinct one is an "atom", shared between campaigns).
 * Each rule registers the atoms of which at least one must occur for it to be true, so
 * only rules triggered by a found atom are evaluated (any other rule is false), exactly,
 * against the set of found atoms, after their campaign's filters. For an AND, the child
 * that looks rarest triggers: short words, wildcards and words many rules share (intent
 * words such as "best" or "recommend*") look common.
 */

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

/** Incremental build, so a caller can yield between campaigns while a large set compiles. */
export function createMatcherBuilder(version: string) {
  const vocabulary = createVocabularyBuilder();
  const trieBuilder = createTrieBuilder();
  const atomIds = new Map<string, number>();
  const atomFrequency: number[] = [];
  const atomUsage: number[] = [];
  const termIds = new Map<string, number>();
  const termSources: string[] = [];
  const names = new Map<string, number>();
  // Rules of all campaigns, a campaign's rules next to each other in their written order.
  const code: number[] = [];
  const ruleCode: number[] = [];
  const ruleCampaign: number[] = [];
  const campaignIds: string[] = [];
  const negativeAtoms: number[] = [];
  const nameSetIds = new Map<string, number>();
  const nameSets: ReadonlySet<string>[] = [];
  // CAMPAIGN_STRIDE numbers per campaign, at the CAMPAIGN_* offsets.
  const campaignRecords: number[] = [];
  const minScore: number[] = [];
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

  const intern = (map: Map<string, number>, value: string, list?: string[]) => {
    let id = map.get(value);
    if (id === undefined) {
      id = map.size;
      map.set(value, id);
      list?.push(value);
    }
    return id;
  };

  const program: ProgramContext = {
    atomOf(node) {
      const atom = atomOf(node);
      atomUsage[atom]! += 1;
      return atom;
    },
    termOf: (source) => intern(termIds, source, termSources),
    nameOf: (name) => intern(names, name),
  };

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
      const index = campaignIds.length;
      for (const ast of parsed) {
        ruleCode.push(code.length);
        emitRule(ast, program, code);
        ruleCampaign.push(index);
      }
      const negatives = negativeAtoms.length;
      c.negativeKeywords.forEach((text, i) => {
        const node = tryParse(c.id, 'negativeKeyword', i, text, parseKeyword);
        if (node) negativeAtoms.push(atomOf(node));
      });
      const nameSet = (xs: readonly string[]) => {
        if (xs.length === 0) return -1;
        const names = [...new Set(xs.map(normalizeName))].sort();
        const key = names.join('\n');
        let id = nameSetIds.get(key);
        if (id === undefined) {
          id = nameSets.length;
          nameSetIds.set(key, id);
          nameSets.push(new Set(names));
        }
        return id;
      };
      campaignIds.push(c.id);
      const record = new Array<number>(CAMPAIGN_STRIDE).fill(-1);
      record[CAMPAIGN_FLAGS] = (c.includeNsfw ? INCLUDE_NSFW : 0) | (c.minScore !== null ? HAS_MIN_SCORE : 0);
      record[CAMPAIGN_ALLOW] = nameSet(c.subreddits);
      record[CAMPAIGN_DENY] = nameSet(c.subredditDeny);
      record[CAMPAIGN_AUTHOR_DENY] = nameSet(c.authorDeny);
      record[CAMPAIGN_NEGATIVES] = negatives;
      record[CAMPAIGN_NEGATIVES_END] = negativeAtoms.length;
      negativeAtoms.slice(negatives, negatives + INLINE_NEGATIVES).forEach((atom, i) => {
        record[CAMPAIGN_INLINE_NEGATIVES + i] = atom;
      });
      campaignRecords.push(...record);
      minScore.push(c.minScore ?? 0);
    },

    build(): BuiltMatcher {
      // Triggers are chosen once every rule is known, so shared words are counted fully.
      const atomCount = atomIds.size;
      // Per atom, the rules it triggers and each one's `also` atom, deduplicated.
      const triggers: Map<string, [rule: number, also: number]>[] = Array.from({ length: atomCount }, () => new Map());
      const cost = (atom: number) => atomFrequency[atom]! * atomUsage[atom]!;
      ruleCode.forEach((start, ruleIndex) => {
        for (const { atom, also } of requiredTriggers(code, start, cost).triggers ?? []) {
          triggers[atom]!.set(`${ruleIndex} ${also}`, [ruleIndex, also]);
        }
      });
      const triggerStart = new Int32Array(atomCount + 1);
      for (let a = 0; a < atomCount; a++) triggerStart[a + 1] = triggerStart[a]! + triggers[a]!.size;
      if (triggerStart[atomCount]! >= ENTRY_SPACE || ruleCampaign.length * ENTRY_SPACE >= Number.MAX_SAFE_INTEGER) {
        throw new Error(`too many rules to compile in one matcher (${ruleCampaign.length} rules)`);
      }
      const triggerEntries = new Int32Array(triggerStart[atomCount]! * TRIGGER_STRIDE);
      let entry = 0;
      for (const perAtom of triggers) {
        for (const [rule, also] of perAtom.values()) {
          const terms = exactTerms(code, ruleCode[rule]!);
          // An exact rule needs no code: found trigger and `also` make it true.
          const codeStart = terms === null ? ruleCode[rule]! : -1;
          triggerEntries.set([rule, ruleCampaign[rule]!, also, codeStart, terms?.[0] ?? -1, terms?.[1] ?? -1], entry);
          entry += TRIGGER_STRIDE;
        }
      }
      const trie = trieBuilder.build(vocabulary.symbolCount());
      const match = createMatchFunction({
        lookup: vocabulary.build(trie.rootStep),
        trie,
        atomCount,
        triggerStart,
        triggerEntries,
        code: Int32Array.from(code),
        ruleCount: ruleCampaign.length,
        campaignIds,
        negativeAtoms: Int32Array.from(negativeAtoms),
        nameSets,
        campaigns: Int32Array.from(campaignRecords),
        minScore: Float64Array.from(minScore),
        termSources,
        names,
      });
      return {
        version,
        stats: { campaigns: campaignIds.length, rules: ruleCampaign.length, atoms: atomCount, invalid },
        match,
      };
    },
  };
}

/**
 * A trigger: the rule can only be true when `atom` is found and, unless `also` is -1, the
 * atom `also` is found too. Checking `also` (one probe of the small found-atom table) drops
 * most false candidates before their campaign or rule code is read: in `tool recommend*`
 * the rare word triggers and the shared intent word is `also`.
 */
interface Trigger {
  atom: number;
  also: number;
}

/**
 * Triggers of which at least one holds whenever the rule whose code starts at `pc` is true
 * (null when there is no such set; the parser refuses those rules), and where the node's
 * code ends. Mirrors requiredTexts in rule-ast.ts, with a cost per atom: an AND takes the
 * cheapest child's triggers and gives those without an `also` its rarest single-atom child.
 */
function requiredTriggers(code: readonly number[], pc: number, cost: (atom: number) => number): { triggers: Trigger[] | null; end: number } {
  switch (code[pc]) {
    case OP_TEXT:
      return { triggers: [{ atom: code[pc + 1]!, also: -1 }], end: pc + 4 };
    case OP_NOT:
      return { triggers: null, end: requiredTriggers(code, pc + 1, cost).end };
    case OP_AND: {
      const children: Trigger[][] = [];
      let at = pc + 3;
      for (let i = 0; i < code[pc + 1]!; i++) {
        const r = requiredTriggers(code, at, cost);
        at = r.end;
        if (r.triggers !== null) children.push(r.triggers);
      }
      const total = (ts: readonly Trigger[]) => ts.reduce((sum, t) => sum + cost(t.atom), 0);
      let best = -1;
      for (let i = 0; i < children.length; i++) if (best === -1 || total(children[i]!) < total(children[best]!)) best = i;
      if (best === -1) return { triggers: null, end: at };
      let also = -1;
      for (let i = 0; i < children.length; i++) {
        const only = children[i]!.length === 1 ? children[i]![0]!.atom : -1;
        if (i !== best && only !== -1 && (also === -1 || cost(only) < cost(also))) also = only;
      }
      return { triggers: children[best]!.map((t) => (t.also === -1 ? { atom: t.atom, also } : t)), end: at };
    }
    case OP_OR: {
      let all: Trigger[] | null = [];
      let at = pc + 2;
      for (let i = 0; i < code[pc + 1]!; i++) {
        const r = requiredTriggers(code, at, cost);
        at = r.end;
        if (r.triggers === null) all = null;
        else all?.push(...r.triggers);
      }
      return { triggers: all, end: at };
    }
    default:
      // Filters: type, subreddit, author.
      return { triggers: null, end: pc + 2 };
  }
}

/**
 * The term ids of a rule that is true exactly when its triggers say so, in the order the
 * evaluator would collect them, or null. Two shapes, the commonest rules people write: a
 * term or phrase in any field (`"crm software"`), and two of them (`crm recommend*`),
 * whose trigger is one and `also` the other.
 */
function exactTerms(code: readonly number[], pc: number): [number] | [number, number] | null {
  const anyFieldText = (at: number) => code[at] === OP_TEXT && code[at + 2] === (IN_TITLE | IN_BODY);
  if (anyFieldText(pc)) return [code[pc + 3]!];
  if (code[pc] === OP_AND && code[pc + 1] === 2 && anyFieldText(pc + 3) && anyFieldText(pc + 7)) return [code[pc + 6]!, code[pc + 10]!];
  return null;
}

/** All campaigns' rules as one automaton plus an exact check of each candidate campaign. */
export function compileMatcher(campaigns: readonly MatcherCampaign[], version: string): BuiltMatcher {
  const builder = createMatcherBuilder(version);
  for (const c of campaigns) builder.add(c);
  return builder.build();
}

