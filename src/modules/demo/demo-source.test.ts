import { describe, expect, it } from 'vitest';
import { createDemoRedditClient, DEMO_EPOCH_MS, loadDemoTemplates } from './demo-source.js';

describe('demo source', () => {
  it('when the shipped set is loaded, then it has about 150 posts and comments', () => {
    const items = loadDemoTemplates();
    expect(items.length).toBeGreaterThanOrEqual(140);
    expect(items.some((i) => i.kind === 'comment')).toBe(true);
  });

  it('when time passes, then new items appear at the configured rate with stable fullnames', async () => {
    let now = DEMO_EPOCH_MS + 86_400_000;
    const demo = createDemoRedditClient({ now: () => now, itemsPerMinute: 30 });
    const first = await demo.newPosts('all', { limit: 100 });
    expect(first.items).toHaveLength(100);
    expect(first.items[0]!.createdUtc.getTime()).toBeLessThanOrEqual(now);
    now += 60_000;
    const later = await demo.newPosts('all', { limit: 100 });
    const fresh = later.items.filter((i) => !first.items.some((f) => f.fullname === i.fullname));
    expect(fresh.length).toBeGreaterThan(10);
    expect(fresh.length).toBeLessThanOrEqual(30);
    const again = createDemoRedditClient({ now: () => now, itemsPerMinute: 30 });
    expect((await again.newPosts('all', { limit: 5 })).items.map((i) => i.fullname)).toEqual(later.items.slice(0, 5).map((i) => i.fullname));
  });

  it('when comments are listed for some subreddits, then each belongs to one of them and points at a demo post', async () => {
    const demo = createDemoRedditClient({ now: () => DEMO_EPOCH_MS + 3_600_000, itemsPerMinute: 20 });
    const page = await demo.newComments(['saas', 'startups'], { limit: 50 });
    expect(page.items.length).toBeGreaterThan(0);
    for (const c of page.items) {
      expect(['saas', 'startups']).toContain(c.subreddit);
      expect(c.linkId).toMatch(/^t3_dm/);
    }
    const older = await demo.newComments(['saas', 'startups'], { limit: 50, after: page.items.at(-1)!.fullname });
    expect(older.items[0]!.createdUtc.getTime()).toBeLessThan(page.items.at(-1)!.createdUtc.getTime());
  });
});
