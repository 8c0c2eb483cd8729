import { CampaignFlag, CampaignRecord, CandidateKey, createMatchFunction, TriggerEntry } from './matcher-runtime.js';
import type { CompiledMatcher, MatcherCampaign } from './matcher.types.js';
import { IN_BODY, IN_TITLE } from './found-atoms.js';
import { intern } from './intern.js';
import { normalizeName } from './normalize.js';
import { estimatedFrequency, type RuleNode, type TextNode, wordsKey } from './rule-ast.js';
import { parseKeyword, parseRule, RuleSyntaxError } from './rule-parser.js';
import { emitRule, Op, type ProgramContext } from './rule-program.js';
import { createPhraseTableBuilder } from './phrase-table.js';
import { createTrieBuilder } from './token-trie.js';
import { createVocabularyBuilder } from './token-vocabulary.js';

/*
 * Two stages. The vocabulary with its trie, and the phrase table, find in one pass over the
 * item's tokens every term and phrase of every campaign that occurs (each distinct one is
 * an "atom", shared between campaigns).
 * Each rule registers triggers, atoms of which at least one must occur for it to be true,
 * each with cheap checks on other atoms (see Trigger), so only rules triggered by a found
 * atom whose checks pass are considered (any other rule is false). Most rules are decided
 * by those checks alone; the others are evaluated exactly against the set of found atoms.
 * Either way, only after their campaign's filters. For an AND, the child that looks
 * rarest triggers: short words, wildcards and words many rules share (intent words such
 * as "best" or "recommend*") look common.
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
  const phrases = createPhraseTableBuilder();
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
  // CampaignRecord.STRIDE numbers per campaign, at the CampaignRecord offsets.
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
      // Phrases of exact words are found by token hashes; words and wildcards by symbols.
      if (node.words.length >= 2 && node.words.every((w) => !w.prefix)) {
        phrases.add(
          node.words.map((w) => w.token),
          id,
        );
      } else {
        trieBuilder.add(
          node.words.map((w) => vocabulary.symbolFor(w)),
          id,
        );
      }
    }
    return id;
  }

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
      const record = new Array<number>(CampaignRecord.STRIDE).fill(-1);
      record[CampaignRecord.FLAGS] = (c.includeNsfw ? CampaignFlag.INCLUDE_NSFW : 0) | (c.minScore !== null ? CampaignFlag.HAS_MIN_SCORE : 0);
      record[CampaignRecord.ALLOW] = nameSet(c.subreddits);
      record[CampaignRecord.DENY] = nameSet(c.subredditDeny);
      record[CampaignRecord.AUTHOR_DENY] = nameSet(c.authorDeny);
      record[CampaignRecord.NEGATIVES] = negatives;
      record[CampaignRecord.NEGATIVES_END] = negativeAtoms.length;
      negativeAtoms.slice(negatives, negatives + CampaignRecord.INLINE_COUNT).forEach((atom, i) => {
        record[CampaignRecord.INLINE_NEGATIVES + i] = atom;
      });
      campaignRecords.push(...record);
      minScore.push(c.minScore ?? 0);
    },

    build(): BuiltMatcher {
      // Triggers are chosen once every rule is known, so shared words are counted fully.
      const atomCount = atomIds.size;
      // Per atom, the rules it triggers with their checks; a rule's own triggers deduplicated.
      const triggers: [rule: number, trigger: Trigger][][] = Array.from({ length: atomCount }, () => []);
      const cost = (atom: number) => atomFrequency[atom]! * atomUsage[atom]!;
      const same = (a: Trigger, b: Trigger) => a.atom === b.atom && a.also === b.also && a.alsoOr === b.alsoOr && a.veto === b.veto;
      ruleCode.forEach((start, ruleIndex) => {
        const own = requiredTriggers(code, start, cost).triggers ?? [];
        own.forEach((trigger, i) => {
          if (own.findIndex((other) => same(other, trigger)) === i) triggers[trigger.atom]!.push([ruleIndex, trigger]);
        });
      });
      const triggerStart = new Int32Array(atomCount + 1);
      for (let a = 0; a < atomCount; a++) triggerStart[a + 1] = triggerStart[a]! + triggers[a]!.length;
      if (triggerStart[atomCount]! >= CandidateKey.ENTRY_SPACE || ruleCampaign.length * CandidateKey.ENTRY_SPACE >= Number.MAX_SAFE_INTEGER) {
        throw new Error(`too many rules to compile in one matcher (${ruleCampaign.length} rules)`);
      }
      const triggerEntries = new Int32Array(triggerStart[atomCount]! * TriggerEntry.STRIDE);
      let entry = 0;
      for (const perAtom of triggers) {
        for (const [rule, trigger] of perAtom) {
          const terms = exactTerms(code, ruleCode[rule]!, trigger);
          // A rule its trigger decides needs no code.
          const codeStart = terms === null ? ruleCode[rule]! : -1;
          const { also, alsoOr, veto } = trigger;
          triggerEntries.set([rule, ruleCampaign[rule]!, also, alsoOr, veto, codeStart, terms?.[0] ?? -1, terms?.[1] ?? -1], entry);
          entry += TriggerEntry.STRIDE;
        }
      }
      // The seed of the second hash that tokens are compared by, drawn at every build so
      // that no text can be written to collide (token-vocabulary.ts).
      const seed = crypto.getRandomValues(new Int32Array(1))[0]!;
      const placed = vocabulary.place(seed);
      const { trie, rootStep } = trieBuilder.build(placed.symbolOf);
      const match = createMatchFunction({
        lookup: placed.freeze(rootStep),
        trie,
        phrases: phrases.build(seed),
        seed,
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
 * A trigger: the rule can only be true when `atom` is found; when `also` is set (not -1),
 * `also` or `alsoOr` must be found too; when `veto` is set, it must not be found. These
 * checks (reads of the found atoms, found-atoms.ts) drop most false candidates before their
 * campaign or rule code is read: in `tool recommend*` the rare word triggers and the
 * shared intent word is `also`; in `tool -free`, `free` is the veto.
 */
