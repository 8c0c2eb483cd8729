/**
 * What an alert says, independent of where it goes: each formatter (Slack, Discord, email,
 * webhook) renders this same message within its own limits.
 */

/** A lead as the notify repo reads it. */
export interface AlertLead {
  id: string;
  campaignName: string;
  score: number;
  intent: string | null;
  reasons: string[];
  kind: 'post' | 'comment';
  subreddit: string;
  author: string;
  title: string;
  body: string;
  permalink: string;
}

export interface AlertItem {
  id: string;
  campaign: string;
  kind: 'post' | 'comment';
  title: string;
  excerpt: string;
  subreddit: string;
  author: string;
  score: number;
  intent: string | null;
  /** Intent in words, e.g. "recommendation request". */
  intentLabel: string;
  reasons: string[];
  dashboardUrl: string;
  redditUrl: string;
}

export interface AlertMessage {
  mode: 'instant' | 'digest' | 'test';
  subject: string;
  leads: AlertItem[];
  inboxUrl: string;
}

const EXCERPT_CHARS = 280;

export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${text.slice(0, Math.max(0, max - 1)).trimEnd()}…`;
}

export function excerptOf(text: string, max = EXCERPT_CHARS): string {
  return truncate(text.replace(/\s+/g, ' ').trim(), max);
}

function joinUrl(base: string, path: string): string {
  return `${base.replace(/\/+$/, '')}${path}`;
}

export function redditUrlOf(permalink: string): string {
  return /^https?:\/\//.test(permalink) ? permalink : `https://www.reddit.com${permalink}`;
}

function toItem(lead: AlertLead, publicUrl: string): AlertItem {
  const excerpt = excerptOf(lead.body);
  const title = lead.title.trim() || (lead.kind === 'comment' ? `Comment by u/${lead.author}` : '(untitled post)');
  return {
    id: lead.id,
    campaign: lead.campaignName,
    kind: lead.kind,
    title: truncate(title.replace(/\s+/g, ' '), 200),
    excerpt,
    subreddit: lead.subreddit,
    author: lead.author,
    score: lead.score,
    intent: lead.intent,
    intentLabel: lead.intent ? lead.intent.replaceAll('_', ' ') : 'unknown intent',
    reasons: lead.reasons.map((r) => truncate(r, 200)).slice(0, 5),
    dashboardUrl: joinUrl(publicUrl, `/leads/${lead.id}`),
    redditUrl: redditUrlOf(lead.permalink),
  };
}

function subjectOf(mode: AlertMessage['mode'], items: readonly AlertItem[], windowLabel?: string): string {
  if (mode === 'test') return 'Subscout test alert: this channel works';
  const first = items[0];
  if (mode === 'instant' && items.length === 1 && first) {
    return truncate(`New lead (${first.score}) in r/${first.subreddit}: ${first.title}`, 150);
  }
  const what = `${items.length} new lead${items.length === 1 ? '' : 's'}`;
  return mode === 'digest' && windowLabel ? `Subscout digest: ${what} (${windowLabel})` : `Subscout: ${what}`;
}

/** Leads highest score first, so the ones a limit cuts are the least promising. */
export function buildAlert(
  mode: AlertMessage['mode'],
  leads: readonly AlertLead[],
  opts: { publicUrl: string; windowLabel?: string },
): AlertMessage {
  const items = [...leads].sort((a, b) => b.score - a.score || a.id.localeCompare(b.id)).map((l) => toItem(l, opts.publicUrl));
  return {
    mode,
    subject: subjectOf(mode, items, opts.windowLabel),
    leads: items,
    inboxUrl: joinUrl(opts.publicUrl, '/leads'),
  };
}

/** The sample lead a channel test sends. */
export function sampleLead(): AlertLead {
  return {
    id: '00000000-0000-4000-8000-000000000000',
    campaignName: 'Test campaign',
    score: 90,
    intent: 'recommendation_request',
    reasons: ['This is a test alert sent from the Subscout dashboard.'],
    kind: 'post',
    subreddit: 'test',
    author: 'subscout',
    title: 'Test alert: any recommendations for a CRM?',
    body: 'This is what a lead alert looks like. No action is needed.',
    permalink: '/r/test/',
  };
}
