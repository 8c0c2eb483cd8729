import { createHash } from 'node:crypto';

/**
 * Campaigns -> the streams that read them. Each distinct subreddit is read once, whatever
 * the number of campaigns watching it.
 *
 * Grouping is a binary trie over a hash of the subreddit name: a bucket holding more than
 * `subsPerStream` names splits in two on the next hash bit. The result depends only on the
 * set of names (any process computes the same streams), and adding or removing one
 * subreddit changes only the bucket it hashes into; sort-and-chunk would shift every
 * later chunk and so rename (and re-page) most streams. The price is buckets about 70 %
 * full on average instead of 100 %.
 */

export type StreamKind = 'posts' | 'comments';

export interface StreamSpec {
  /** `posts:r/a+b+c` or `comments:r/all`; the durable identity of the stream. */
  key: string;
  kind: StreamKind;
  subreddits: readonly string[] | 'all';
}

export interface WatchCampaign {
  subreddits: readonly string[];
  watchAll: boolean;
}

const KINDS: readonly StreamKind[] = ['posts', 'comments'];

export function normaliseSubreddit(name: string): string | null {
  const n = name
    .trim()
    .replace(/^\/?r\//i, '')
    .toLowerCase();
  return /^[a-z0-9][a-z0-9_]{1,20}$/.test(n) ? n : null;
}

export function streamKey(kind: StreamKind, subs: readonly string[] | 'all'): string {
  return `${kind}:r/${subs === 'all' ? 'all' : subs.join('+')}`;
}

/** Inverse of streamKey; null for a key this module did not produce. */
export function parseStreamKey(key: string): StreamSpec | null {
  const m = /^(posts|comments):r\/(.+)$/.exec(key);
  if (!m) return null;
  const kind = m[1] as StreamKind;
  const rest = m[2]!;
  if (rest === 'all') return { key, kind, subreddits: 'all' };
  const subs = rest.split('+');
  if (subs.some((s) => normaliseSubreddit(s) !== s)) return null;
  return { key, kind, subreddits: subs };
}

function hashBits(name: string): string {
  const digest = createHash('sha1').update(name).digest();
  let bits = '';
  for (const byte of digest.subarray(0, 4)) bits += byte.toString(2).padStart(8, '0');
  return bits;
}

function bucketise(entries: readonly { name: string; bits: string }[], depth: number, max: number): string[][] {
  // 32 bits split 4 billion ways; past that the names are too many to tell apart, so chunk.
  if (entries.length <= max || depth >= 32) {
    const names = entries.map((e) => e.name).sort();
    const out: string[][] = [];
    for (let i = 0; i < names.length; i += max) out.push(names.slice(i, i + max));
    return out;
  }
  const zero = entries.filter((e) => e.bits[depth] === '0');
  const one = entries.filter((e) => e.bits[depth] === '1');
  return [...bucketise(zero, depth + 1, max), ...bucketise(one, depth + 1, max)];
}

/** Groups subreddit names into multireddits of at most `max` names (see the module note). */
export function groupSubreddits(names: Iterable<string>, max: number): string[][] {
  const unique = [...new Set(names)];
  if (unique.length === 0) return [];
  const entries = unique.map((name) => ({ name, bits: hashBits(name) }));
  return bucketise(entries, 0, Math.max(1, max)).filter((g) => g.length > 0);
}

/** The streams that cover every active campaign: posts and comments for each group, and r/all when asked. */
export function deriveWatchSet(campaigns: readonly WatchCampaign[], subsPerStream: number): StreamSpec[] {
  const subs = new Set<string>();
  let watchAll = false;
  for (const c of campaigns) {
    if (c.watchAll) watchAll = true;
    for (const s of c.subreddits) {
      const n = normaliseSubreddit(s);
      if (n && n !== 'all') subs.add(n);
    }
  }
  const streams: StreamSpec[] = [];
  for (const group of groupSubreddits(subs, subsPerStream)) {
    for (const kind of KINDS) streams.push({ key: streamKey(kind, group), kind, subreddits: group });
  }
  if (watchAll) {
    for (const kind of KINDS) streams.push({ key: streamKey(kind, 'all'), kind, subreddits: 'all' });
  }
  return streams;
}
