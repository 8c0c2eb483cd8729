import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UNKNOWN_OUTCOME } from '../src/modules/replies/replies.jobs.js';
import { leads, redditAccounts, replies } from '../src/platform/db/schema.js';
import { createLogger } from '../src/platform/logger.js';
import type { JobContext } from '../src/platform/queue/queue.js';
import { type ReplyWorld, startReplyWorld, type TestUser } from './replies-harness.js';

const USERS = {
  'code-alice': 'alice_sells',
  'refresh-alice_sells': 'alice_sells',
  'code-bob': 'bob_builds',
  'refresh-bob_builds': 'bob_builds',
};

const ctx: JobContext = { jobId: 'test', attempt: 1, log: createLogger({ level: 'silent', pretty: false }) };

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

let w: ReplyWorld;
let alice: TestUser;
let bob: TestUser;
let aliceAccount: string;
let bobAccount: string;

const db = () => w.t.database.db;
const replyRow = async (id: string) => (await db().select().from(replies).where(eq(replies.id, id)))[0]!;
const commentsBy = (username: string, parent: string) =>
  w.fake.store
    .visibleFullnames(Date.now() + 1_000)
    .map((f) => w.fake.store.get(f))
    .filter((t) => t?.kind === 't1' && t.data.author === username && t.data.parent_id === parent);
/** A fresh lead and a queued reply on it (through the API), the job not run yet. */
async function queued(user: TestUser, accountId: string, text = 'Try a shared inbox first.') {
  const lead = await w.seedLead(user.id);
  const res = await user.call({
    method: 'POST',
    url: `/api/v1/leads/${lead.leadId}/reply`,
    payload: { text, account_id: accountId },
  });
  expect(res.statusCode).toBe(202);
  return { ...lead, replyId: res.json<{ id: string }>().id };
}
/** Frees the account's posting slot, as if the pause had passed. */
const unpause = (accountId: string) =>
  db().update(redditAccounts).set({ pausedUntil: null }).where(eq(redditAccounts.id, accountId));

/** Each describe gets its own database, fake Reddit, queue prefix and two connected users. */
function useWorld(opts: { workers: boolean }): void {
  beforeAll(async () => {
    w = await startReplyWorld({ users: USERS, minIntervalMs: 60_000 });
    alice = await w.createUser('alice@example.com');
    bob = await w.createUser('bob@example.com');
    await w.connect(alice, 'code-alice');
    await w.connect(bob, 'code-bob');
    aliceAccount = (await db().select().from(redditAccounts).where(eq(redditAccounts.userId, alice.id)))[0]!.id;
    bobAccount = (await db().select().from(redditAccounts).where(eq(redditAccounts.userId, bob.id)))[0]!.id;
  });
  afterAll(async () => {
    await w.close();
  });

  if (opts.workers) {
    beforeAll(async () => {
      await w.queue.startWorkers([w.job], ['reply']);
    });
  }
}

