/**
 * Splits text into plain and highlighted parts for the matched terms. Case- and
 * accent-insensitive, whole-word at the edges, wildcard terms (`automat*`) match the prefix;
 * rule syntax around a term (quotes, `title:`) is ignored.
 */
export interface Segment {
  text: string;
  hit: boolean;
}

function termPattern(raw: string): string | undefined {
  const term = raw
    .replace(/^[a-z]+:/i, '')
    .replace(/^["']|["']$/g, '')
    .trim();
  if (!term || term === '*') return undefined;
  const wildcard = term.endsWith('*');
  const core = (wildcard ? term.slice(0, -1) : term)
    .split(/\s+/)
    .map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('\\s+');
  return `${core}${wildcard ? '[\\p{L}\\p{N}]*' : ''}`;
}

export function highlightSegments(text: string, terms: readonly string[]): Segment[] {
  const patterns = [...new Set(terms.map(termPattern).filter((p): p is string => p !== undefined))].sort(
    (a, b) => b.length - a.length,
  );
  if (patterns.length === 0 || text === '') return text === '' ? [] : [{ text, hit: false }];
  const re = new RegExp(`(?<![\\p{L}\\p{N}])(?:${patterns.join('|')})(?![\\p{L}\\p{N}])`, 'giu');
  const out: Segment[] = [];
  let last = 0;
  for (const m of text.matchAll(re)) {
    const start = m.index ?? 0;
    if (m[0] === '') continue;
    if (start > last) out.push({ text: text.slice(last, start), hit: false });
    out.push({ text: m[0], hit: true });
    last = start + m[0].length;
  }
  if (last < text.length) out.push({ text: text.slice(last), hit: false });
  return out;
}
