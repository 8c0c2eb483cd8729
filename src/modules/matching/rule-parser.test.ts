import { describe, expect, it } from 'vitest';
import type { RuleNode } from './rule-ast.js';
import { parseKeyword, parseRule, RuleSyntaxError, validateRules } from './rule-parser.js';

/** A compact rendering so expectations read like the rule language. */
function show(n: RuleNode): string {
  switch (n.kind) {
    case 'text': {
      const words = n.words.map((w) => (w.prefix ? `${w.token}*` : w.token)).join(' ');
      return `${n.field === 'any' ? '' : `${n.field}:`}[${words}]`;
    }
    case 'filter':
      return `${n.field}=${n.value}`;
    case 'not':
      return `NOT(${show(n.child)})`;
    case 'and':
    case 'or':
      return `${n.kind.toUpperCase()}(${n.children.map(show).join(', ')})`;
  }
}

function errorOf(rule: string): RuleSyntaxError {
  try {
    parseRule(rule);
  } catch (err) {
    if (err instanceof RuleSyntaxError) return err;
    throw err;
  }
  throw new Error(`expected "${rule}" to be refused`);
}

describe('parseRule', () => {
  it.each([
    ['crm', '[crm]'],
    ['CRM Software', 'AND([crm], [software])'],
    ['"best CRM for startups"', '[best crm for startups]'],
    ['crm OR erp', 'OR([crm], [erp])'],
    ['best crm OR erp', 'AND([best], OR([crm], [erp]))'],
    ['crm AND erp', 'AND([crm], [erp])'],
    ['crm -free', 'AND([crm], NOT([free]))'],
    ['crm NOT "open source"', 'AND([crm], NOT([open source]))'],
    ['(crm OR erp) (recommend* OR "looking for")', 'AND(OR([crm], [erp]), OR([recommend*], [looking for]))'],
    ['integrat*', '[integrat*]'],
    ['"crm integrat*"', '[crm integrat*]'],
    ['title:pricing', 'title:[pricing]'],
    ['title:"price list" body:cheap*', 'AND(title:[price list], body:[cheap*])'],
    ['title:(crm OR erp)', 'OR(title:[crm], title:[erp])'],
    ['crm subreddit:r/SaaS -author:AutoModerator type:post', 'AND([crm], subreddit=saas, NOT(author=automoderator), type=post)'],
    ['c++ node.js .NET c#', 'AND([c++], [node.js], [.net], [c#])'],
    ['e-mail', '[e mail]'],
    ['Café', '[cafe]'],
    ['\u201cbest crm\u201d', '[best crm]'],
    ['crm http://example.com', 'AND([crm], [http example.com])'],
  ])('when the rule is %s, then it parses to %s', (rule, expected) => {
    expect(show(parseRule(rule))).toBe(expected);
  });

  it('when a term is a phrase, then its source is kept as written for the reasons shown to users', () => {
    const node = parseRule('title:"Best CRM"');
    expect(node).toMatchObject({ kind: 'text', source: '"Best CRM"', field: 'title' });
  });

  it.each([
    ['crm "best tool', 5, 'Missing closing quote after position 5'],
    ['crm OR', 5, 'Nothing after OR at position 5: add a word or remove OR'],
    ['crm OR ) erp', 5, 'Nothing after OR at position 5'],
    ['OR crm', 1, 'OR at position 1 needs a word before it'],
    ['crm AND', 5, 'Nothing after AND at position 5'],
    ['(crm OR erp', 1, 'Missing ) for the ( at position 1'],
    ['crm) erp', 4, 'There is a ) at position 4 without a matching ('],
    ['crm ()', 5, 'Empty parentheses at position 5'],
    ['crm ""', 5, 'The quotes at position 5 contain no words'],
    ['crm -', 5, 'has no letters or digits'],
    ['crm NOT', 5, 'Nothing after NOT at position 5'],
    ['-crm', 1, 'would match almost everything'],
    ['subreddit:saas', 1, 'would match almost everything'],
    ['crm OR -erp', 1, 'would match almost everything'],
    ['crm foo:bar', 5, 'Unknown field "foo:" at position 5'],
    ['title: crm', 1, 'Nothing after title: at position 1'],
    ['type:thread crm', 1, 'type: at position 1 must be post or comment'],
    ['title:(body:crm)', 8, 'cannot be used inside title:'],
    ['in*', 3, 'Put at least 3 letters before the * at position 3'],
    ['*crm', 1, 'only works at the end of a word'],
    ['cr*m', 3, 'only works at the end of a word'],
    ['', 1, 'The rule is empty'],
    ['   ', 1, 'The rule is empty'],
  ])('when the rule is %j, then it is refused at position %i with a message to act on', (rule, position, message) => {
    const err = errorOf(rule);
    expect(err.position).toBe(position);
    expect(err.message).toContain(message);
    expect(err.code).toBe('invalid_rule');
    expect(err.status).toBe(400);
    expect(err.details).toEqual({ position, rule });
  });

  it('when a rule is longer than the limit, then it is refused before parsing', () => {
    expect(errorOf(`crm ${'x '.repeat(300)}`).message).toContain('too long');
  });

  it('when parentheses nest too deeply, then the rule is refused instead of exhausting the stack', () => {
    expect(errorOf(`${'('.repeat(30)}crm${')'.repeat(30)}`).message).toContain('Too many nested parentheses');
  });
});

describe('validateRules', () => {
  it('when some rules are wrong, then it reports each with its index and leaves good ones alone', () => {
    const problems = validateRules(['crm', 'crm OR', '"open', 'best (crm OR erp)']);
    expect(problems.map((p) => [p.index, p.position])).toEqual([
      [1, 5],
      [2, 1],
    ]);
    expect(problems[0]!.message).toBe('Nothing after OR at position 5: add a word or remove OR.');
  });

  it('when every rule is fine, then there are no problems', () => {
    expect(validateRules(['crm', 'title:"price list" -free'])).toEqual([]);
  });
});

describe('parseKeyword', () => {
  it('when a negative keyword has several words, then they form one phrase', () => {
    expect(parseKeyword('Open Source').words.map((w) => w.token)).toEqual(['open', 'source']);
    expect(parseKeyword('"free trial"').words.map((w) => w.token)).toEqual(['free', 'trial']);
  });

  it('when a negative keyword has no letters, then it is refused', () => {
    expect(() => parseKeyword('!!!')).toThrow(RuleSyntaxError);
  });
});

describe('docs/rules.md', () => {
  it('when the documented rules are parsed, then examples parse and the refused ones give the documented message', async () => {
    const { readFile } = await import('node:fs/promises');
    const doc = await readFile(new URL('../../../docs/rules.md', import.meta.url), 'utf8');
    const rows = [...doc.matchAll(/^\| (.+?) \| (.+?) \|$/gm)].map((m) => [m[1]!, m[2]!] as const);
    const code = (cell: string) => /^`([^`]+)`$/.exec(cell.trim())?.[1];
    let parsed = 0;
    let refused = 0;
    for (const [left, right] of rows) {
      const leftRule = code(left);
      if (leftRule !== undefined && /position \d|almost everything/.test(right)) {
        expect(errorOf(leftRule).message).toBe(right.trim());
        refused++;
        continue;
      }
      const rule = leftRule ?? code(right);
      if (rule === undefined || rule.endsWith(':')) continue;
      expect(() => parseRule(rule), rule).not.toThrow();
      parsed++;
    }
    expect(refused).toBeGreaterThanOrEqual(5);
    expect(parsed).toBeGreaterThan(15);
  });
});
