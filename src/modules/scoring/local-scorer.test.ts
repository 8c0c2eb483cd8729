import { describe, expect, it } from 'vitest';
import { compileCues } from './cues.js';
import { createLocalScorer, scoreLocally } from './local-scorer.js';
import type { ScoreCandidate } from './scoring.types.js';

const profile = {
  campaignId: 'c',
  version: 1,
  productName: 'Sheetcraft',
  productDescription: 'Excel dashboards and reporting templates.',
  leadContext: 'People building reports in Excel.',
};
const candidate = (title: string, body = '', matchedTerms = ['dashboard']): ScoreCandidate => ({
  key: 'k',
  profile,
  matchedTerms,
  item: { fullname: 't3_x', kind: 'post', subreddit: 'excel', title, body },
});

describe('local scorer', () => {
  it('when a post asks for a tool that matches the product, then it scores high with named reasons', () => {
    const r = scoreLocally(candidate('Any recommendations for an Excel dashboard tool?', 'Our team of 5 has a budget of $50/month.'));
    expect(r.score).toBeGreaterThanOrEqual(70);
    expect(r.intent).toBe('recommendation_request');
    expect(r.reasons).toContain('asks for a recommendation');
    expect(r.reasons).toContain('mentions a budget or price');
    expect(r.reasons).toContain('mentions a team or company size');
    expect(r.scoredBy).toBe('local');
  });

  it('when a news post merely mentions the keyword, then it scores low', () => {
    const r = scoreLocally(candidate('Excel 2013 dashboard features released', 'Microsoft announced version 15.'));
    expect(r.score).toBeLessThan(30);
    expect(r.reasons).toContain('reads like news or a release note');
  });

  it('when an ask is off the product, then it scores below the same ask on the product', () => {
    const on = scoreLocally(candidate('Looking for a dashboard tool for Excel reports'));
    const off = scoreLocally(candidate('Looking for a good hiking backpack', '', []));
    expect(on.score).toBeGreaterThan(off.score);
  });

  it('when the same candidate is scored twice, then the result is identical', async () => {
    const scorer = createLocalScorer();
    const c = candidate('Alternatives to Tableau for small dashboards?');
    const [a, b] = await Promise.all([scorer.scoreBatch([c]), scorer.scoreBatch([c])]);
    expect(a.results).toEqual(b.results);
    expect(a.results[0]!.intent).toBe('alternative_search');
    expect(a.usage.requests).toBe(0);
  });

  it('when a cue file is invalid, then compiling it fails loudly', () => {
    expect(() => compileCues({ bodyFactor: 2, cues: [] })).toThrow();
  });
});
