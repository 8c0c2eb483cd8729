import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileMatcher } from '../src/modules/matching/compile-matcher.js';
import type { MatchableItem, MatcherCampaign } from '../src/modules/matching/matcher.types.js';
import { textTokens } from '../src/modules/matching/normalize.js';
import { loadCassetteItems, loadTopPosts } from './matching-fixtures.js';
import { parseCampaigns, referenceMatchParsed } from './matching-reference.js';

// A small vocabulary so random rules and random texts actually meet.
const WORDS = ['crm', 'best', 'tool', 'c++', 'node.js', 'integration', 'integrate', 'email', 'cafe', 'price', 'saas', 'ai', 'said'];
const TEXT_WORDS = [...WORDS, 'Café', 'CRM', 'e-mail', 'Integrations', 'C++', 'Node.JS', 'AI.', 'said,', 'the', 'a', '.NET'];
const SUBS = ['saas', 'smallbusiness', 'sales'];
const AUTHORS = ['alice', 'AutoModerator', 'bob'];

const term = fc.oneof(
  fc.constantFrom(...WORDS),
  fc.constantFrom('integrat*', 'pric*', 'tool*'),
  fc.array(fc.constantFrom(...WORDS), { minLength: 2, maxLength: 3 }).map((ws) => `"${ws.join(' ')}"`),
  // A phrase ending in a wildcard: found through the vocabulary, not by token pairs.
  fc.tuple(fc.constantFrom(...WORDS), fc.constantFrom('integrat*', 'pric*', 'tool*')).map(([w, p]) => `"${w} ${p}"`),
);
const scopedTerm = fc.oneof(
  { weight: 4, arbitrary: term },
  { weight: 1, arbitrary: term.map((t) => `title:${t}`) },
  { weight: 1, arbitrary: term.map((t) => `body:${t}`) },
);
const filter = fc.oneof(
  fc.constantFrom(...SUBS).map((s) => `subreddit:${s}`),
  fc.constantFrom(...AUTHORS).map((a) => `author:${a}`),
  fc.constantFrom('type:post', 'type:comment'),
);
const { rule } = fc.letrec<{ rule: string; atom: string }>((tie) => ({
  atom: fc.oneof(
    { weight: 5, arbitrary: scopedTerm },
    { weight: 1, arbitrary: filter },
    { weight: 1, arbitrary: tie('rule').map((r) => `(${r})`) },
    { weight: 1, arbitrary: tie('atom').map((a) => `-${a}`) },
    { weight: 1, arbitrary: tie('atom').map((a) => `NOT ${a}`) },
  ),
  rule: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    tie('atom'),
    fc.array(tie('atom'), { minLength: 2, maxLength: 3 }).map((xs) => xs.join(' ')),
    fc.array(tie('atom'), { minLength: 2, maxLength: 3 }).map((xs) => xs.join(' OR ')),
  ),
}));

const campaign = (id: number) =>
  fc.record({
    id: fc.constant(`c${id}`),
    rules: fc.array(rule, { minLength: 1, maxLength: 3 }),
    negativeKeywords: fc.array(fc.constantFrom('free', 'cheap', '"open source"', 'said'), { maxLength: 1 }),
    subreddits: fc.oneof(fc.constant([]), fc.subarray(SUBS, { minLength: 1 })),
    subredditDeny: fc.subarray(SUBS, { maxLength: 1 }),
    authorDeny: fc.constantFrom([], ['automoderator']),
    minScore: fc.option(fc.integer({ min: -2, max: 5 }), { nil: null }),
    includeNsfw: fc.boolean(),
  });
const campaigns = fc.integer({ min: 1, max: 6 }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => campaign(i))));

const text = fc
  .array(fc.oneof(fc.constantFrom(...TEXT_WORDS, 'free', 'cheap', 'open', 'source'), fc.constantFrom('!', ',', '-', '(', ')')), {
    maxLength: 14,
  })
  .map((ws) => ws.join(' '));
const item: fc.Arbitrary<MatchableItem> = fc.record({
  fullname: fc.constant('t3_x'),
  kind: fc.constantFrom('post', 'comment'),
  subreddit: fc.constantFrom(...SUBS, 'SaaS'),
  author: fc.constantFrom(...AUTHORS),
  title: text,
  body: fc.oneof(text, text.map((t) => `see [${t}](https://example.com/x) and https://www.crm-tool.io/pricing`)),
  score: fc.integer({ min: -3, max: 8 }),
  over18: fc.boolean(),
});

describe('compiled matcher against the naive reference', () => {
  it('when rules and texts are random, then both return the same campaigns and matched terms', () => {
    fc.assert(
      fc.property(campaigns, fc.array(item, { minLength: 1, maxLength: 8 }), (cs, items) => {
        const compiled = compileMatcher(cs, 'v1');
        const parsed = parseCampaigns(cs);
        for (const it of items) expect(compiled.match(it)).toEqual(referenceMatchParsed(parsed, it));
      }),
      { numRuns: 400 },
    );
  });

  it('when campaigns use words of real posts, then both agree on every real post and comment', () => {
    const items = [...loadTopPosts(), ...loadCassetteItems()];
    const vocabulary = [...new Set(items.slice(0, 400).flatMap((i) => textTokens(`${i.title} ${i.body}`)))].filter(
      (w) => w.length > 3,
    );
    const word = fc.constantFrom(...vocabulary);
    const realRule = fc.oneof(
      word,
      word.map((w) => `${w.slice(0, 4)}*`),
      fc.tuple(word, word).map(([a, b]) => `"${a} ${b}"`),
      fc.tuple(word, word).map(([a, b]) => `${a} OR title:${b}`),
      fc.tuple(word, word, word).map(([a, b, c]) => `(${a} OR ${b}) -${c}`),
      fc.tuple(word, word).map(([a, b]) => `${a} ${b}`),
    );
    const realCampaign = (id: number) =>
      fc.record({
        id: fc.constant(`c${id}`),
        rules: fc.array(realRule, { minLength: 1, maxLength: 4 }),
        negativeKeywords: fc.array(word, { maxLength: 2 }),
        subreddits: fc.constant([]),
        subredditDeny: fc.constant([]),
        authorDeny: fc.constant(['automoderator']),
        minScore: fc.constant(null),
        includeNsfw: fc.boolean(),
      });
    const sample = items.filter((_, i) => i % 5 === 0);
    let total = 0;
    fc.assert(
      fc.property(fc.tuple(...Array.from({ length: 12 }, (_, i) => realCampaign(i))), (cs: MatcherCampaign[]) => {
        const compiled = compileMatcher(cs, 'v1');
        const parsed = parseCampaigns(cs);
        let matches = 0;
        for (const it of sample) {
          const got = compiled.match(it);
          expect(got).toEqual(referenceMatchParsed(parsed, it));
          matches += got.length;
        }
        total += matches;
      }),
      { numRuns: 5 },
    );
    // The comparison means something only if the real text did match some campaigns.
    expect(total).toBeGreaterThan(0);
  });
});
