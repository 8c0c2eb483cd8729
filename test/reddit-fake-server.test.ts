import { afterEach, describe, expect, it } from 'vitest';
import { createManualClock } from '../src/reddit/fake-server/clock.js';
import { type FakeReddit, startFakeReddit } from '../src/reddit/fake-server/server.js';
import type { StoredThing } from '../src/reddit/fake-server/thing-store.js';

const T0 = Date.UTC(2025, 5, 1);

function post(n: number, sub = 'alpha', createdMs = T0 + n * 1000): StoredThing {
  const id = (1_000_000 + n).toString(36);
  return {
    fullname: `t3_${id}`,
    kind: 't3',
    subreddit: sub,
    createdMs,
    visibleAtMs: createdMs,
    data: { id, name: `t3_${id}`, subreddit: sub, author: 'a', title: `post ${n}`, selftext: '', url: null, permalink: `/r/${sub}/comments/${id}/x/`, created_utc: createdMs / 1000, score: 1 },
    text: `post ${n}`,
  };
}

interface ListingBody {
  data: { after: string | null; before: string | null; children: { kind: string; data: { name: string } }[] };
}

let fake: FakeReddit | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function appToken(f: FakeReddit, form = 'grant_type=client_credentials', basic = 'fake-client:fake-secret') {
  const res = await fetch(`${f.url}/api/v1/access_token`, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from(basic).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: form,
  });
  return { status: res.status, body: (await res.json()) as { access_token?: string; expires_in?: number } };
}

async function get(f: FakeReddit, token: string, path: string) {
  const res = await fetch(`${f.url}${path}`, { headers: { authorization: `bearer ${token}` } });
  return { status: res.status, headers: res.headers, body: (await res.json()) as ListingBody };
}

const names = (b: ListingBody) => b.data.children.map((c) => c.data.name);

