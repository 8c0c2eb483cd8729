import { foldText, normalizeName, tokenize } from './normalize.js';
import type { FilterField, RuleNode, TextField, TextNode, WordPattern } from './rule-ast.js';
import { hasRequiredText } from './rule-ast.js';
import { example, type Lexeme, lexRule, RuleSyntaxError, TEXT_FIELDS } from './rule-lexer.js';

export { RuleSyntaxError };

export const MAX_RULE_LENGTH = 500;
const MAX_DEPTH = 20;
const MIN_PREFIX_LENGTH = 3;

/** Parses one rule; throws RuleSyntaxError with a message a non-programmer can act on. */
export function parseRule(rule: string): RuleNode {
  if (rule.length > MAX_RULE_LENGTH) {
    throw new RuleSyntaxError(
      `The rule is too long (${rule.length} characters, at most ${MAX_RULE_LENGTH}): split it into several rules.`,
      rule,
      MAX_RULE_LENGTH + 1,
    );
  }
  const lexemes = lexRule(rule);
  if (lexemes.length === 0) throw new RuleSyntaxError('The rule is empty: type at least one word to look for.', rule, 1);
  const root = new Parser(rule, lexemes).parseRoot();
  if (!hasRequiredText(root)) {
    throw new RuleSyntaxError(
      'This rule would match almost everything: it only excludes words (NOT, -) or filters (subreddit:, author:, type:). ' +
        'Add a word or phrase that must appear, e.g. crm -free.',
      rule,
      1,
    );
  }
  return root;
}

/** A negative keyword is one word or phrase (quotes optional, trailing * allowed). */
export function parseKeyword(keyword: string): TextNode {
  const trimmed = keyword.trim();
  const unquoted = trimmed.length >= 2 && trimmed.startsWith('"') && trimmed.endsWith('"') ? trimmed.slice(1, -1) : trimmed;
  const offset = keyword.indexOf(unquoted);
  const words = wordsOf(unquoted, offset, keyword);
  if (words.length === 0) {
    throw new RuleSyntaxError('This keyword has no letters or digits to look for: remove it or add a word.', keyword, 1);
  }
  return { kind: 'text', field: 'any', words, source: trimmed, start: offset };
}

export interface RuleProblem {
  /** Index of the rule in the list given. */
  index: number;
  rule: string;
  /** 1-based character position the message refers to. */
  position: number;
  message: string;
}

/** Checks every rule; returns one problem per rule that does not parse (empty when all do). */
export function validateRules(rules: readonly string[]): RuleProblem[] {
  return collectProblems(rules, parseRule);
}

/** The same for negative keywords. */
export function validateKeywords(keywords: readonly string[]): RuleProblem[] {
  return collectProblems(keywords, parseKeyword);
}

function collectProblems(list: readonly string[], parse: (s: string) => unknown): RuleProblem[] {
  const problems: RuleProblem[] = [];
  list.forEach((rule, index) => {
    try {
      parse(rule);
    } catch (err) {
      if (!(err instanceof RuleSyntaxError)) throw err;
      problems.push({ index, rule, position: err.position, message: err.message });
    }
  });
  return problems;
}

/**
 * The words of a term or phrase. A trailing `*` on a word makes its last token a prefix;
 * a `*` anywhere else is refused, as are prefixes so short they would match most words.
 */
function wordsOf(text: string, offset: number, rule: string): WordPattern[] {
  const words: WordPattern[] = [];
  for (const m of text.matchAll(/\S+/g)) {
    const chunk = m[0];
    const at = offset + (m.index ?? 0);
    const star = chunk.indexOf('*');
    const wildcard = star >= 0;
    if (wildcard && star !== chunk.length - 1) {
      throw new RuleSyntaxError(
        `The * at position ${at + star + 1} only works at the end of a word, e.g. integrat* for integration and integrate.`,
        rule,
        at + star + 1,
      );
    }
    const tokens = tokenize(foldText(wildcard ? chunk.slice(0, -1) : chunk));
    const last = tokens.at(-1);
    if (wildcard && (last === undefined || last.length < MIN_PREFIX_LENGTH)) {
      throw new RuleSyntaxError(
        `Put at least ${MIN_PREFIX_LENGTH} letters before the * at position ${at + star + 1}: shorter beginnings match too many words.`,
        rule,
        at + star + 1,
      );
    }
    tokens.forEach((token, k) => {
      words.push({ token, prefix: wildcard && k === tokens.length - 1 });
    });
  }
  return words;
}

class Parser {
  private i = 0;
  private depth = 0;

  constructor(
    private readonly rule: string,
    private readonly lx: Lexeme[],
  ) {}

  parseRoot(): RuleNode {
    const node = this.parseAnd('any');
    const extra = this.lx[this.i];
    if (extra) {
      // parseAnd only stops early at a ')' that closes nothing.
      throw this.fail(`There is a ) at position ${extra.pos + 1} without a matching (: remove it.`, extra.pos);
    }
    return node;
  }

  private fail(message: string, offset: number): RuleSyntaxError {
    return new RuleSyntaxError(message, this.rule, offset + 1);
  }

  private peek(): Lexeme | undefined {
    return this.lx[this.i];
  }

  private endsOperand(l: Lexeme | undefined): boolean {
    return l === undefined || l.t === 'rparen' || l.t === 'or' || l.t === 'and';
  }

