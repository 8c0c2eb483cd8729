import { describe, expect, it } from 'vitest';
import { highlightSegments } from './highlight.js';

const hits = (text: string, terms: string[]) =>
  highlightSegments(text, terms)
    .filter((s) => s.hit)
    .map((s) => s.text);

describe('highlightSegments', () => {
  it('when a term appears in any case, then each occurrence is marked and the text is kept whole', () => {
    const text = 'Any CRM recommendations? Our crm is slow.';
    const segments = highlightSegments(text, ['crm']);
    expect(segments.map((s) => s.text).join('')).toBe(text);
    expect(hits(text, ['crm'])).toEqual(['CRM', 'crm']);
  });

  it('when a term is part of a longer word, then it is not marked', () => {
    expect(hits('scrum boards and a crm', ['crm'])).toEqual(['crm']);
  });

  it('when a term is a wildcard, then the whole word it starts is marked', () => {
    expect(hits('I recommend it; recommendations welcome', ['recommend*'])).toEqual(['recommend', 'recommendations']);
  });

  it('when a term is a quoted phrase or carries a field prefix, then the bare words are matched across spaces', () => {
    expect(hits('Need invoice   software today', ['"invoice software"'])).toEqual(['invoice   software']);
    expect(hits('Looking for a tool', ['title:tool'])).toEqual(['tool']);
  });

  it('when terms overlap, then the longest one wins', () => {
    expect(hits('best invoice software', ['invoice', 'invoice software'])).toEqual(['invoice software']);
  });

  it('when a term holds regex characters, then they are matched literally', () => {
    expect(hits('c++ or c#? maybe (node.js)', ['c++', 'node.js'])).toEqual(['c++', 'node.js']);
  });

  it('when there are no terms, then the text is one plain segment', () => {
    expect(highlightSegments('plain', [])).toEqual([{ text: 'plain', hit: false }]);
    expect(highlightSegments('', ['x'])).toEqual([]);
  });
});