describe('posting a human-approved reply through the queue', () => {
  useWorld({ workers: true });

  it('when a person approves a reply, then a worker posts it once on Reddit, stores its fullname and marks the lead contacted', async () => {
    const { leadId, fullname, replyId } = await queued(alice, aliceAccount, 'We use a shared inbox; worth a look.');
    expect(w.enqueued.at(-1)).toMatchObject({ queue: 'reply', payload: { replyId }, opts: { jobId: replyId } });

    const posted = await waitFor('the reply to be posted', async () => {
      const r = await replyRow(replyId);
      return r.status === 'posted' ? r : undefined;
    });
    expect(posted.redditFullname).toMatch(/^t1_[0-9a-z]+$/);
    expect(posted.text).toBe('We use a shared inbox; worth a look.');
    const comments = commentsBy('alice_sells', fullname);
    expect(comments).toHaveLength(1);
    expect(comments[0]!.fullname).toBe(posted.redditFullname);
    expect(comments[0]!.data.body).toBe('We use a shared inbox; worth a look.');
    const [lead] = await db().select().from(leads).where(eq(leads.id, leadId));
    expect(lead!.status).toBe('contacted');

    const list = await alice.call({ method: 'GET', url: `/api/v1/leads/${leadId}/replies` });
    expect(list.statusCode).toBe(200);
    expect(list.json<{ items: unknown[] }>().items).toEqual([
      expect.objectContaining({ id: replyId, status: 'posted', reddit_fullname: posted.redditFullname, error: null }),
    ]);
  });

  it('when two replies go out through one account, then the second waits the pacing interval', async () => {
    await unpause(aliceAccount);
    const first = await queued(alice, aliceAccount);
    const second = await queued(alice, aliceAccount);
    // The background worker may take either: wait until one is posted and the other was put off.
    const postponedFor = (id: string) =>
      w.enqueued.filter((e) => (e.payload as { replyId: string }).replyId === id && e.opts?.delayMs);
    await waitFor('one reply posted and the other postponed', async () => {
      const [a, b] = [await replyRow(first.replyId), await replyRow(second.replyId)];
      const done = (x: typeof a, y: typeof b) => x.status === 'posted' && postponedFor(y.id).length > 0;
      return done(a, b) || done(b, a) ? true : undefined;
    });
    const rows = [await replyRow(first.replyId), await replyRow(second.replyId)];
    expect(rows.map((r) => r.status).sort()).toEqual(['posted', 'queued']);
    const [account] = await db().select().from(redditAccounts).where(eq(redditAccounts.id, aliceAccount));
    const pausedForMs = account!.pausedUntil!.getTime() - w.clock.now().getTime();
    expect(pausedForMs).toBeGreaterThan(50_000);
    expect(pausedForMs).toBeLessThanOrEqual(60_000);
    const waiting = rows.find((r) => r.status === 'queued')!;
    const postponed = postponedFor(waiting.id);
    expect(postponed.length).toBeGreaterThan(0);
    expect(postponed.at(-1)!.opts!.delayMs).toBeGreaterThan(50_000);
  });

});

