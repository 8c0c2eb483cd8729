import { readdirSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import type { MatchableItem } from '../src/modules/matching/matcher.types.js';

/** Real Reddit posts and comments from ../shared/reddit-fixtures, as the matcher sees them. */

export const FIXTURES_DIR = new URL('../../shared/reddit-fixtures/', import.meta.url);

const thing = z.object({
  kind: z.string(),
  data: z
    .object({
      name: z.string(),
      subreddit: z.string().default(''),
      author: z.string().default('[deleted]'),
      title: z.string().optional(),
      link_title: z.string().optional(),
      selftext: z.string().optional(),
      body: z.string().optional(),
      score: z.number().default(0),
      over_18: z.boolean().optional(),
    })
    .loose(),
});

function toItem(raw: unknown): MatchableItem | null {
  const parsed = thing.safeParse(raw);
  if (!parsed.success) return null;
  const { kind, data } = parsed.data;
  if (kind !== 't3' && kind !== 't1') return null;
  return {
    fullname: data.name,
    kind: kind === 't3' ? 'post' : 'comment',
    subreddit: data.subreddit.toLowerCase(),
    author: data.author,
    title: (kind === 't3' ? data.title : data.link_title) ?? '',
    body: (kind === 't3' ? data.selftext : data.body) ?? '',
    score: data.score,
    over18: data.over_18 ?? false,
  };
}

/** The 5,977 top posts of 2013 (title and self text). */
export function loadTopPosts(): MatchableItem[] {
  const text = readFileSync(new URL('top-posts-2013/posts.ndjson', FIXTURES_DIR), 'utf8');
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => toItem(JSON.parse(l)))
    .filter((x): x is MatchableItem => x !== null);
}

function listingChildren(value: unknown): unknown[] {
  const listing = z.object({ data: z.object({ children: z.array(z.unknown()) }) });
  const arr = Array.isArray(value) ? value : [value];
  return arr.flatMap((v) => {
    const p = listing.safeParse(v);
    return p.success ? p.data.data.children : [];
  });
}

/** Every post and comment in the recorded API responses, deduplicated by fullname. */
export function loadCassetteItems(): MatchableItem[] {
  const dir = new URL('praw-cassettes/', FIXTURES_DIR);
  const cassette = z.object({
    interactions: z.array(z.object({ response: z.object({ body: z.object({ string: z.string() }) }) })),
  });
  const seen = new Map<string, MatchableItem>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
    const parsed = cassette.safeParse(JSON.parse(readFileSync(new URL(file, dir), 'utf8')));
    if (!parsed.success) continue;
    for (const interaction of parsed.data.interactions) {
      let body: unknown;
      try {
        body = JSON.parse(interaction.response.body.string);
      } catch {
        continue;
      }
      for (const child of listingChildren(body)) {
        const item = toItem(child);
        if (item && !seen.has(item.fullname)) seen.set(item.fullname, item);
      }
    }
  }
  return [...seen.values()];
}
