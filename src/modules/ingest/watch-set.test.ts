import { describe, expect, it } from 'vitest';
import { deriveWatchSet, groupSubreddits, parseStreamKey, streamKey } from './watch-set.js';

const names = (n: number, prefix = 'sub') => Array.from({ length: n }, (_, i) => `${prefix}${i}`);

describe('watch set', () => {
  it('when two campaigns share subreddits, then each subreddit is read by exactly one posts and one comments stream', () => {
    const streams = deriveWatchSet(
      [
        { subreddits: ['SaaS', 'r/startups', 'smallbusiness'], watchAll: false },
        { subreddits: ['saas', 'sales'], watchAll: false },
      ],
      50,
    );
    expect(streams.map((s) => s.key).sort()).toEqual(['comments:r/saas+sales+smallbusiness+startups', 'posts:r/saas+sales+smallbusiness+startups']);
  });

  it('when any campaign watches all of Reddit, then r/all posts and comments streams are added', () => {
    const keys = deriveWatchSet([{ subreddits: [], watchAll: true }], 50).map((s) => s.key);
    expect(keys).toEqual(['posts:r/all', 'comments:r/all']);
  });

  it('when there are more subreddits than fit one stream, then no stream exceeds the limit and every name is kept once', () => {
    const groups = groupSubreddits(names(230), 20);
    expect(Math.max(...groups.map((g) => g.length))).toBeLessThanOrEqual(20);
    expect(groups.flat().sort()).toEqual(names(230).sort());
  });

  it('when one subreddit is added, then at most the one stream it lands in changes', () => {
    const before = groupSubreddits(names(200), 20).map((g) => g.join('+'));
    const after = groupSubreddits([...names(200), 'newcomer'], 20).map((g) => g.join('+'));
    const changed = after.filter((g) => !before.includes(g));
    const gone = before.filter((g) => !after.includes(g));
    expect(gone.length).toBe(1);
    expect(changed.length).toBeLessThanOrEqual(2);
  });

  it('when campaigns list invalid names, then they are ignored', () => {
    const keys = deriveWatchSet([{ subreddits: ['ok_name', 'bad name!', '', 'all'], watchAll: false }], 50).map((s) => s.key);
    expect(keys).toEqual(['posts:r/ok_name', 'comments:r/ok_name']);
  });

  it('when a key is parsed, then it round-trips and foreign keys are refused', () => {
    expect(parseStreamKey(streamKey('comments', ['a1', 'b2']))).toEqual({ key: 'comments:r/a1+b2', kind: 'comments', subreddits: ['a1', 'b2'] });
    expect(parseStreamKey('posts:r/all')?.subreddits).toBe('all');
    expect(parseStreamKey('search:foo')).toBeNull();
    expect(parseStreamKey('posts:r/a b')).toBeNull();
  });
});
