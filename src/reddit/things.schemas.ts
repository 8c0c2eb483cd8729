import { z } from 'zod';
import type { RedditThing, SubredditInfo } from './types.js';

/**
 * Lenient schemas for Reddit's JSON: they require the fields Subscout uses and ignore the
 * rest, because Reddit adds and drops fields across years (the recordings span 2016-2023).
 */

const author = z.string().nullish().transform((v) => v ?? '[deleted]');
const text = z.string().nullish().transform((v) => v ?? '');
const score = z.number().nullish().transform((v) => v ?? 0);

export const postDataSchema = z.object({
  id: z.string().min(1),
  name: z.string().optional(),
  subreddit: z.string().min(1),
  author,
  title: text,
  selftext: text,
  url: z.string().nullish(),
  permalink: z.string().min(1),
  created_utc: z.number(),
  score,
  over_18: z.boolean().nullish(),
});

export const commentDataSchema = z.object({
  id: z.string().min(1),
  name: z.string().optional(),
  subreddit: z.string().min(1),
  author,
  body: text,
  link_id: z.string().startsWith('t3_'),
  parent_id: z.string().optional(),
  link_title: z.string().nullish(),
  permalink: z.string().nullish(),
  created_utc: z.number(),
  score,
  over_18: z.boolean().nullish(),
});

export const subredditDataSchema = z.object({
  display_name: z.string().min(1),
  title: text,
  subscribers: z.number().nullish(),
  over18: z.boolean().nullish(),
  public_description: text,
});

export const childSchema = z.object({ kind: z.string(), data: z.unknown() });

export const listingSchema = z.object({
  kind: z.literal('Listing'),
  data: z.object({
    after: z.string().nullish(),
    before: z.string().nullish(),
    children: z.array(childSchema),
  }),
});

export type RawChild = z.infer<typeof childSchema>;

function secondsToDate(seconds: number): Date {
  return new Date(Math.round(seconds * 1000));
}

/** Normalises a t3 or t1 child; null for other kinds or a child missing what Subscout needs. */
export function toRedditThing(child: RawChild): RedditThing | null {
  if (child.kind === 't3') {
    const p = postDataSchema.safeParse(child.data);
    if (!p.success) return null;
    const d = p.data;
    return {
      fullname: d.name ?? `t3_${d.id}`,
      kind: 'post',
      subreddit: d.subreddit.toLowerCase(),
      author: d.author,
      title: d.title,
      body: d.selftext,
      permalink: d.permalink,
      url: d.url ?? null,
      linkId: null,
      score: d.score,
      over18: d.over_18 ?? false,
      createdUtc: secondsToDate(d.created_utc),
    };
  }
  if (child.kind === 't1') {
    const p = commentDataSchema.safeParse(child.data);
    if (!p.success) return null;
    const d = p.data;
    return {
      fullname: d.name ?? `t1_${d.id}`,
      kind: 'comment',
      subreddit: d.subreddit.toLowerCase(),
      author: d.author,
      title: d.link_title ?? '',
      body: d.body,
      // Older listings omit a comment's permalink; this is the form Reddit itself uses.
      permalink: d.permalink ?? `/r/${d.subreddit}/comments/${d.link_id.slice(3)}/_/${d.id}/`,
      url: null,
      linkId: d.link_id,
      score: d.score,
      over18: d.over_18 ?? false,
      createdUtc: secondsToDate(d.created_utc),
    };
  }
  return null;
}

export function toSubredditInfo(child: RawChild): SubredditInfo | null {
  if (child.kind !== 't5') return null;
  const p = subredditDataSchema.safeParse(child.data);
  if (!p.success) return null;
  const d = p.data;
  return {
    name: d.display_name,
    title: d.title,
    subscribers: d.subscribers ?? null,
    over18: d.over18 ?? false,
    description: d.public_description,
  };
}

export interface ParsedListing {
  things: RedditThing[];
  subreddits: SubredditInfo[];
  after: string | null;
  before: string | null;
  /** Children of a known kind that lacked a required field (logged, never fatal). */
  malformed: number;
}

/** Parses a Listing body; returns null when the body is not a Listing at all. */
export function parseListing(body: unknown): ParsedListing | null {
  const listing = listingSchema.safeParse(body);
  if (!listing.success) return null;
  const out: ParsedListing = {
    things: [],
    subreddits: [],
    after: listing.data.data.after ?? null,
    before: listing.data.data.before ?? null,
    malformed: 0,
  };
  for (const child of listing.data.data.children) {
    if (child.kind === 't1' || child.kind === 't3') {
      const thing = toRedditThing(child);
      if (thing) out.things.push(thing);
      else out.malformed++;
    } else if (child.kind === 't5') {
      const sub = toSubredditInfo(child);
      if (sub) out.subreddits.push(sub);
      else out.malformed++;
    }
  }
  return out;
}