describe('the reply job', () => {
  useWorld({ workers: false });

  it('when the reply job runs twice, one after the other or at the same time, then Reddit gets one comment', async () => {
    await unpause(bobAccount);
    const { fullname, replyId } = await queued(bob, bobAccount);
    await Promise.all([w.job.process({ replyId }, ctx), w.job.process({ replyId }, ctx), w.job.process({ replyId }, ctx)]);
    await w.job.process({ replyId }, ctx);
    expect((await replyRow(replyId)).status).toBe('posted');
    expect(commentsBy('bob_builds', fullname)).toHaveLength(1);
  });

  it('when a reply to the lead is queued or posted, then pressing the button again is refused', async () => {
    const { leadId } = await queued(bob, bobAccount);
    const again = await bob.call({
      method: 'POST',
      url: `/api/v1/leads/${leadId}/reply`,
      payload: { text: 'second press', account_id: bobAccount },
    });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ code: 'reply_in_progress' });
    expect(await db().select().from(replies).where(eq(replies.leadId, leadId))).toHaveLength(1);
  });

  it('when a worker died after sending the comment, then a later run does not post again and asks the person to check', async () => {
    await unpause(bobAccount);
    const { fullname, replyId } = await queued(bob, bobAccount);
    // The state a crash leaves: the attempt was claimed, its outcome never recorded.
    const claimedAt = new Date(w.clock.now().getTime() - 5 * 60_000);
    await db().update(replies).set({ postedAt: claimedAt }).where(eq(replies.id, replyId));
    const before = w.fake.stats().comments;

    await expect(w.job.process({ replyId }, ctx)).rejects.toMatchObject({ name: 'UnrecoverableError' });
    const r = await replyRow(replyId);
    expect(r).toMatchObject({ status: 'failed', error: UNKNOWN_OUTCOME, redditFullname: null });
    expect(w.fake.stats().comments).toBe(before);
    expect(commentsBy('bob_builds', fullname)).toHaveLength(0);
  });

  it('when another attempt is still in flight, then the run steps back until that attempt is over', async () => {
    await unpause(bobAccount);
    const { replyId } = await queued(bob, bobAccount);
    const claimedAt = new Date(w.clock.now().getTime() - 1_000);
    await db().update(replies).set({ postedAt: claimedAt }).where(eq(replies.id, replyId));
    const before = w.fake.stats().comments;
    await w.job.process({ replyId }, ctx);
    expect(w.fake.stats().comments).toBe(before);
    const later = w.enqueued.at(-1)!;
    expect(later.payload).toEqual({ replyId });
    expect(later.opts?.jobId).not.toBe(replyId);
    expect(later.opts?.delayMs).toBeGreaterThan(25_000);
    expect(later.opts?.delayMs).toBeLessThanOrEqual(30_000);
    const res = await bob.call({ method: 'GET', url: `/api/v1/leads/${(await replyRow(replyId)).leadId}/replies` });
    expect(res.json<{ items: { status: string }[] }>().items[0]!.status).toBe('posting');
  });

  it('when Reddit answers RATELIMIT, then the account is paused for the wait it names and the reply is retried after it', async () => {
    await unpause(bobAccount);
    const { fullname, replyId } = await queued(bob, bobAccount);
    w.fake.queueCommentErrors([['RATELIMIT', 'You are doing that too much. Try again in 3 minutes.', 'ratelimit']]);
    const t0 = w.clock.now().getTime();
    await w.job.process({ replyId }, ctx);

    expect(await replyRow(replyId)).toMatchObject({ status: 'queued', postedAt: null, redditFullname: null });
    const [account] = await db().select().from(redditAccounts).where(eq(redditAccounts.id, bobAccount));
    const pausedMs = account!.pausedUntil!.getTime() - t0;
    expect(pausedMs).toBeGreaterThanOrEqual(180_000);
    expect(pausedMs).toBeLessThan(185_000);
    const retry = w.enqueued.at(-1)!;
    expect(retry.payload).toEqual({ replyId });
    expect(retry.opts?.delayMs).toBeGreaterThan(175_000);
    expect(retry.opts?.delayMs).toBeLessThanOrEqual(180_000);

    // Too early: still paused, nothing sent.
    const sent = w.fake.stats().comments;
    await w.job.process({ replyId }, ctx);
    expect(w.fake.stats().comments).toBe(sent);
    // After the wait the retry posts it.
    w.clock.advance(181_000);
    await w.job.process({ replyId }, ctx);
    expect((await replyRow(replyId)).status).toBe('posted');
    expect(commentsBy('bob_builds', fullname)).toHaveLength(1);
  });

  it.each([
    ['THREAD_LOCKED', 'that thread is locked', /locked/],
    ['TOO_OLD', "that's a piece of history now; it's too old to reply to", /archived/],
    ['DELETED_COMMENT', 'that comment has been deleted', /deleted/],
    ['SUBREDDIT_NOTALLOWED', "you aren't allowed to post there.", /subreddit/],
  ])('when Reddit answers %s, then the reply fails for good with a readable error and is not retried', async (code, message, readable) => {
    w.clock.advance(120_000);
    const { replyId } = await queued(bob, bobAccount);
    w.fake.queueCommentErrors([[code, message, 'parent']]);
    await expect(w.job.process({ replyId }, ctx)).rejects.toMatchObject({ name: 'UnrecoverableError' });
    const r = await replyRow(replyId);
    expect(r.status).toBe('failed');
    expect(r.error).toMatch(readable);
    const sent = w.fake.stats().comments;
    await w.job.process({ replyId }, ctx);
    expect(w.fake.stats().comments).toBe(sent);
  });

  it('when the account is suspended (403), then the reply fails', async () => {
    w.clock.advance(120_000);
    const { replyId } = await queued(bob, bobAccount);
    w.fake.failNext(1, 403);
    await expect(w.job.process({ replyId }, ctx)).rejects.toMatchObject({ name: 'UnrecoverableError' });
    expect(await replyRow(replyId)).toMatchObject({
      status: 'failed',
      error: 'Reddit refused the account (suspended or banned).',
    });
  });

  it('when Reddit fails without an answer, then the reply is not retried (it may have been posted) and says so', async () => {
    w.clock.advance(120_000);
    const { replyId } = await queued(bob, bobAccount);
    w.fake.failNext(1, 503);
    await expect(w.job.process({ replyId }, ctx)).rejects.toMatchObject({ name: 'UnrecoverableError' });
    expect(await replyRow(replyId)).toMatchObject({ status: 'failed', error: UNKNOWN_OUTCOME });
  });

  it('when a failed reply is approved again, then the same row is queued and posted', async () => {
    w.clock.advance(120_000);
    const { leadId, fullname, replyId } = await queued(bob, bobAccount);
    await db().update(replies).set({ status: 'failed', error: 'earlier failure' }).where(eq(replies.id, replyId));
    const res = await bob.call({
      method: 'POST',
      url: `/api/v1/leads/${leadId}/reply`,
      payload: { text: 'Edited after the failure.', account_id: bobAccount, reply_id: replyId },
    });
    expect(res.statusCode).toBe(202);
    expect(res.json()).toEqual({ id: replyId, status: 'queued' });
    await w.job.process({ replyId }, ctx);
    const r = await replyRow(replyId);
    expect(r).toMatchObject({ status: 'posted', text: 'Edited after the failure.', error: null });
    expect(commentsBy('bob_builds', fullname).map((c) => c?.data.body)).toEqual(['Edited after the failure.']);
  });

  it("when the account's access was revoked at Reddit, then the reply fails asking to reconnect", async () => {
    w.clock.advance(120_000);
    const { replyId } = await queued(bob, bobAccount);
    await db()
      .update(redditAccounts)
      .set({ refreshTokenEnc: w.box.seal('refresh-revoked') })
      .where(eq(redditAccounts.id, bobAccount));
    try {
      await expect(w.job.process({ replyId }, ctx)).rejects.toMatchObject({ name: 'UnrecoverableError' });
      const r = await replyRow(replyId);
      expect(r.status).toBe('failed');
      expect(r.error).toMatch(/connect it again/);
    } finally {
      await db()
        .update(redditAccounts)
        .set({ refreshTokenEnc: w.box.seal('refresh-bob_builds') })
        .where(eq(redditAccounts.id, bobAccount));
    }
  });

  it("when a user posts through another user's account or on another user's lead, then it is a 404 and nothing is queued", async () => {
    const bobsLead = await w.seedLead(bob.id);
    const alicesLead = await w.seedLead(alice.id);
    const foreignAccount = await alice.call({
      method: 'POST',
      url: `/api/v1/leads/${alicesLead.leadId}/reply`,
      payload: { text: 'hi', account_id: bobAccount },
    });
    expect(foreignAccount.statusCode).toBe(404);
    expect(foreignAccount.json()).toMatchObject({ code: 'reddit_account_not_found' });
    const foreignLead = await alice.call({
      method: 'POST',
      url: `/api/v1/leads/${bobsLead.leadId}/reply`,
      payload: { text: 'hi', account_id: aliceAccount },
    });
    expect(foreignLead.statusCode).toBe(404);
    expect(foreignLead.json()).toMatchObject({ code: 'lead_not_found' });
    const list = await alice.call({ method: 'GET', url: `/api/v1/leads/${bobsLead.leadId}/replies` });
    expect(list.statusCode).toBe(404);
    expect(await db().select().from(replies).where(eq(replies.leadId, bobsLead.leadId))).toHaveLength(0);
    expect(await db().select().from(replies).where(eq(replies.leadId, alicesLead.leadId))).toHaveLength(0);
  });

  it('when the text is empty or longer than Reddit allows, then the request is refused', async () => {
    const { leadId } = await w.seedLead(alice.id);
    for (const text of ['   ', 'x'.repeat(10_001)]) {
      const res = await alice.call({
        method: 'POST',
        url: `/api/v1/leads/${leadId}/reply`,
        payload: { text, account_id: aliceAccount },
      });
      expect(res.statusCode).toBe(400);
    }
  });
});
