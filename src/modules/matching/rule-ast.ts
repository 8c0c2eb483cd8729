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

/**
 * Text nodes of which at least one must be present whenever the rule is true, or null when
 * no such set exists (the rule could be true on text that contains none of its words).
 * The compiled matcher only evaluates a rule when one of these was found.
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
      for (const c of node.children) {
        const r = requiredTexts(c);
        if (r && (best === null || r.length < best.length)) best = r;
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
