/** Short relative age, as a triage list wants it: "now", "5m", "3h", "2d", "4w", "Mar 3". */
export function formatAge(iso: string | undefined | null, now: number): string {
  if (!iso) return '';
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return '';
  const s = Math.max(0, Math.round((now - t) / 1000));
  if (s < 60) return 'now';
  if (s < 3600) return `${Math.floor(s / 60)}m`;
  if (s < 86_400) return `${Math.floor(s / 3600)}h`;
  if (s < 7 * 86_400) return `${Math.floor(s / 86_400)}d`;
  if (s < 60 * 86_400) return `${Math.floor(s / (7 * 86_400))}w`;
  return new Date(t).toLocaleDateString('en', { month: 'short', day: 'numeric' });
}

export function formatNumber(n: number | null | undefined): string {
  if (n === null || n === undefined) return '–';
  return new Intl.NumberFormat('en', { notation: n >= 10_000 ? 'compact' : 'standard' }).format(n);
}

export const INTENT_LABELS: Record<string, string> = {
  recommendation_request: 'Asks for a tool',
  alternative_search: 'Seeks alternative',
  pain_point: 'Pain point',
  competitor_complaint: 'Competitor complaint',
  comparison: 'Comparing',
  question: 'Question',
  other: 'Other',
};

export const intentLabel = (i: string | null | undefined) => (i ? (INTENT_LABELS[i] ?? i.replaceAll('_', ' ')) : '');

export function redditUrl(permalink: string): string {
  if (/^https?:\/\//.test(permalink)) return permalink;
  return `https://www.reddit.com${permalink.startsWith('/') ? '' : '/'}${permalink}`;
}

/** The first `max` characters, cut at a word, for list excerpts. */
export function excerpt(text: string, max = 240): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return flat;
  const cut = flat.slice(0, max);
  const space = cut.lastIndexOf(' ');
  return `${cut.slice(0, space > max * 0.6 ? space : max)}…`;
}

export type ScoreBand = 'hot' | 'warm' | 'cool' | 'none';
export function scoreBand(score: number | null | undefined): ScoreBand {
  if (score === null || score === undefined) return 'none';
  if (score >= 75) return 'hot';
  if (score >= 50) return 'warm';
  return 'cool';
}
