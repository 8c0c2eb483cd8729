/** The parsed form of a rule (see docs/rules.md). Positions are 0-based offsets into the rule. */

export type TextField = 'any' | 'title' | 'body';
export type FilterField = 'subreddit' | 'author' | 'type';

/** One word of a term or phrase: an exact token, or a prefix when written with a trailing `*`. */
export interface WordPattern {
  token: string;
  prefix: boolean;
}

/** A bare term or a quoted phrase: consecutive tokens in one field. */
export interface TextNode {
  kind: 'text';
  field: TextField;
  words: WordPattern[];
  /** As the user wrote it, without the field prefix: `"best crm"`, `integrat*`. */
  source: string;
  start: number;
}

export interface FilterNode {
  kind: 'filter';
  field: FilterField;
  /** Lower case; for type, 'post' or 'comment'. */
  value: string;
  start: number;
}

export interface AndNode {
  kind: 'and';
  children: RuleNode[];
}

export interface OrNode {
  kind: 'or';
  children: RuleNode[];
}

export interface NotNode {
  kind: 'not';
  child: RuleNode;
}

export type RuleNode = TextNode | FilterNode | AndNode | OrNode | NotNode;

/** A stable key for a word sequence: equal keys match exactly the same token runs. */
export function wordsKey(words: readonly WordPattern[]): string {
  return words.map((w) => (w.prefix ? `${w.token}*` : w.token)).join(' ');
}

/*
 * A rough guess of how often a term occurs, used only to choose which term of an AND
 * triggers the rule: longer words and phrases are rarer, wildcards commoner. A wrong guess
 * costs speed, never correctness.
 */
export function estimatedFrequency(node: Pick<TextNode, 'words'>): number {
  let f = 1;
  for (const w of node.words) f *= 2 ** -Math.min(w.token.length, 12) * (w.prefix ? 16 : 1);
  return f;
}

function setFrequency(texts: readonly TextNode[]): number {
  let f = 0;
  for (const t of texts) f += estimatedFrequency(t);
  return f;
}

/**
 * Text nodes of which at least one must be present whenever the rule is true, or null when
 * no such set exists (the rule could be true on text that contains none of its words).
 * The compiled matcher only evaluates a rule when one of these was found; for an AND it
 * picks the child set that looks rarest.
 */
export function requiredTexts(node: RuleNode): TextNode[] | null {
  switch (node.kind) {
    case 'text':
      return [node];
    case 'filter':
    case 'not':
      return null;
    case 'and': {
      let best: TextNode[] | null = null;
      let bestFrequency = Number.POSITIVE_INFINITY;
      for (const c of node.children) {
        const r = requiredTexts(c);
        if (r === null) continue;
        const f = setFrequency(r);
        if (f < bestFrequency) {
          best = r;
          bestFrequency = f;
        }
      }
      return best;
    }
    case 'or': {
      const all: TextNode[] = [];
      for (const c of node.children) {
        const r = requiredTexts(c);
        if (r === null) return null;
        all.push(...r);
      }
      return all;
    }
  }
}

/** Every text node of the tree, in reading order. */
export function allTexts(node: RuleNode, out: TextNode[] = []): TextNode[] {
  switch (node.kind) {
    case 'text':
      out.push(node);
      break;
    case 'filter':
      break;
    case 'not':
      allTexts(node.child, out);
      break;
    case 'and':
    case 'or':
      for (const c of node.children) allTexts(c, out);
      break;
  }
  return out;
}