describe('fake Reddit server', () => {
  it('when the app credentials are wrong or missing, then no token is issued and the API answers 401', async () => {
    fake = await startFakeReddit({ clock: createManualClock(T0) });
    expect((await appToken(fake, 'grant_type=client_credentials', 'fake-client:nope')).status).toBe(401);
    expect((await appToken(fake, 'grant_type=password')).status).toBe(400);
    expect((await get(fake, 'made-up', '/r/all/new')).status).toBe(401);
    const ok = await appToken(fake);
    expect(ok.body.expires_in).toBe(3600);
    expect((await get(fake, ok.body.access_token!, '/r/all/new')).status).toBe(200);
  });

  it('when an installed app asks, then it needs the installed_client grant with a 20-30 character device id', async () => {
    fake = await startFakeReddit({ clientSecret: '', clock: createManualClock(T0) });
    const grant = 'grant_type=https%3A%2F%2Foauth.reddit.com%2Fgrants%2Finstalled_client';
    expect((await appToken(fake, 'grant_type=client_credentials', 'fake-client:')).status).toBe(400);
    expect((await appToken(fake, `${grant}&device_id=short`, 'fake-client:')).status).toBe(400);
    expect((await appToken(fake, `${grant}&device_id=DO_NOT_TRACK_THIS_DEVICE`, 'fake-client:')).status).toBe(200);
  });

  it('when paging with after and before, then pages follow Reddit order and cursor rules', async () => {
    const clock = createManualClock(T0 + 1_000_000);
    fake = await startFakeReddit({ clock, things: Array.from({ length: 250 }, (_, i) => post(i)) });
    const token = (await appToken(fake)).body.access_token!;
    const first = (await get(fake, token, '/r/alpha/new?limit=100&raw_json=1')).body;
    expect(names(first)[0]).toBe(post(249).fullname);
    expect(first.data.after).toBe(post(150).fullname);
    expect(first.data.before).toBeNull();
    const second = (await get(fake, token, `/r/alpha/new?limit=100&after=${first.data.after}`)).body;
    expect(names(second)[0]).toBe(post(149).fullname);
    const last = (await get(fake, token, `/r/alpha/new?limit=100&after=${post(50).fullname}`)).body;
    expect(names(last)).toHaveLength(50);
    expect(last.data.after).toBeNull();
    // before=X is the page just newer than X, still newest first.
    const newer = (await get(fake, token, `/r/alpha/new?limit=10&before=${post(100).fullname}`)).body;
    expect(names(newer)).toEqual([110, 109, 108, 107, 106, 105, 104, 103, 102, 101].map((n) => post(n).fullname));
    const nothingNew = (await get(fake, token, `/r/alpha/new?before=${post(249).fullname}`)).body;
    expect(names(nothingNew)).toEqual([]);
  });

  it('when a listing is walked back, then it stops at 1,000 items and a cursor beyond that gives an empty page', async () => {
    const clock = createManualClock(T0 + 2_000_000);
    fake = await startFakeReddit({ clock, things: Array.from({ length: 1200 }, (_, i) => post(i)) });
    const token = (await appToken(fake)).body.access_token!;
    const seen: string[] = [];
    let after: string | null = null;
    do {
      const body: ListingBody = (await get(fake, token, `/r/alpha/new?limit=100${after ? `&after=${after}` : ''}`)).body;
      seen.push(...names(body));
      after = body.data.after;
    } while (after);
    expect(seen).toHaveLength(1000);
    expect(seen.at(-1)).toBe(post(200).fullname);
    expect(names((await get(fake, token, `/r/alpha/new?after=${post(150).fullname}`)).body)).toEqual([]);
    expect(names((await get(fake, token, `/r/alpha/new?before=${post(150).fullname}`)).body)).toEqual([]);
  });

  it('when the cursor item was deleted, then the page is empty like "nothing new"', async () => {
    fake = await startFakeReddit({ clock: createManualClock(T0 + 100_000), things: [post(1), post(2), post(3)] });
    const token = (await appToken(fake)).body.access_token!;
    fake.store.remove(post(2).fullname);
    expect(names((await get(fake, token, `/r/alpha/new?before=${post(2).fullname}`)).body)).toEqual([]);
    expect(names((await get(fake, token, '/r/alpha/new')).body)).toEqual([post(3).fullname, post(1).fullname]);
  });

  it('when a multireddit or r/all is read, then items of the named subreddits are merged newest first', async () => {
    const things = [post(1, 'alpha'), post(2, 'beta'), post(3, 'gamma'), post(4, 'alpha'), post(5, 'beta')];
    fake = await startFakeReddit({ clock: createManualClock(T0 + 100_000), things });
    const token = (await appToken(fake)).body.access_token!;
    expect(names((await get(fake, token, '/r/alpha+Beta/new/')).body)).toEqual([5, 4, 2, 1].map((n) => post(n).fullname));
    expect(names((await get(fake, token, '/r/all/new')).body)).toHaveLength(5);
    expect(names((await get(fake, token, '/r/alpha/comments')).body)).toEqual([]);
  });

  it('when the budget is spent, then the server answers 429 with Retry-After until the window resets', async () => {
    const clock = createManualClock(T0);
    fake = await startFakeReddit({ clock, budget: 3, windowMs: 60_000 });
    const token = (await appToken(fake)).body.access_token!;
    const answers = [];
    for (let i = 0; i < 4; i++) answers.push(await get(fake, token, '/r/all/new'));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 429]);
    expect(answers[2]!.headers.get('x-ratelimit-remaining')).toBe('0.0');
    expect(answers[2]!.headers.get('x-ratelimit-used')).toBe('3');
    expect(answers[3]!.headers.get('retry-after')).toBe('60');
    clock.advance(60_000);
    const after = await get(fake, token, '/r/all/new');
    expect(after.status).toBe(200);
    expect(after.headers.get('x-ratelimit-remaining')).toBe('2.0');
    expect(fake.stats().rateLimited).toBe(1);
  });

  it('when the live simulation runs with index lag, then late items appear behind newer ones and every item is visible after the lag', async () => {
    const clock = createManualClock(T0);
    fake = await startFakeReddit({
      clock,
      budget: 100_000,
      live: { itemsPerSecond: 20, subreddits: ['alpha', 'beta'], maxLagMs: 5_000, commentShare: 0, seed: 7 },
    });
    const token = (await appToken(fake)).body.access_token!;
    clock.advance(10_000);
    const early = names((await get(fake, token, '/r/alpha+beta/new?limit=100')).body);
    const generated = fake.stats().generated;
    expect(generated).toBe(201);
    expect(early.length).toBeLessThan(generated);
    clock.advance(5_001);
    const later = names((await get(fake, token, '/r/alpha+beta/new?limit=100')).body);
    const lateArrivals = later.filter((n) => !early.includes(n) && later.indexOf(n) > later.indexOf(early[0]!));
    expect(lateArrivals.length).toBeGreaterThan(0);
    // Everything created more than maxLagMs ago is visible; the newest few may still lag.
    const visible = fake.visibleFullnames().length;
    expect(visible).toBeGreaterThanOrEqual(generated);
    expect(visible).toBeLessThanOrEqual(fake.stats().generated);
  });

  it('when a comment is posted, then it succeeds with a user token and queued errors come back inside a 200', async () => {
    fake = await startFakeReddit({ clock: createManualClock(T0 + 10_000), things: [post(1)], users: { code1: 'alice' } });
    const user = (await appToken(fake, 'grant_type=authorization_code&code=code1&redirect_uri=http://x')).body.access_token!;
    const postComment = async (token: string) => {
      const res = await fetch(`${fake!.url}/api/comment`, {
        method: 'POST',
        headers: { authorization: `bearer ${token}`, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ api_type: 'json', thing_id: post(1).fullname, text: 'hello' }).toString(),
      });
      return (await res.json()) as { json: { errors: unknown[]; data?: { things: { data: { author: string; link_id: string } }[] } } };
    };
    const ok = await postComment(user);
    expect(ok.json.errors).toEqual([]);
    expect(ok.json.data!.things[0]!.data).toMatchObject({ author: 'alice', link_id: post(1).fullname });
    fake.queueCommentErrors([['RATELIMIT', 'You are doing that too much. Try again in 3 minutes.', 'ratelimit']]);
    expect((await postComment(user)).json.errors).toEqual([['RATELIMIT', 'You are doing that too much. Try again in 3 minutes.', 'ratelimit']]);
    const app = (await appToken(fake)).body.access_token!;
    expect((await postComment(app)).json.errors[0]).toEqual(['USER_REQUIRED', 'Please log in to do that.', null]);
  });

  it('when loaded with the fixtures, then /api/info, searches and listings serve the recorded things', async () => {
    fake = await startFakeReddit({ fixtures: true, budget: 100_000 });
    const token = (await appToken(fake)).body.access_token!;
    const info = (await get(fake, token, '/api/info?id=t1_dbhn11d,t3_5jo13y,t1_nope')).body;
    expect(names(info)).toEqual(['t1_dbhn11d', 't3_5jo13y']);
    const subs = (await get(fake, token, '/subreddits/search?q=praw&limit=100')).body;
    expect(subs.data.children.length).toBeGreaterThanOrEqual(37);
    expect(subs.data.children.every((c) => c.kind === 't5')).toBe(true);
    const comments = (await get(fake, token, '/r/all/comments?limit=100')).body;
    expect(comments.data.children).toHaveLength(100);
    expect(comments.data.children.every((c) => c.kind === 't1')).toBe(true);
  });
});
