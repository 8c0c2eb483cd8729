import { eq, sql } from 'drizzle-orm';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../src/platform/db/client.js';
import { redditAccounts } from '../src/platform/db/schema.js';
import { CLIENT_ID, REDIRECT_URI, type ReplyWorld, startReplyWorld, type TestUser } from './replies-harness.js';

const USERS = {
  'code-alice': 'alice_sells',
  'refresh-alice_sells': 'alice_sells',
  'code-alice-again': 'alice_sells',
  'code-bob': 'bob_builds',
  'refresh-bob_builds': 'bob_builds',
};

describe('connecting Reddit accounts', () => {
  let w: ReplyWorld;
  let alice: TestUser;
  let bob: TestUser;
  const logLines: string[] = [];

  beforeAll(async () => {
    const log = pino({ level: 'trace' }, { write: (line: string) => logLines.push(line) });
    w = await startReplyWorld({ users: USERS, log });
    alice = await w.createUser('alice@example.com');
    bob = await w.createUser('bob@example.com');
  });
  afterAll(async () => {
    await w.close();
  });

  it("when a user starts connecting, then Reddit's consent URL asks for a permanent token with identity, read and submit", async () => {
    const res = await alice.call({ method: 'POST', url: '/api/v1/reddit-accounts/connect' });
    expect(res.statusCode).toBe(200);
    const url = new URL(res.json<{ authorize_url: string }>().authorize_url);
    expect(url.pathname).toBe('/api/v1/authorize');
    expect(url.searchParams.get('client_id')).toBe(CLIENT_ID);
    expect(url.searchParams.get('response_type')).toBe('code');
    expect(url.searchParams.get('redirect_uri')).toBe(REDIRECT_URI);
    expect(url.searchParams.get('duration')).toBe('permanent');
    expect(url.searchParams.get('scope')).toBe('identity read submit');
    expect(url.searchParams.get('state')).toMatch(/^[A-Za-z0-9_-]{16,}$/);
  });

  it('when the dashboard follows the plain connect link, then it is redirected to the consent page', async () => {
    const res = await alice.call({ method: 'GET', url: '/api/v1/reddit-accounts/connect' });
    expect(res.statusCode).toBe(302);
    expect(new URL(res.headers.location as string).searchParams.get('client_id')).toBe(CLIENT_ID);
  });

  it('when Reddit redirects back with a code, then the account is stored with its name and karma and the browser goes to settings', async () => {
    const res = await w.connect(alice, 'code-alice');
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe('/settings?reddit=connected&account=alice_sells');

    const list = await alice.call({ method: 'GET', url: '/api/v1/reddit-accounts' });
    expect(list.statusCode).toBe(200);
    const items = list.json<{ items: Record<string, unknown>[] }>().items;
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ username: 'alice_sells', karma: 600, scope: 'identity read submit', paused_until: null });
    expect(items[0]!.account_created_utc).toBe(new Date(1_400_000_000_000).toISOString());
    // The list never carries a token, sealed or not.
    expect(JSON.stringify(list.json())).not.toMatch(/refresh|token_enc/i);
  });

  it('when an account is stored, then the database holds only the sealed refresh token', async () => {
    const rows = await queryRows<Record<string, unknown>>(
      w.t.database.db,
      sql`select * from reddit_accounts where username = 'alice_sells'`,
    );
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows)).not.toContain('refresh-alice_sells');
    const sealed = String(rows[0]!.refresh_token_enc);
    expect(sealed.split(':')).toHaveLength(3);
    expect(w.box.open(sealed)).toBe('refresh-alice_sells');
  });

  it('when the same Reddit account is connected again, then its row is updated instead of duplicated', async () => {
    const before = await w.t.database.db.select().from(redditAccounts).where(eq(redditAccounts.userId, alice.id));
    const res = await w.connect(alice, 'code-alice-again');
    expect(res.headers.location).toBe('/settings?reddit=connected&account=alice_sells');
    const after = await w.t.database.db.select().from(redditAccounts).where(eq(redditAccounts.userId, alice.id));
    expect(after).toHaveLength(1);
    expect(after[0]!.id).toBe(before[0]!.id);
    // A fresh random IV each time: the same token never seals to the same text.
    expect(after[0]!.refreshTokenEnc).not.toBe(before[0]!.refreshTokenEnc);
  });

  it("when the callback carries another user's state, then nothing is stored and the browser is told the state is invalid", async () => {
    const started = await alice.call({ method: 'POST', url: '/api/v1/reddit-accounts/connect' });
    const state = new URL(started.json<{ authorize_url: string }>().authorize_url).searchParams.get('state')!;
    const res = await bob.call({ method: 'GET', url: `/api/v1/reddit-accounts/callback?code=code-bob&state=${state}` });
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe('/settings?reddit=error&reason=invalid_state');
    const bobs = await w.t.database.db.select().from(redditAccounts).where(eq(redditAccounts.userId, bob.id));
    expect(bobs).toHaveLength(0);
    // The state was spent by the failed attempt: its owner cannot use it either.
    const again = await alice.call({ method: 'GET', url: `/api/v1/reddit-accounts/callback?code=code-alice&state=${state}` });
    expect(again.headers.location).toBe('/settings?reddit=error&reason=invalid_state');
  });

  it('when the callback state is made up or missing, then it is refused', async () => {
    const madeUp = await bob.call({
      method: 'GET',
      url: '/api/v1/reddit-accounts/callback?code=code-bob&state=AAAAAAAAAAAAAAAAAAAAAAAA',
    });
    expect(madeUp.headers.location).toBe('/settings?reddit=error&reason=invalid_state');
    const missing = await bob.call({ method: 'GET', url: '/api/v1/reddit-accounts/callback?code=code-bob' });
    expect(missing.headers.location).toBe('/settings?reddit=error&reason=invalid_state');
    expect(await w.t.database.db.select().from(redditAccounts).where(eq(redditAccounts.userId, bob.id))).toHaveLength(0);
  });

  it('when a state is used once, then replaying the same callback is refused', async () => {
    const started = await bob.call({ method: 'POST', url: '/api/v1/reddit-accounts/connect' });
    const state = new URL(started.json<{ authorize_url: string }>().authorize_url).searchParams.get('state')!;
    const url = `/api/v1/reddit-accounts/callback?code=code-bob&state=${state}`;
    expect((await bob.call({ method: 'GET', url })).headers.location).toBe('/settings?reddit=connected&account=bob_builds');
    expect((await bob.call({ method: 'GET', url })).headers.location).toBe('/settings?reddit=error&reason=invalid_state');
  });

  it('when the user declines on Reddit, then the browser is told access was denied', async () => {
    const started = await alice.call({ method: 'POST', url: '/api/v1/reddit-accounts/connect' });
    const state = new URL(started.json<{ authorize_url: string }>().authorize_url).searchParams.get('state')!;
    const res = await alice.call({ method: 'GET', url: `/api/v1/reddit-accounts/callback?error=access_denied&state=${state}` });
    expect(res.headers.location).toBe('/settings?reddit=error&reason=access_denied');
  });

  it('when Reddit refuses the code, then nothing is stored and the browser is told the exchange failed', async () => {
    const carol = await w.createUser('carol@example.com');
    const res = await w.connect(carol, 'code-nobody-issued');
    expect(res.headers.location).toBe('/settings?reddit=error&reason=exchange_failed');
    expect(await w.t.database.db.select().from(redditAccounts).where(eq(redditAccounts.userId, carol.id))).toHaveLength(0);
  });

  it("when a user lists, reads or deletes another user's account, then it is a 404 and the account stays", async () => {
    const [bobs] = await w.t.database.db.select().from(redditAccounts).where(eq(redditAccounts.userId, bob.id));
    const list = await alice.call({ method: 'GET', url: '/api/v1/reddit-accounts' });
    expect(list.json<{ items: { id: string }[] }>().items.map((a) => a.id)).not.toContain(bobs!.id);
    const del = await alice.call({ method: 'DELETE', url: `/api/v1/reddit-accounts/${bobs!.id}` });
    expect(del.statusCode).toBe(404);
    expect(del.json()).toMatchObject({ code: 'reddit_account_not_found' });
    expect(await w.t.database.db.select().from(redditAccounts).where(eq(redditAccounts.id, bobs!.id))).toHaveLength(1);
    expect(w.revoked).not.toContain('refresh-bob_builds');
  });

  it('when a user disconnects an account, then its token is revoked at Reddit and the row is gone', async () => {
    const [bobs] = await w.t.database.db.select().from(redditAccounts).where(eq(redditAccounts.userId, bob.id));
    const del = await bob.call({ method: 'DELETE', url: `/api/v1/reddit-accounts/${bobs!.id}` });
    expect(del.statusCode).toBe(204);
    expect(w.revoked).toContain('refresh-bob_builds');
    expect(await w.t.database.db.select().from(redditAccounts).where(eq(redditAccounts.id, bobs!.id))).toHaveLength(0);
    const again = await bob.call({ method: 'DELETE', url: `/api/v1/reddit-accounts/${bobs!.id}` });
    expect(again.statusCode).toBe(404);
  });

  it('when accounts were connected, refused and disconnected, then no log line carries a token', async () => {
    const all = logLines.join('');
    expect(all).toMatch(/reddit account connected/);
    expect(all).toMatch(/reddit account disconnected/);
    expect(all).not.toMatch(/refresh-(alice_sells|bob_builds)/);
    expect(all).not.toMatch(/fake-\d+-/);
    expect(all).not.toMatch(/code-(alice|bob)/);
  });

  it('when nobody is signed in, then every account route answers 401', async () => {
    const res = await w.app.inject({ method: 'GET', url: '/api/v1/reddit-accounts' });
    expect(res.statusCode).toBe(401);
    const cb = await w.app.inject({ method: 'GET', url: '/api/v1/reddit-accounts/callback?code=code-alice&state=x' });
    expect(cb.statusCode).toBe(401);
  });
});

describe('connecting Reddit accounts without a Reddit app configured', () => {
  let w: ReplyWorld;
  let dave: TestUser;

  beforeAll(async () => {
    w = await startReplyWorld({ configured: false });
    dave = await w.createUser('dave@example.com');
  });
  afterAll(async () => {
    await w.close();
  });

  it('when REDDIT_CLIENT_ID is not set, then connect answers reddit_not_configured', async () => {
    const res = await dave.call({ method: 'POST', url: '/api/v1/reddit-accounts/connect' });
    expect(res.statusCode).toBe(503);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.json()).toMatchObject({ code: 'reddit_not_configured' });
  });

  it('when REDDIT_CLIENT_ID is not set, then the plain link comes back to settings with the reason', async () => {
    const res = await dave.call({ method: 'GET', url: '/api/v1/reddit-accounts/connect' });
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe('/settings?reddit=error&reason=not_configured');
  });
});
