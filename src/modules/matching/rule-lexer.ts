import { ValidationError } from '../../platform/errors.js';

/** A rule the user must fix; `position` counts characters from 1, as the message does. */
export class RuleSyntaxError extends ValidationError {
  override name = 'RuleSyntaxError';
  constructor(
    message: string,
    readonly rule: string,
    readonly position: number,
  ) {
    super(message, { position, rule }, 'invalid_rule');
  }
}

export const TEXT_FIELDS = ['title', 'body'] as const;
export const FILTER_FIELDS = ['subreddit', 'author', 'type'] as const;
const FIELDS: readonly string[] = [...TEXT_FIELDS, ...FILTER_FIELDS];

export type Lexeme =
  | { t: 'lparen'; pos: number }
  | { t: 'rparen'; pos: number }
  | { t: 'phrase'; text: string; pos: number }
  | { t: 'word'; text: string; pos: number }
  | { t: 'or' | 'and' | 'not' | 'minus'; pos: number }
  /** `title:` and friends; the value follows as the next lexeme, with no space between. */
  | { t: 'field'; name: string; pos: number };

const SPACE = /\s/;
const FIELD_RE = /^([A-Za-z]+):(.*)$/s;

/** Quotes typed on phones and pasted from documents are curly; the same length as ". */
function straightenQuotes(rule: string): string {
  return rule.replace(/[\u201c\u201d\u201e\u201f\u00ab\u00bb]/g, '"');
}

export function lexRule(raw: string): Lexeme[] {
  const s = straightenQuotes(raw);
  const fail = (message: string, offset: number) => new RuleSyntaxError(message, raw, offset + 1);
  const out: Lexeme[] = [];
  const n = s.length;
  let i = 0;
  while (i < n) {
    const c = s[i]!;
    if (SPACE.test(c)) {
      i++;
    } else if (c === '(') {
      out.push({ t: 'lparen', pos: i });
      i++;
    } else if (c === ')') {
      out.push({ t: 'rparen', pos: i });
      i++;
    } else if (c === '"') {
      const close = s.indexOf('"', i + 1);
      if (close < 0) {
        throw fail(`Missing closing quote after position ${i + 1}: add " where the phrase ends.`, i);
      }
      out.push({ t: 'phrase', text: s.slice(i + 1, close), pos: i });
      i = close + 1;
    } else if (c === '-' && i + 1 < n && !SPACE.test(s[i + 1]!) && s[i + 1] !== ')' && s[i + 1] !== '-') {
      out.push({ t: 'minus', pos: i });
      i++;
    } else {
      let j = i;
      while (j < n && !SPACE.test(s[j]!) && s[j] !== '(' && s[j] !== ')' && s[j] !== '"') j++;
      const word = s.slice(i, j);
      if (word === 'OR' || word === 'AND' || word === 'NOT') {
        out.push({ t: word === 'OR' ? 'or' : word === 'AND' ? 'and' : 'not', pos: i });
        i = j;
        continue;
      }
      const m = FIELD_RE.exec(word);
      // "http://..." pasted into a rule is a link, not a field.
      if (m && !m[2]!.startsWith('//')) {
        const name = m[1]!.toLowerCase();
        if (!FIELDS.includes(name)) {
          throw fail(
            `Unknown field "${m[1]}:" at position ${i + 1}. The fields are title:, body:, subreddit:, author: and type:. ` +
              `To search for the text itself, put it in quotes.`,
            i,
          );
        }
        out.push({ t: 'field', name, pos: i });
        const rest = m[2]!;
        if (rest !== '') {
          out.push({ t: 'word', text: rest, pos: i + name.length + 1 });
        } else if (j >= n || (s[j] !== '"' && s[j] !== '(')) {
          throw fail(`Nothing after ${name}: at position ${i + 1}: write the value right after the colon, e.g. ${example(name)}.`, i);
        }
        i = j;
        continue;
      }
      out.push({ t: 'word', text: word, pos: i });
      i = j;
    }
  }
  return out;
}

export function example(field: string): string {
  switch (field) {
    case 'title':
      return 'title:pricing';
    case 'body':
      return 'body:"looking for"';
    case 'subreddit':
      return 'subreddit:saas';
    case 'author':
      return 'author:automoderator';
    default:
      return 'type:post';
  }
}
