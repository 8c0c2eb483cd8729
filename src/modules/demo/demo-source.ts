import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { ListingPage, ListingParams, RedditListingClient, RedditThing, SubredditInfo, SubredditSet } from '../../reddit/types.js';

/**
 * The demo stream for the quick start without Reddit credentials: the project's own
 * synthetic posts and comments (demo-items.json), released on a fixed timeline of
 * `itemsPerMinute` from a fixed epoch. Item k's fullname and time depend only on k, so a
 * restart re-reads the same items (no duplicates) and a first start already finds the
 * last hundred released: leads show up within seconds, then keep arriving.
 */

const templateSchema = z.object({
  kind: z.enum(['post', 'comment']),
  subreddit: z.string(),
  author: z.string(),
  title: z.string(),
  body: z.string(),
});
const fileSchema = z.object({ notice: z.string(), items: z.array(templateSchema).min(1) });
export type DemoTemplate = z.infer<typeof templateSchema>;

export const DEMO_EPOCH_MS = Date.UTC(2025, 0, 1);
/** Reddit serves no listing deeper than this; the demo follows the same rule. */
const CAP = 1000;

export function loadDemoTemplates(): DemoTemplate[] {
  const raw: unknown = JSON.parse(readFileSync(new URL('./demo-items.json', import.meta.url), 'utf8'));
  return fileSchema.parse(raw).items;
}

export function createDemoRedditClient(deps: {
  now: () => number;
  itemsPerMinute: number;
  templates?: readonly DemoTemplate[];
}): RedditListingClient {
  const templates = deps.templates ?? loadDemoTemplates();
  const gapMs = deps.itemsPerMinute > 0 ? 60_000 / deps.itemsPerMinute : Number.POSITIVE_INFINITY;
  const n = templates.length;

  const latest = () => (Number.isFinite(gapMs) ? Math.floor((deps.now() - DEMO_EPOCH_MS) / gapMs) : -1);
  const prefix = (kind: DemoTemplate['kind']) => (kind === 'post' ? 't3_dm' : 't1_dm');

  function postBefore(k: number): number | null {
    for (let j = k - 1; j >= Math.max(0, k - n); j--) if (templates[j % n]!.kind === 'post') return j;
    return null;
  }

  function thing(k: number): RedditThing | null {
    if (k < 0) return null;
    const tpl = templates[k % n]!;
    const id = k.toString(36);
    const createdUtc = new Date(DEMO_EPOCH_MS + Math.floor(k * gapMs));
    if (tpl.kind === 'post') {
      const permalink = `/r/${tpl.subreddit}/comments/dm${id}/demo/`;
      return {
        fullname: `t3_dm${id}`,
        kind: 'post',
        subreddit: tpl.subreddit,
        author: tpl.author,
        title: tpl.title,
        body: tpl.body,
        permalink,
        url: null,
        linkId: null,
        score: 1 + (k % 17),
        over18: false,
        createdUtc,
      };
    }
    const parent = postBefore(k);
    if (parent === null) return null;
    const post = templates[parent % n]!;
    return {
      fullname: `t1_dm${id}`,
      kind: 'comment',
      subreddit: post.subreddit,
      author: tpl.author,
      title: post.title,
      body: tpl.body,
      permalink: `/r/${post.subreddit}/comments/dm${parent.toString(36)}/demo/dm${id}/`,
      url: null,
      linkId: `t3_dm${parent.toString(36)}`,
      score: 1 + (k % 5),
      over18: false,
      createdUtc,
    };
  }

  function indexOf(fullname: string): number | null {
    const m = /^t[13]_dm([0-9a-z]+)$/.exec(fullname);
    return m ? Number.parseInt(m[1]!, 36) : null;
  }

  function list(kind: DemoTemplate['kind'], subs: SubredditSet, params: ListingParams = {}, match?: (t: RedditThing) => boolean) {
    const limit = Math.max(1, Math.min(100, params.limit ?? 100));
    const top = latest();
    const after = params.after ? indexOf(params.after) : null;
    const start = after === null ? top : Math.min(top, after - 1);
    const wanted = subs === 'all' ? null : new Set(subs.map((s) => s.toLowerCase()));
    const items: RedditThing[] = [];
    let depth = 0;
    let more = false;
    for (let k = start; k >= 0 && top - k < CAP * 4; k--) {
      const tpl = templates[k % n]!;
      if (tpl.kind !== kind) continue;
      const t = thing(k);
      if (!t || (wanted && !wanted.has(t.subreddit)) || (match && !match(t))) continue;
      if (++depth > CAP) break;
      if (items.length === limit) {
        more = true;
        break;
      }
      items.push(t);
    }
    const page: ListingPage = { items, after: more ? items.at(-1)!.fullname : null, before: null };
    return page;
  }

  return {
    async newPosts(subs, params) {
      return list('post', subs, params);
    },
    async newComments(subs, params) {
      return list('comment', subs, params);
    },
    async search(query, opts) {
      const terms = query.toLowerCase().split(/\s+/).filter(Boolean);
      const subs: SubredditSet = opts?.subreddit ? [opts.subreddit] : 'all';
      return list('post', subs, opts, (t) => terms.every((term) => `${t.title} ${t.body}`.toLowerCase().includes(term)));
    },
    async info(fullnames) {
      const top = latest();
      return fullnames
        .map(indexOf)
        .filter((k): k is number => k !== null && k <= top)
        .map(thing)
        .filter((t): t is RedditThing => t !== null && fullnames.includes(t.fullname) && t.fullname.startsWith(prefix(t.kind)));
    },
    async searchSubreddits(query, limit = 25) {
      const q = query.toLowerCase();
      const names = [...new Set(templates.map((t) => t.subreddit))].filter((s) => s.includes(q));
      return names.slice(0, limit).map(
        (name): SubredditInfo => ({ name, title: `r/${name} (demo)`, subscribers: null, over18: false, description: 'Demo subreddit' }),
      );
    },
  };
}
