import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { validateKeywords, validateRules } from '../src/modules/matching/rule-parser.js';
import { extractPageText } from '../src/modules/scrape/page-text.js';
import { suggestCampaign } from '../src/modules/scrape/suggest-campaign.js';

const page = (name: string) => extractPageText(readFileSync(new URL(`./fixtures-scrape/${name}`, import.meta.url), 'utf8'));

const cases = [
  {
    file: 'tasklane.html',
    url: 'https://www.tasklane.io/',
    name: 'Tasklane',
    category: 'project management',
    competitors: ['asana', 'trello', 'jira'],
    subreddit: 'projectmanagement',
  },
  {
    file: 'shutterdesk.html',
    url: 'https://shutterdesk.com/',
    name: 'ShutterDesk',
    category: 'photography',
    competitors: ['pixieset', 'honeybook'],
    subreddit: 'photography',
  },
  {
    file: 'ledgerleaf.html',
    url: 'https://ledgerleaf.co.uk/',
    name: 'LedgerLeaf',
    category: 'invoicing',
    competitors: ['freshbooks', 'quickbooks'],
    subreddit: 'freelance',
  },
];

describe.each(cases)('suggestion for $file', (c) => {
  const s = suggestCampaign({ url: c.url, page: page(c.file) });

  it('when drafted, then the product is named from the page and the URL is kept', () => {
    expect(s.productName).toBe(c.name);
    expect(s.productUrl).toBe(c.url);
    expect(s.productDescription.length).toBeGreaterThan(40);
    expect(s.productDescription.length).toBeLessThanOrEqual(303);
  });

  it('when drafted, then there are 5 to 10 rules that all parse and name the category', () => {
    expect(s.rules.length).toBeGreaterThanOrEqual(5);
    expect(s.rules.length).toBeLessThanOrEqual(10);
    expect(validateRules(s.rules)).toEqual([]);
    expect(s.rules.some((r) => r.includes(`"${c.category}"`))).toBe(true);
    expect(s.categories).toContain(c.category);
  });

  it('when the page names competitors, then each gets an alternative rule', () => {
    expect(s.competitors).toEqual(expect.arrayContaining(c.competitors));
    for (const competitor of c.competitors) {
      expect(s.rules.some((r) => r.startsWith('(alternative*') && r.includes(`"${competitor}"`))).toBe(true);
    }
  });

  it('when drafted, then no rule is a single bare word that would match any post', () => {
    for (const rule of s.rules) expect(rule.trim().split(/\s+/).length, rule).toBeGreaterThan(1);
  });

  it('when drafted, then subreddits, negatives and the lead context fit the product', () => {
    expect(s.subreddits).toContain(c.subreddit);
    expect(s.subreddits.length).toBeLessThanOrEqual(6);
    for (const sub of s.subreddits) expect(sub).toMatch(/^[a-z0-9_]{2,21}$/);
    expect(s.negativeKeywords).toContain('hiring');
    expect(validateKeywords(s.negativeKeywords)).toEqual([]);
    expect(s.leadContext).toMatch(/^People asking for /);
    expect(s.leadContext).toContain(c.category);
  });

  it('when drafted twice, then the draft is identical', () => {
    expect(suggestCampaign({ url: c.url, page: page(c.file) })).toEqual(s);
  });
});

describe('suggestion edge cases', () => {
  it('when the product is a recruiting tool, then hiring is not a negative keyword', () => {
    const html = `<title>Hirely | Applicant tracking software for startups</title>
      <meta name="description" content="Hirely is applicant tracking for recruiting teams: post jobs, screen candidates and schedule interviews.">
      <h1>Recruiting made simple</h1><p>Track every candidate from job posts to onboarding. Hiring managers see interviews at a glance.</p>`;
    const s = suggestCampaign({ url: 'https://hirely.app/', page: extractPageText(html) });
    expect(s.negativeKeywords).not.toContain('hiring');
    expect(s.subreddits).toContain('recruiting');
    expect(validateRules(s.rules)).toEqual([]);
  });

  it('when the page says almost nothing, then the draft is still valid and names the domain', () => {
    const s = suggestCampaign({ url: 'https://blankco.com/', page: extractPageText('<html><body></body></html>') });
    expect(s.productName).toBe('Blankco');
    expect(validateRules(s.rules)).toEqual([]);
    expect(s.leadContext).toContain('Blankco');
  });

  it('when text is extracted, then menus, footers, scripts and cookie banners are left out', () => {
    const p = page('tasklane.html');
    expect(p.text).not.toMatch(/Log in|cookies|we are hiring|analytics/);
    expect(p.headings[0]).toEqual({ level: 1, text: 'Project management that small teams actually use' });
  });
});
