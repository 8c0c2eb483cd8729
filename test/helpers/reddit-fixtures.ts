import { readdirSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import type { MatchableItem } from '../../src/modules/matching/matcher.types.js';

/** The shared real Reddit data (see ../shared/reddit-fixtures/README.md), for tests and benches. */
const REDDIT_FIXTURES = new URL('../../../shared/reddit-fixtures/', import.meta.url);
const POSTS = new URL('top-posts-2013/posts.ndjson', REDDIT_FIXTURES);
const CASSETTES = new URL('praw-cassettes/', REDDIT_FIXTURES);

const postLine = z.object({
  data: z.object({ name: z.string(), subreddit: z.string(), title: z.string(), selftext: z.string().default('') }),
});

const cassetteFile = z.object({
  interactions: z.array(z.object({ response: z.object({ body: z.object({ string: z.string() }) }) })),
});

/** Every real post of the 2013 dump, as the matcher sees it (the dump has no author, score or NSFW flag). */
export function loadFixturePosts(): MatchableItem[] {
  const out: MatchableItem[] = [];
  for (const line of readFileSync(POSTS, 'utf8').split('\n')) {
    if (!line) continue;
    const d = postLine.parse(JSON.parse(line)).data;
    out.push({
      fullname: d.name,
      kind: 'post',
      subreddit: d.subreddit.toLowerCase(),
      author: '[unknown]',
      title: d.title,
      body: d.selftext,
      score: 0,
      over18: false,
    });
  }
  return out;
}

/**
 * Every distinct real comment in the recorded Reddit API responses, wherever it sits (listings,
 * reply trees, /api/info), with the thread title its listing carries as `title`.
 */
export function loadFixtureComments(): MatchableItem[] {
  const seen = new Map<string, MatchableItem>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const n of node) visit(n);
      return;
    }
    if (!node || typeof node !== 'object') return;
    const o = node as Record<string, unknown>;
    const d = o.data as Record<string, unknown> | undefined;
    if (o.kind === 't1' && d && typeof d.name === 'string' && typeof d.body === 'string') {
      seen.set(d.name, {
        fullname: d.name,
        kind: 'comment',
        subreddit: String(d.subreddit ?? '').toLowerCase(),
        author: String(d.author ?? '[deleted]'),
        title: String(d.link_title ?? ''),
        body: d.body,
        score: Number(d.score ?? 0),
        over18: Boolean(d.over_18),
      });
    }
    for (const v of Object.values(o)) visit(v);
  };
  for (const file of readdirSync(CASSETTES).filter((f) => f.endsWith('.json'))) {
    const cassette = cassetteFile.parse(JSON.parse(readFileSync(new URL(file, CASSETTES), 'utf8')));
    for (const i of cassette.interactions) {
      try {
        visit(JSON.parse(i.response.body.string));
      } catch {
        // Token exchanges and empty bodies are not listings.
      }
    }
  }
  return [...seen.values()];
}
