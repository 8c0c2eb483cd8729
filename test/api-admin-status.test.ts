import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { streamCursors } from '../src/platform/db/schema.js';
import { type ContainerApp, startContainerApp } from './helpers/container-app.js';

describe('the admin system status', () => {
  let h: ContainerApp;
  let admin: { headers: { authorization: string } };
  let member: { headers: { authorization: string } };

  beforeAll(async () => {
    h = await startContainerApp();
    admin = await h.user('admin@example.com', 'admin');
    member = await h.user('member@example.com');
    await h.infra.database.db.insert(streamCursors).values({
      streamKey: 'posts:r/saas',
      kind: 'posts',
      subreddits: ['saas'],
      lastPolledAt: new Date(Date.now() - 42_000),
      itemsPerMinute: 3.5,
      pollIntervalMs: 30_000,
    });
    await h.container.queue.enqueue('maintenance', { task: 'prune_items' }, { delayMs: 60_000 });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('when an admin asks, then queue depths, the AI breaker and each stream with its lag come back', async () => {
    const res = await h.app.inject({ url: '/api/v1/admin/status', headers: admin.headers });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.queues.find((q: { name: string }) => q.name === 'maintenance').delayed).toBe(1);
    expect(body.ai_breaker.state).toBe('not used (local scorer)');
    expect(body.reddit_budget).toBeNull();
    expect(body.streams).toHaveLength(1);
    expect(body.streams[0]).toMatchObject({ key: 'posts:r/saas', items_per_minute: 3.5, poll_interval_s: 30 });
    expect(body.streams[0].lag_seconds).toBeGreaterThanOrEqual(42);
  });

  it('when a member asks, then the route is refused without data', async () => {
    const res = await h.app.inject({ url: '/api/v1/admin/status', headers: member.headers });
    expect(res.statusCode).toBeGreaterThanOrEqual(400);
    expect(res.statusCode).toBeLessThan(500);
    expect(res.body).not.toContain('posts:r/saas');
  });
});
