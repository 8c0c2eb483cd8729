import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import type { MatcherCampaign } from './matcher.types.js';
import { createMatcherProvider } from './matcher-provider.js';
import { createMemoryVersionSource } from './version-source.js';

const log = pino({ level: 'silent' });
const campaign = (rules: string[]): MatcherCampaign => ({
  id: 'c1',
  rules,
  negativeKeywords: [],
  subreddits: [],
  subredditDeny: [],
  authorDeny: [],
  minScore: null,
  includeNsfw: false,
});
const post = (title: string) => ({ fullname: 't3_1', kind: 'post' as const, subreddit: 's', author: 'a', title, body: '', score: 0, over18: false });

describe('createMatcherProvider', () => {
  it('when the version changes, then the old matcher serves until the rebuilt one replaces it', async () => {
    const versions = createMemoryVersionSource();
    let rules = ['crm'];
    let clock = 0;
    let loads = 0;
    const provider = createMatcherProvider({
      loadCampaigns: async () => {
        loads++;
        return [campaign(rules)];
      },
      currentVersion: versions.current,
      log,
      now: () => clock,
      chunkSize: 1,
    });
    const first = await provider.get();
    expect(first.version).toBe('0');
    expect(first.match(post('erp')).length).toBe(0);

    rules = ['erp'];
    await versions.bump();
    clock = 999;
    await provider.get();
    await provider.settled();
    expect(loads).toBe(1); // checked at most once per second

    clock = 1_000;
    expect(await provider.get()).toBe(first);
    await provider.settled();
    const second = await provider.get();
    expect(second.version).toBe('1');
    expect(second.match(post('erp')).length).toBe(1);

    clock = 5_000;
    await provider.get();
    await provider.settled();
    expect(loads).toBe(2); // same version: nothing rebuilt
  });

  it('when a rebuild fails, then the previous matcher keeps serving and a later check retries', async () => {
    const versions = createMemoryVersionSource();
    let fail = false;
    let clock = 0;
    const provider = createMatcherProvider({
      loadCampaigns: async () => {
        if (fail) throw new Error('database down');
        return [campaign(['crm'])];
      },
      currentVersion: versions.current,
      log,
      now: () => clock,
    });
    const first = await provider.get();
    fail = true;
    await versions.bump();
    clock = 2_000;
    await provider.get();
    await provider.settled();
    expect(await provider.get()).toBe(first);
    fail = false;
    clock = 4_000;
    await provider.get();
    await provider.settled();
    expect((await provider.get()).version).toBe('1');
  });

  it('when the first build fails, then the next call builds again instead of failing forever', async () => {
    let attempts = 0;
    const provider = createMatcherProvider({
      loadCampaigns: async () => {
        attempts++;
        if (attempts === 1) throw new Error('not yet');
        return [campaign(['crm'])];
      },
      currentVersion: async () => '7',
      log,
    });
    await expect(provider.get()).rejects.toThrow('not yet');
    expect((await provider.get()).version).toBe('7');
  });
});