  private parseAnd(field: TextField): RuleNode {
    const children: RuleNode[] = [];
    for (;;) {
      const l = this.peek();
      if (l === undefined || l.t === 'rparen') break;
      if (l.t === 'or') {
        throw this.fail(`OR at position ${l.pos + 1} needs a word before it: add one or remove OR.`, l.pos);
      }
      if (l.t === 'and') {
        if (children.length === 0) {
          throw this.fail(`AND at position ${l.pos + 1} needs a word before it: add one or remove AND.`, l.pos);
        }
        this.i++;
        if (this.endsOperand(this.peek())) {
          throw this.fail(`Nothing after AND at position ${l.pos + 1}: add a word or remove AND.`, l.pos);
        }
        continue;
      }
      children.push(this.parseOr(field));
    }
    if (children.length === 1) return children[0]!;
    return { kind: 'and', children };
  }

  private parseOr(field: TextField): RuleNode {
    const children = [this.parseUnary(field)];
    for (let l = this.peek(); l?.t === 'or'; l = this.peek()) {
      this.i++;
      if (this.endsOperand(this.peek())) {
        throw this.fail(`Nothing after OR at position ${l.pos + 1}: add a word or remove OR.`, l.pos);
      }
      children.push(this.parseUnary(field));
    }
    return children.length === 1 ? children[0]! : { kind: 'or', children };
  }

  private parseUnary(field: TextField): RuleNode {
    const l = this.peek();
    if (l && (l.t === 'not' || l.t === 'minus')) {
      this.i++;
      if (this.endsOperand(this.peek())) {
        const what = l.t === 'not' ? 'NOT' : '-';
        throw this.fail(
          `Nothing after ${what} at position ${l.pos + 1}: add the word to exclude right after it, or remove ${what}.`,
          l.pos,
        );
      }
      return { kind: 'not', child: this.parseUnary(field) };
    }
    return this.parsePrimary(field);
  }

  private parsePrimary(field: TextField): RuleNode {
    const l = this.lx[this.i++];
    if (l === undefined) throw this.fail('The rule ends too early: add a word.', this.rule.length);
    switch (l.t) {
      case 'lparen':
        return this.parseGroup(l.pos, field);
      case 'phrase':
        return this.text(field, l.text, l.pos + 1, `"${l.text}"`, l.pos, 'phrase');
      case 'word':
        return this.text(field, l.text, l.pos, l.text, l.pos, 'word');
      case 'field':
        return this.parseField(l.name, l.pos, field);
      case 'rparen':
        throw this.fail(`There is a ) at position ${l.pos + 1} without a matching (: remove it.`, l.pos);
      default:
        throw this.fail(`Unexpected ${l.t.toUpperCase()} at position ${l.pos + 1}: add a word before it.`, l.pos);
    }
  }

  private parseGroup(openPos: number, field: TextField): RuleNode {
    if (this.peek()?.t === 'rparen') {
      throw this.fail(`Empty parentheses at position ${openPos + 1}: put words inside or remove them.`, openPos);
    }
    if (++this.depth > MAX_DEPTH) {
      throw this.fail(`Too many nested parentheses at position ${openPos + 1}: simplify the rule.`, openPos);
    }
    const inner = this.parseAnd(field);
    this.depth--;
    if (this.peek()?.t !== 'rparen') {
      throw this.fail(
        `Missing ) for the ( at position ${openPos + 1}: add ) where the group ends.`,
        openPos,
      );
    }
    this.i++;
    return inner;
  }

  private parseField(name: string, pos: number, outer: TextField): RuleNode {
    if (outer !== 'any') {
      throw this.fail(`${name}: at position ${pos + 1} cannot be used inside ${outer}:( ... ): move it outside.`, pos);
    }
    if ((TEXT_FIELDS as readonly string[]).includes(name)) {
      const value = this.peek();
      if (value === undefined || (value.t !== 'word' && value.t !== 'phrase' && value.t !== 'lparen')) {
        throw this.fail(`Nothing after ${name}: at position ${pos + 1}: write the value right after it, e.g. ${example(name)}.`, pos);
      }
      return this.parsePrimary(name as TextField);
    }
    const value = this.lx[this.i++];
    if (value === undefined || (value.t !== 'word' && value.t !== 'phrase')) {
      throw this.fail(`${name}: at position ${pos + 1} takes one value, e.g. ${example(name)}.`, pos);
    }
    return this.filter(name as FilterField, value.text, pos);
  }

  private filter(field: FilterField, raw: string, pos: number): RuleNode {
    const value = normalizeName(raw);
    if (field === 'type') {
      const type = value === 'post' || value === 'posts' ? 'post' : value === 'comment' || value === 'comments' ? 'comment' : null;
      if (type === null) throw this.fail(`type: at position ${pos + 1} must be post or comment, e.g. type:post.`, pos);
      return { kind: 'filter', field, value: type, start: pos };
    }
    if (value === '') throw this.fail(`${field}: at position ${pos + 1} needs a name, e.g. ${example(field)}.`, pos);
    return { kind: 'filter', field, value, start: pos };
  }

  private text(
    field: TextField,
    text: string,
    textOffset: number,
    source: string,
    pos: number,
    what: 'word' | 'phrase',
  ): TextNode {
    const words = wordsOf(text, textOffset, this.rule);
    if (words.length === 0) {
      throw this.fail(
        what === 'phrase'
          ? `The quotes at position ${pos + 1} contain no words: put words between them or remove them.`
          : `"${text}" at position ${pos + 1} has no letters or digits to look for: remove it or put it in quotes with a word.`,
        pos,
      );
    }
    return { kind: 'text', field, words, source, start: pos };
  }
}
