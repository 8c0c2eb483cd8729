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

/**
 * Whether the rule needs at least one of its words or phrases to be present to be true.
 * The compiled matcher only looks at a rule when one of those was found, so a rule without
 * any (only exclusions or filters) would have to be checked against every item: the parser
 * refuses it.
 */
export function hasRequiredText(node: RuleNode): boolean {
  switch (node.kind) {
    case 'text':
      return true;
    case 'filter':
    case 'not':
      return false;
    case 'and':
      return node.children.some(hasRequiredText);
    case 'or':
      return node.children.every(hasRequiredText);
  }
}
