import type { NewRedditItem } from '../../src/platform/db/schema.js';

/** A stored Reddit post with sensible defaults, for tests that need rows in reddit_items. */
export function itemRow(fullname: string, overrides: Partial<NewRedditItem> = {}): NewRedditItem {
  const subreddit = overrides.subreddit ?? 'saas';
  return {
    fullname,
    kind: 'post',
    subreddit,
    author: 'someone',
    permalink: `/r/${subreddit}/comments/${fullname.slice(3)}/x/`,
    createdUtc: new Date(),
    ...overrides,
  };
}
