import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { eq, sql } from 'drizzle-orm';
import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type ImportProgress, importRedditFile } from '../src/modules/ingest/import.js';
import { redditItems } from '../src/platform/db/schema.js';
import { producerFrom } from './helpers/recording-queue.js';
import { createTestDatabase, type TestDatabase } from './helpers/services.js';

const log = pino({ level: 'silent' });
const POSTS = fileURLToPath(new URL('../../shared/reddit-fixtures/top-posts-2013/posts.ndjson', import.meta.url));
const CASSETTE = fileURLToPath(new URL('../../shared/reddit-fixtures/praw-cassettes/TestSubredditStreams.test_comments.json', import.meta.url));

function recordingQueue() {
  const jobs: { itemIds: string[]; jobId: string | undefined }[] = [];
  const queue = producerFrom(async (_q, payload, opts) => {
    jobs.push({ itemIds: (payload as { itemIds: string[] }).itemIds, jobId: opts?.jobId });
  });
  return { queue, jobs };
}

describe('ingest: import of Reddit JSON files', () => {
  let t: TestDatabase;
  let dir: string;
  beforeAll(async () => {
    t = await createTestDatabase();
    dir = mkdtempSync(join(tmpdir(), 'subscout-import-'));
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await t?.drop();
  });
  beforeEach(async () => {
    await t.database.db.execute(sql`truncate reddit_items cascade`);
  });

  it('when the 2013 top-posts dump is imported twice, then 5,977 posts are stored once and handed to matching once', async () => {
    const { db } = t.database;
    const q = recordingQueue();
    const progress: ImportProgress[] = [];
    const first = await importRedditFile({ db, queue: q.queue, log, path: POSTS, onProgress: (p) => progress.push(p) });
    expect(first).toEqual({ read: 5977, inserted: 5977, duplicate: 0, invalid: [] });
    expect(progress.at(-1)!.bytesRead).toBeGreaterThanOrEqual(progress.at(-1)!.totalBytes - 1);
    expect(q.jobs.every((j) => j.itemIds.length <= 500 && j.jobId?.startsWith('match-'))).toBe(true);
    expect(q.jobs.flatMap((j) => j.itemIds).length).toBe(5977);

    const again = await importRedditFile({ db, queue: q.queue, log, path: POSTS });
    expect(again).toMatchObject({ read: 5977, inserted: 0, duplicate: 5977 });
    const rows = await db.select({ n: sql<number>`count(*)::int` }).from(redditItems).where(eq(redditItems.source, 'import'));
    expect(rows[0]!.n).toBe(5977);
  });

  it('when NDJSON mixes wrapped, bare and broken lines, then the good ones are stored and the bad ones reported by line', async () => {
    const path = join(dir, 'mixed.ndjson');
    const post = { id: 'abc1', name: 't3_abc1', subreddit: 'SaaS', author: 'x', title: 'Need a CRM', selftext: '', permalink: '/r/SaaS/comments/abc1/', created_utc: 1_700_000_000 };
    const comment = { id: 'def2', name: 't1_def2', subreddit: 'saas', author: 'y', body: 'try something', link_id: 't3_abc1', created_utc: 1_700_000_100 };
    writeFileSync(path, [JSON.stringify({ kind: 't3', data: post }), JSON.stringify(comment), '{not json', '', JSON.stringify({ kind: 't1', data: { id: 'zz' } })].join('\n'));
    const result = await importRedditFile({ db: t.database.db, queue: recordingQueue().queue, log, path });
    expect(result.read).toBe(2);
    expect(result.inserted).toBe(2);
    expect(result.invalid).toEqual([
      { line: 3, reason: 'not JSON' },
      { line: 5, reason: 'not a post or comment' },
    ]);
    const rows = await t.database.db.select().from(redditItems);
    expect(rows.map((r) => [r.fullname, r.kind, r.subreddit]).sort()).toEqual([
      ['t1_def2', 'comment', 'saas'],
      ['t3_abc1', 'post', 'saas'],
    ]);
  });

  it('when a pretty-printed Listing response is imported, then its comments are stored', async () => {
    const cassette = JSON.parse(readFileSync(CASSETTE, 'utf8')) as { interactions: { response: { body: { string: string } } }[] };
    const body = JSON.parse(cassette.interactions[1]!.response.body.string) as { data: { children: unknown[] } };
    const path = join(dir, 'listing.json');
    writeFileSync(path, JSON.stringify(body, null, 2));
    const result = await importRedditFile({ db: t.database.db, queue: recordingQueue().queue, log, path });
    expect(result).toEqual({ read: 100, inserted: 100, duplicate: 0, invalid: [] });
  });
});
