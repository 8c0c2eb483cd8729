import { describe, expect, it } from 'vitest';
import { compileCues } from './cues.js';
import { createLocalScorer, scoreLocally } from './local-scorer.js';
import type { CampaignProfile, ScoreCandidate } from './scoring.types.js';
import { askedFor, productCategory } from './text.js';

const profile: CampaignProfile = {
  campaignId: 'c',
  version: 1,
  productName: 'Sheetcraft',
  productDescription: 'Excel dashboards and reporting templates.',
  leadContext: 'People building reports in Excel.',
};
const candidate = (title: string, body = '', matchedTerms = ['dashboard'], p: CampaignProfile = profile): ScoreCandidate => ({
  key: 'k',
  profile: p,
  matchedTerms,
  item: { fullname: title ? 't3_x' : 't1_x', kind: title ? 'post' : 'comment', subreddit: 'excel', title, body },
});

const crm: CampaignProfile = {
  campaignId: 'crm',
  version: 1,
  productName: 'Acme CRM',
  productDescription: 'A simple CRM for small teams',
  leadContext: '',
};

describe('local scorer', () => {
  it('when a post asks for a tool that matches the product, then it scores high with named reasons', () => {
    const r = scoreLocally(candidate('Any recommendations for an Excel dashboard tool?', 'Our team of 5 has a budget of $50/month.'));
    expect(r.score).toBeGreaterThanOrEqual(70);
    expect(r.intent).toBe('recommendation_request');
    expect(r.reasons).toContain("Mentions 'dashboard' in the title");
    expect(r.reasons).toContain('Asks for a recommendation');
    expect(r.reasons).toContain('Mentions a budget or price');
    expect(r.reasons).toContain('Mentions a team or company size');
    expect(r.scoredBy).toBe('local');
  });

  it('when a post asks for the best product of its category, then it is an alert-worthy lead naming the category', () => {
    const r = scoreLocally(
      candidate(
        'Best CRM for a two-founder agency in 2025?',
        'Tried a couple of free tools but none stuck. Main need: keep track of leads and follow-ups. Integrations with Gmail would be nice.',
        ['crm'],
        crm,
      ),
    );
    expect(r.score).toBeGreaterThanOrEqual(80);
    expect(r.intent).toBe('recommendation_request');
    expect(r.reasons).toContain("Names the product's category (CRM) in the title");
    expect(r.reasons).toContain('Asks for the best option');
    expect(r.reasons).toContain('Is unhappy with what they use');
    expect(r.reasons).toContain('Lists what they need');
  });

  it('when a comment asks for another kind of product, then intent is a recommendation request but the score stays under the alert threshold', () => {
    const r = scoreLocally(candidate('', 'Does anyone know a project management app that integrates with Gmail?', ['gmail'], crm));
    expect(r.intent).toBe('recommendation_request');
    expect(r.score).toBeLessThan(60);
    expect(r.score).toBeGreaterThan(30);
    expect(r.reasons).toContain('Asks for a different kind of product (project management)');
  });

  it('when a news post merely mentions the keyword, then it scores low', () => {
    const r = scoreLocally(candidate('Excel 2013 dashboard features released', 'Microsoft announced version 15.'));
    expect(r.score).toBeLessThan(30);
    expect(r.reasons).toContain('Reads like news or a release note');
  });

  it('when a post shows off, jokes, or is a PSA, then it scores below the same topic asked as a question', () => {
    const ask = scoreLocally(candidate('Looking for an Excel dashboard template for monthly reports?'));
    for (const title of ['I made an Excel dashboard for my monthly reports, check it out', 'PSA: Excel dashboards break when you sort', 'Excel dashboard memes are the best memes']) {
      const r = scoreLocally(candidate(title));
      expect(r.score).toBeLessThan(ask.score - 20);
      expect(r.intent).toBe('other');
    }
  });

  it('when an ask is off the product, then it scores below the same ask on the product', () => {
    const on = scoreLocally(candidate('Looking for a dashboard tool for Excel reports'));
    const off = scoreLocally(candidate('Looking for a good hiking backpack', '', []));
    expect(on.score).toBeGreaterThan(off.score);
    expect(off.reasons).toContain('Does not mention the product or its terms');
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
    expect(() => compileCues({ bodyFactor: 0.5, cues: [{ id: 'x', intent: null, weight: 5, reason: 'r', where: 'footer', patterns: ['a'] }] })).toThrow();
  });
});

describe('product category', () => {
  it('when a description starts with a noun phrase, then its head (or a generic head with its qualifier) is the category', () => {
    expect(productCategory('A simple CRM for small teams')).toEqual({ label: 'CRM', prefixes: ['crm'] });
    expect(productCategory('A social media scheduling tool with analytics.')).toEqual({ label: 'scheduling tool', prefixes: ['schedul'] });
    expect(productCategory('A photo editor for RAW editing, presets and batch processing.')).toEqual({ label: 'photo editor', prefixes: ['edit'] });
    expect(productCategory('An Excel add-in that writes formulas.')?.label).toBe('Excel add-in');
    expect(productCategory('')).toBeNull();
  });

  it('when an item asks for a kind of product, then the words before "app" or "tool" name it', () => {
    expect(askedFor('Does anyone know a project management app that integrates with Gmail?').map((a) => a.label)).toEqual(['project management']);
    expect(askedFor('Any tips for my garden?')).toEqual([]);
  });
});
