import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createTokenSpans, foldedText, foldText, itemTokens, normalizeName, scanRawText, scanTokens, TOKEN_PATTERN, textTokens, tokenCheck, tokenize } from './normalize.js';
import { checkFinish, checkHash, hashRange } from './token-hash.js';

describe('textTokens', () => {
  it.each([
    ['I said it', ['i', 'said', 'it']],
    ['AI tools', ['ai', 'tools']],
    ['I love C++ and C#!', ['i', 'love', 'c++', 'and', 'c#']],
    ['Built with Node.js, ASP.NET and .NET.', ['built', 'with', 'node.js', 'asp.net', 'and', '.net']],
    ['notepad++ rocks', ['notepad++', 'rocks']],
    ['1+1=2 and a+b', ['1', '1', '2', 'and', 'a', 'b']],
    ['#hashtag c#7', ['hashtag', 'c', '7']],
    ['end...net', ['end', 'net']],
    ["don’t e-mail", ['don', 't', 'e', 'mail']],
    ['Crème Brûlée Ｃａｆé', ['creme', 'brulee', 'cafe']],
    ['ﬁle Straße Łódź', ['file', 'strasse', 'lodz']],
    ['см. Привет мир', ['см', 'привет', 'мир']],
    ['Try [Acme CRM](https://acme.example/crm?ref=1) today', ['try', 'acme', 'crm', 'today']],
    ['see https://www.pcpartpicker.com/list/abc for parts', ['see', 'pcpartpicker', 'com', 'list', 'abc', 'for', 'parts']],
    ['WWW.Acme.io and [docs](https://acme.io/docs)', ['acme', 'io', 'and', 'docs']],
    ['Tom &amp; Jerry', ['tom', 'jerry']],
  ])('when the text is %j, then the tokens are %j', (text, tokens) => {
    expect(textTokens(text)).toEqual(tokens);
  });

  it('when AI is searched, then said does not contain it as a token', () => {
    expect(textTokens('she said so')).not.toContain('ai');
  });
});

describe('tokenize', () => {
  it('when given any text, then the scanner agrees with the documented token pattern', () => {
    const pieces = fc.constantFrom('a', 'Z', '9', '.', '+', '#', ' ', '-', "'", 'é', '\u0301', 'ж', '😀', '𝐀', '_', '\n');
    // ASCII-only texts take the fast scanner, any other the general one: both are drawn.
    const ascii = fc.constantFrom('a', 'Z', '9', '.', '+', '#', ' ', '-', "'", '_', '\n');
    const joined = (p: fc.Arbitrary<string>) => fc.array(p, { maxLength: 20 }).map((xs) => xs.join(''));
    fc.assert(
      fc.property(fc.oneof(fc.string(), joined(pieces), joined(ascii)), (s) => {
        expect(tokenize(s)).toEqual(s.match(TOKEN_PATTERN) ?? []);
      }),
      { numRuns: 2000 },
    );
  });
});

const asciiLowerCase = (s: string) => s.replace(/[A-Z]/g, (c) => c.toLowerCase());

describe('scanTokens', () => {
  it('when given any text, then each character of a token comes with the hash of the token up to it, and each token with its check hash, capitals as lower case', () => {
    const seed = 0x5eed;
    const spans = createTokenSpans(1, seed);
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: 'binary' })), (s) => {
        scanTokens(s, spans);
        for (let k = 0; k < spans.count; k++) {
          const start = spans.starts[k]!;
          const end = spans.ends[k]!;
          for (let i = start; i < end; i++) {
            expect(spans.running[i]).toBe(hashRange(s, start, i + 1));
            expect(checkFinish(spans.runningChecks[i]!, i + 1 - start)).toBe(checkHash(s, start, i + 1, seed));
          }
          expect(tokenCheck(spans, k)).toBe(checkHash(s, start, end, seed));
        }
      }),
      { numRuns: 1000 },
    );
  });
});

// Pieces of Reddit markdown that the raw scanner must read as foldedText would fold them.
const REDDIT_PIECES = [
  ...['&amp;', '&gt;', '&lt;', '&quot;', '&#39;', '&nbsp;', '&', 'amp;', '&amp;amp;', '&#35;', 'AT&amp;T'],
  ...['C++', 'c#', '.NET', 'Node.js', 'Asp.Net', 'www.', 'WWW.Site.com', 'https://x.io/a-b', '://', '](', '[Best CRM](https://crm.io)'],
  ...['[', ']', '(', ')', '"', ' "t"', '/', '_', 'http://', 'HTTPS://', 'Www.', 'www.x.io/a_b?c=1&d', '[x](y "z")'],
  ...[' ', '\n', '.', '+', '#', ';', '-', "'", 'Ab', 'CRM', 'x', '9', 'é', 'Ｃ', 'ß'],
  // Beyond ASCII: separators that are read in place, and characters that need folding.
  ...['’', '“', '—', '•', '€', '\u00a0', '\u200d', '😀', '…', '™', '½', '¨', '\u0301', '\ufe0f', 'ｃ', '\ud83d'],
];

describe('scanRawText', () => {
  it('when given raw Reddit text, then it finds the tokens and hashes that folding it first would', () => {
    const spans = createTokenSpans(1, 0x5eed);
    const folded = createTokenSpans(1, 0x5eed);
    const text = fc.oneof(
      fc.string(),
      fc.string({ unit: 'binary' }),
      fc.array(fc.constantFrom(...REDDIT_PIECES), { maxLength: 20 }).map((xs) => xs.join('')),
    );
    fc.assert(
      fc.property(text, (raw) => {
        const s = scanRawText(raw, spans);
        const f = foldedText(raw);
        scanTokens(f, folded);
        const tokens = (x: string, sp: typeof spans) => Array.from({ length: sp.count }, (_, k) => asciiLowerCase(x.slice(sp.starts[k], sp.ends[k])));
        expect(tokens(s, spans)).toEqual(tokens(f, folded));
        const ends = (sp: typeof spans) => Array.from({ length: sp.count }, (_, k) => sp.running[sp.ends[k]! - 1]);
        expect(ends(spans)).toEqual(ends(folded));
        const checks = (sp: typeof spans) => Array.from({ length: sp.count }, (_, k) => tokenCheck(sp, k));
        expect(checks(spans)).toEqual(checks(folded));
        const runningChecks = (sp: typeof spans) => Array.from({ length: sp.count }, (_, k) => Array.from(sp.runningChecks.subarray(sp.starts[k], sp.ends[k])));
        expect(runningChecks(spans)).toEqual(runningChecks(folded));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('foldText', () => {
  it('when text is fullwidth, accented or upper case, then it folds to plain lower case', () => {
    expect(foldText('ＣＲＭ Éclair')).toBe('crm eclair');
  });
});

describe('itemTokens', () => {
  it("when the item is a comment, then its thread's title is not searched", () => {
    expect(itemTokens({ kind: 'comment', title: 'Best CRM?', body: 'try this' })).toEqual({ title: [], body: ['try', 'this'] });
    expect(itemTokens({ kind: 'post', title: 'Best CRM?', body: '' })).toEqual({ title: ['best', 'crm'], body: [] });
  });
});

describe('normalizeName', () => {
  it('when names carry r/ or u/ or capitals, then they compare equal', () => {
    expect(normalizeName('/r/SaaS')).toBe('saas');
    expect(normalizeName('u/AutoModerator')).toBe('automoderator');
  });
});
