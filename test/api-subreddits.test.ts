import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redditItems } from '../src/platform/db/schema.js';
import { type ContainerApp, startContainerApp } from './helpers/container-app.js';
import { itemRow } from './helpers/rows.js';

describe('subreddit suggestions for the campaign editor', () => {
  let h: ContainerApp;
  let headers: { authorization: string };

  beforeAll(async () => {
    h = await startContainerApp({ REDDIT_SOURCE: 'none' });
    headers = (await h.user('s@example.com')).headers;
    const item = (fullname: string, subreddit: string) => itemRow(fullname, { subreddit });
    await h.infra.database.db
      .insert(redditItems)
      .values([item('t3_a', 'sailing'), item('t3_b', 'saas'), item('t3_c', 'saas'), item('t3_d', 'excel')]);
  });
  afterAll(async () => {
    await h?.close();
  });

  const suggest = async (q: string) => {
    const res = await h.app.inject({ url: `/api/v1/subreddits/suggest?q=${encodeURIComponent(q)}`, headers });
    expect(res.statusCode).toBe(200);
    return res.json().items as { name: string; source: string }[];
  };

  it('when the user types the start of a name, then subreddits already seen come first, busiest first', async () => {
    const items = await suggest('r/sa');
    expect(items.slice(0, 2).map((i) => i.name)).toEqual(['saas', 'sailing']);
    expect(items[0]?.source).toBe('seen');
  });

  it('when the user types a topic word, then well-known communities for it are suggested', async () => {
    const items = await suggest('project management');
    expect(items.map((i) => i.name)).toContain('projectmanagement');
    expect(items.every((i) => i.source === 'topic')).toBe(true);
  });

  it('when the query is empty, then the answer is a 400 problem', async () => {
    const res = await h.app.inject({ url: '/api/v1/subreddits/suggest?q=', headers });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
  });
});