interface Trigger {
  atom: number;
  also: number;
  alsoOr: number;
  veto: number;
}

const isAnyFieldText = (code: readonly number[], pc: number) => code[pc] === Op.TEXT && code[pc + 2] === (IN_TITLE | IN_BODY);

/**
 * Triggers of which at least one holds whenever the rule whose code starts at `pc` is true
 * (null when there is no such set; the parser refuses those rules), and where the node's
 * code ends. Null exactly where hasRequiredText in rule-ast.ts is false; an AND takes the
 * cheapest child's triggers, gives those without an `also` the rarest other child that
 * needs one of at most two atoms, and those without a veto a `-term` child.
 */
function requiredTriggers(code: readonly number[], pc: number, cost: (atom: number) => number): { triggers: Trigger[] | null; end: number } {
  switch (code[pc]) {
    case Op.TEXT:
      return { triggers: [{ atom: code[pc + 1]!, also: -1, alsoOr: -1, veto: -1 }], end: pc + 4 };
    case Op.NOT:
      return { triggers: null, end: requiredTriggers(code, pc + 1, cost).end };
    case Op.AND: {
      const children: Trigger[][] = [];
      let veto = -1;
      let at = pc + 3;
      for (let i = 0; i < code[pc + 1]!; i++) {
        // NOT of a term in any field: found anywhere, the AND is false.
        if (veto === -1 && code[at] === Op.NOT && isAnyFieldText(code, at + 1)) veto = code[at + 2]!;
        const r = requiredTriggers(code, at, cost);
        at = r.end;
        if (r.triggers !== null) children.push(r.triggers);
      }
      const total = (ts: readonly Trigger[]) => ts.reduce((sum, t) => sum + cost(t.atom), 0);
      let best = -1;
      for (let i = 0; i < children.length; i++) if (best === -1 || total(children[i]!) < total(children[best]!)) best = i;
      if (best === -1) return { triggers: null, end: at };
      let also: Trigger[] | null = null;
      for (let i = 0; i < children.length; i++) {
        const other = children[i]!;
        if (i !== best && other.length <= 2 && (also === null || total(other) < total(also))) also = other;
      }
      const triggers = children[best]!.map((t) => ({
        atom: t.atom,
        also: t.also !== -1 ? t.also : (also?.[0]?.atom ?? -1),
        alsoOr: t.also !== -1 ? t.alsoOr : (also?.[1]?.atom ?? -1),
        veto: t.veto !== -1 ? t.veto : veto,
      }));
      return { triggers, end: at };
    }
    case Op.OR: {
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
 * The term ids a rule matched, in the order the evaluator would collect them, when the
 * trigger alone decides the rule; otherwise null. That holds for the commonest rules
 * people write: a term or phrase in any field (`"crm software"`), or an AND of one or two
 * of them and at most one `-term` (`crm recommend*`, `crm -free`), whose trigger is one
 * term, `also` the other and `veto` the excluded one.
 */
function exactTerms(code: readonly number[], pc: number, trigger: Trigger): number[] | null {
  if (isAnyFieldText(code, pc)) return trigger.also === -1 && trigger.veto === -1 ? [code[pc + 3]!] : null;
  if (code[pc] !== Op.AND || trigger.alsoOr !== -1) return null;
  const positive: number[] = [];
  const terms: number[] = [];
  let negative = -1;
  let at = pc + 3;
  for (let i = 0; i < code[pc + 1]!; i++) {
    if (isAnyFieldText(code, at)) {
      positive.push(code[at + 1]!);
      terms.push(code[at + 3]!);
      at += 4;
    } else if (code[at] === Op.NOT && isAnyFieldText(code, at + 1) && negative === -1) {
      negative = code[at + 2]!;
      at += 5;
    } else {
      return null;
    }
  }
  const other = positive.length === 2 ? positive[positive.indexOf(trigger.atom) === 0 ? 1 : 0]! : -1;
  const decided =
    positive.length >= 1 && positive.length <= 2 && positive.includes(trigger.atom) && trigger.also === other && trigger.veto === negative;
  return decided ? terms : null;
}

/** All campaigns' rules as one automaton plus an exact check of each candidate campaign. */
export function compileMatcher(campaigns: readonly MatcherCampaign[], version: string): BuiltMatcher {
  const builder = createMatcherBuilder(version);
  for (const c of campaigns) builder.add(c);
  return builder.build();
}

