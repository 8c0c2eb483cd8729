import { describe, expect, it } from 'vitest';
import { loadFixtureThings, readRecordedListings } from '../src/reddit/fake-server/fixtures.js';
import { listingSchema, parseListing } from '../src/reddit/things.schemas.js';

const CASSETTES = new URL('../../shared/reddit-fixtures/praw-cassettes/', import.meta.url);

describe('recorded Reddit listings', () => {
  const recorded = readRecordedListings(CASSETTES);

  function totals(file: string) {
    const listed: Record<string, number> = {};
    const distinct = new Map<string, Set<string>>();
    for (const r of recorded.filter((x) => x.file === file)) {
      const parsed = parseListing(r.body)!;
      for (const t of parsed.things) {
        const kind = t.fullname.slice(0, 2);
        listed[kind] = (listed[kind] ?? 0) + 1;
        if (!distinct.has(kind)) distinct.set(kind, new Set());
        distinct.get(kind)!.add(t.fullname);
      }
      listed.t5 = (listed.t5 ?? 0) + parsed.subreddits.length;
      if (!distinct.has('t5')) distinct.set('t5', new Set());
      for (const s of parsed.subreddits) distinct.get('t5')!.add(s.name);
    }
    const d = Object.fromEntries([...distinct].map(([k, v]) => [k, v.size]).filter(([, n]) => n !== 0));
    return { listed: Object.fromEntries(Object.entries(listed).filter(([, n]) => n !== 0)), distinct: d };
  }

  it('when every listing body of every cassette is parsed, then each child is kept and none is malformed', () => {
    expect(recorded.length).toBe(57);
    for (const r of recorded) {
      const parsed = parseListing(r.body);
      expect(parsed, `${r.file} ${r.uri}`).not.toBeNull();
      const children = listingSchema.parse(r.body).data.children;
      const known = children.filter((c) => ['t1', 't3', 't5'].includes(c.kind)).length;
      expect(parsed!.malformed, `${r.file} ${r.uri}`).toBe(0);
      expect(parsed!.things.length + parsed!.subreddits.length).toBe(known);
    }
  });

  it('when the r/all comment stream recording is parsed, then its 1,193 listed comments are 417 distinct ones', () => {
    expect(totals('TestSubredditStreams.test_comments.json')).toEqual({ listed: { t1: 1193 }, distinct: { t1: 417 } });
  });

  it('when the other recordings are parsed, then the totals match the fixtures README', () => {
    expect(totals('TestSubredditStreams.test_submissions.json').distinct).toEqual({ t3: 104 });
    expect(totals('TestListingGenerator.test_exhaust_items_with_before.json').distinct).toEqual({ t3: 525, t1: 998 });
    expect(totals('TestListingGenerator.test_exhaust_items.json').listed).toEqual({ t1: 990, t3: 11 });
    expect(totals('TestReddit.test_info.json').distinct).toEqual({ t1: 100, t3: 97, t5: 100 });
    expect(totals('TestSubreddits.test_search.json').distinct).toEqual({ t5: 37 });
    expect(totals('TestSubreddit.test_search.json').distinct).toEqual({ t3: 6 });
  });

  it('when a 2016 comment without a permalink is normalised, then it gets Reddit-style fields and a built permalink', () => {
    const body = recorded.find((r) => r.file === 'TestSubredditStreams.test_comments.json')!.body;
    const c = parseListing(body)!.things.find((t) => t.fullname === 't1_dbhn11d')!;
    expect(c).toEqual({
      fullname: 't1_dbhn11d',
      kind: 'comment',
      subreddit: 'coins',
      author: 'Mametaro',
      title: "What's this?",
      body: expect.stringContaining('1979 (Showa 54) 10 Yen'),
      permalink: '/r/coins/comments/5jffj1/_/dbhn11d/',
      url: null,
      linkId: 't3_5jffj1',
      score: 1,
      over18: false,
      createdUtc: new Date(1482373040 * 1000),
    });
  });

  it('when a post is normalised, then the subreddit is lower-cased and the permalink is kept as Reddit gave it', () => {
    const body = recorded.find((r) => r.file === 'TestSubredditStreams.test_submissions.json')!.body;
    const posts = parseListing(body)!.things;
    expect(posts.every((p) => p.kind === 'post' && p.linkId === null && p.permalink.startsWith('/r/'))).toBe(true);
    expect(posts.every((p) => p.subreddit === p.subreddit.toLowerCase())).toBe(true);
    const raw = listingSchema.parse(body).data.children[0]!.data as { permalink: string; created_utc: number };
    expect(posts[0]!.permalink).toBe(raw.permalink);
    expect(posts[0]!.createdUtc.getTime()).toBe(Math.round(raw.created_utc * 1000));
  });

  it('when the fake server loader reads the cassettes, then every distinct thing is loaded once', () => {
    const things = loadFixtureThings(CASSETTES);
    const names = new Set(things.map((t) => t.fullname));
    expect(names.size).toBe(things.length);
    expect(things.filter((t) => t.kind === 't5').length).toBeGreaterThanOrEqual(137);
    expect(names.has('t1_dbhn11d')).toBe(true);
  });
});
