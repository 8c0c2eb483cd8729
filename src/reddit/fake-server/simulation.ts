import type { StoredThing, ThingStore } from './thing-store.js';

/**
 * A live Reddit: items are created at a steady rate across the given subreddits and each
 * shows up in listings only after a random index lag, so it can appear after newer ones
 * (as on real Reddit). Generation is lazy: `advanceTo(now)` creates what the clock has
 * reached, so the simulation runs at whatever speed its clock does.
 */
export interface LiveSimulationOptions {
  itemsPerSecond: number;
  subreddits: readonly string[];
  /** Each item becomes visible after a uniform random delay in [0, maxLagMs]. */
  maxLagMs?: number;
  /** Share of items that are comments (the rest are posts). Reddit runs at about 0.9. */
  commentShare?: number;
  seed?: number;
  /** Bodies to draw from (e.g. real posts); a small built-in vocabulary otherwise. */
  texts?: readonly { title: string; body: string }[];
  startMs: number;
}

export interface LiveSimulation {
  advanceTo(now: number): void;
  generated(): number;
}

/** mulberry32: small, fast, seedable. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS =
  'looking for a good tool to help with crm invoices email marketing recommend any alternative budget team project tracking software spreadsheet workflow automate customers leads help anyone tried switched from pricing'.split(
    ' ',
  );

export function createLiveSimulation(store: ThingStore, opts: LiveSimulationOptions): LiveSimulation {
  if (!(opts.itemsPerSecond > 0)) throw new Error('itemsPerSecond must be positive');
  if (opts.subreddits.length === 0) throw new Error('a live simulation needs at least one subreddit');
  const rand = seededRandom(opts.seed ?? 1);
  const gapMs = 1000 / opts.itemsPerSecond;
  const maxLag = opts.maxLagMs ?? 0;
  const commentShare = opts.commentShare ?? 0.9;
  const subs = opts.subreddits.map((s) => s.toLowerCase());
  // Ids far above the recorded ones, so fixture and live things never collide.
  let nextId = 36 ** 7 * 20;
  let nextAt = opts.startMs;
  let count = 0;
  const postsBySub = new Map<string, string[]>();

  function text(): { title: string; body: string } {
    if (opts.texts && opts.texts.length > 0) return opts.texts[Math.floor(rand() * opts.texts.length)]!;
    const words = (n: number) => Array.from({ length: n }, () => WORDS[Math.floor(rand() * WORDS.length)]).join(' ');
    return { title: words(8), body: words(30) };
  }

  function make(createdMs: number): StoredThing {
    const sub = subs[Math.floor(rand() * subs.length)]!;
    const id = (nextId++).toString(36);
    const lag = rand() * maxLag;
    const { title, body } = text();
    const author = `user_${Math.floor(rand() * 50_000).toString(36)}`;
    const posts = postsBySub.get(sub) ?? [];
    const base = { id, subreddit: sub, author, created_utc: createdMs / 1000, score: 1, over_18: false };
    if (rand() < commentShare && posts.length > 0) {
      const linkId = posts[Math.floor(rand() * posts.length)]!;
      const data = {
        ...base,
        name: `t1_${id}`,
        body,
        link_id: `t3_${linkId}`,
        parent_id: `t3_${linkId}`,
        link_title: title,
        permalink: `/r/${sub}/comments/${linkId}/_/${id}/`,
      };
      return {
        fullname: data.name,
        kind: 't1',
        subreddit: sub,
        createdMs,
        visibleAtMs: createdMs + lag,
        data,
        text: body.toLowerCase(),
      };
    }
    posts.push(id);
    if (posts.length > 200) posts.shift();
    postsBySub.set(sub, posts);
    const permalink = `/r/${sub}/comments/${id}/${title.toLowerCase().replace(/[^a-z0-9]+/g, '_').slice(0, 40)}/`;
    const data = {
      ...base,
      name: `t3_${id}`,
      title,
      selftext: body,
      url: `https://www.reddit.com${permalink}`,
      permalink,
      num_comments: 0,
      is_self: true,
    };
    return {
      fullname: data.name,
      kind: 't3',
      subreddit: sub,
      createdMs,
      visibleAtMs: createdMs + lag,
      data,
      text: `${title} ${body}`.toLowerCase(),
    };
  }

  return {
    advanceTo(now) {
      while (nextAt <= now) {
        store.add(make(Math.floor(nextAt)));
        count++;
        nextAt += gapMs;
      }
    },
    generated: () => count,
  };
}
