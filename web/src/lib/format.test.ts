import { describe, expect, it } from 'vitest';
import { excerpt, formatAge, redditUrl, scoreBand } from './format.js';

const NOW = Date.parse('2026-03-10T12:00:00Z');
const ago = (s: number) => new Date(NOW - s * 1000).toISOString();

describe('formatAge', () => {
  it('when the item is recent, then the age is short and relative', () => {
    expect(formatAge(ago(20), NOW)).toBe('now');
    expect(formatAge(ago(5 * 60), NOW)).toBe('5m');
    expect(formatAge(ago(3 * 3600), NOW)).toBe('3h');
    expect(formatAge(ago(2 * 86_400), NOW)).toBe('2d');
    expect(formatAge(ago(15 * 86_400), NOW)).toBe('2w');
  });

  it('when the item is old or the date is missing, then a date or nothing is shown', () => {
    expect(formatAge(ago(90 * 86_400), NOW)).toBe('Dec 10');
    expect(formatAge(undefined, NOW)).toBe('');
    expect(formatAge('not a date', NOW)).toBe('');
  });
});

describe('excerpt', () => {
  it('when the text is long, then it is cut at a word with an ellipsis and whitespace is flattened', () => {
    const out = excerpt('word '.repeat(100), 42);
    expect(out.endsWith('…')).toBe(true);
    expect(out.length).toBeLessThanOrEqual(43);
    expect(out).not.toMatch(/\s…$/);
    expect(excerpt('a\n\nb   c')).toBe('a b c');
  });
});

describe('redditUrl and scoreBand', () => {
  it('when a permalink is relative, then it points at reddit.com; absolute ones are kept', () => {
    expect(redditUrl('/r/saas/comments/abc/x/')).toBe('https://www.reddit.com/r/saas/comments/abc/x/');
    expect(redditUrl('https://old.reddit.com/r/a')).toBe('https://old.reddit.com/r/a');
  });

  it('when scores cross the bands, then the colour band follows', () => {
    expect([scoreBand(null), scoreBand(10), scoreBand(50), scoreBand(75)]).toEqual(['none', 'cool', 'warm', 'hot']);
  });
});
