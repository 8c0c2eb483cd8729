import { generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureOwner } from '../src/modules/auth/ensure-owner.js';
import { apiKeys, users } from '../src/platform/db/schema.js';
import { type ApiHarness, createUser, startApi } from './api-harness.js';

function cookieOf(setCookie: string | string[] | undefined): string {
  const first = Array.isArray(setCookie) ? setCookie[0] : setCookie;
  return (first ?? '').split(';')[0] ?? '';
}

describe('local auth: API keys, session cookie, localhost sign-in', () => {
  let h: ApiHarness;
  let ownerPassword: string;

  beforeAll(async () => {
    h = await startApi({ OWNER_EMAIL: 'owner@example.com' });
    const first = await ensureOwner(h.infra.database.db, h.infra.env);
    expect(first.created).toBe(true);
    ownerPassword = first.password!;
  });
  afterAll(async () => {
    await h?.close();
  });

  it('when ensureOwner runs again, then no second owner is made', async () => {
    const again = await ensureOwner(h.infra.database.db, h.infra.env);
    expect(again).toEqual({ created: false, email: 'owner@example.com' });
    const owners = await h.infra.database.db.select().from(users).where(eq(users.role, 'owner'));
    expect(owners).toHaveLength(1);
  });

  it('when no credentials or a bad key are sent, then 401 problem; a valid key answers and is stored hashed', async () => {
    const anon = await h.app.inject({ method: 'GET', url: '/api/v1/me', remoteAddress: '203.0.113.7' });
    expect(anon.statusCode).toBe(401);
    expect(anon.headers['content-type']).toContain('application/problem+json');
    expect(anon.json().code).toBe('unauthorized');

    const garbage = await h.app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: 'Bearer sk_live_nope' } });
    expect(garbage.statusCode).toBe(401);
    const basic = await h.app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: 'Basic abc' } });
    expect(basic.statusCode).toBe(401);

    const dave = await createUser(h, 'dave@example.com');
    const me = await dave.call({ method: 'GET', url: '/api/v1/me' });
    expect(me.statusCode).toBe(200);
    expect(me.json().user.email).toBe('dave@example.com');
    const stored = await h.infra.database.db.select().from(apiKeys).where(eq(apiKeys.userId, dave.id));
    expect(stored[0]!.keyHash).not.toContain(dave.key);
    expect(stored[0]!.keyHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('when a key is created, listed and revoked, then it is shown once and stops working', async () => {
    const erin = await createUser(h, 'erin@example.com');
    const created = await erin.call({ method: 'POST', url: '/api/v1/api-keys', payload: { name: 'zapier' } });
    expect(created.statusCode).toBe(201);
    const { key, id, prefix } = created.json();
    expect(key).toMatch(/^sk_live_[A-Za-z0-9_-]{43}$/);
    expect(key.startsWith(prefix)).toBe(true);
    const list = await erin.call({ method: 'GET', url: '/api/v1/api-keys' });
    expect(list.body).not.toContain(key);
    expect(list.json().items.map((k: { name: string }) => k.name).sort()).toEqual(['test', 'zapier']);

    const withNew = () => h.app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${key}` } });
    expect((await withNew()).statusCode).toBe(200);
    const other = await createUser(h, 'frank@example.com');
    expect((await other.call({ method: 'DELETE', url: `/api/v1/api-keys/${id}` })).statusCode).toBe(404);
    expect((await erin.call({ method: 'DELETE', url: `/api/v1/api-keys/${id}` })).statusCode).toBe(204);
    expect((await withNew()).statusCode).toBe(401);
    expect((await erin.call({ method: 'DELETE', url: `/api/v1/api-keys/${id}` })).statusCode).toBe(404);
  });

  it('when signing in with email and password, then an httpOnly SameSite=Lax cookie works until logout', async () => {
    const wrong = await h.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: 'owner@example.com', password: 'wrong' },
    });
    expect(wrong.statusCode).toBe(401);
    const ok = await h.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: 'OWNER@example.com', password: ownerPassword },
    });
    expect(ok.statusCode).toBe(200);
    const setCookie = String(ok.headers['set-cookie']);
    expect(setCookie).toContain('HttpOnly');
    expect(setCookie).toContain('SameSite=Lax');
    const cookie = cookieOf(ok.headers['set-cookie']);
    const me = await h.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie }, remoteAddress: '203.0.113.7' });
    expect(me.json().user.role).toBe('owner');
    await h.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: { cookie } });
    const after = await h.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie }, remoteAddress: '203.0.113.7' });
    expect(after.statusCode).toBe(401);
  });

  it('when the dashboard asks from localhost, then the owner is signed in; from elsewhere or through a proxy, not', async () => {
    const local = await h.app.inject({ method: 'GET', url: '/api/v1/auth/session', remoteAddress: '127.0.0.1' });
    expect(local.json()).toMatchObject({ mode: 'local', authenticated: true, user: { email: 'owner@example.com' } });
    const cookie = cookieOf(local.headers['set-cookie']);
    expect(cookie).toMatch(/^subscout_session=ss_/);
    const me = await h.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie }, remoteAddress: '203.0.113.7' });
    expect(me.statusCode).toBe(200);

    const remote = await h.app.inject({ method: 'GET', url: '/api/v1/auth/session', remoteAddress: '203.0.113.7' });
    expect(remote.json()).toMatchObject({ authenticated: false, user: null });
    expect(remote.headers['set-cookie']).toBeUndefined();
    const proxied = await h.app.inject({
      method: 'GET',
      url: '/api/v1/auth/session',
      remoteAddress: '127.0.0.1',
      headers: { 'x-forwarded-for': '198.51.100.4' },
    });
    expect(proxied.json().authenticated).toBe(false);
  });
});

function signJwt(privateKey: KeyObject, payload: Record<string, unknown>): string {
  const enc = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const data = `${enc({ alg: 'RS256', typ: 'JWT', kid: 'ins_test' })}.${enc(payload)}`;
  return `${data}.${sign('sha256', Buffer.from(data), privateKey).toString('base64url')}`;
}

describe('clerk auth', () => {
  let h: ApiHarness;
  const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const party = 'http://localhost:5173';
  const claims = (over: Record<string, unknown> = {}) => {
    const now = Math.floor(Date.now() / 1000);
    return { sub: 'user_2abc', iat: now - 5, nbf: now - 5, exp: now + 60, azp: party, email: 'Clerk@Example.com', ...over };
  };

  beforeAll(async () => {
    h = await startApi({
      AUTH_MODE: 'clerk',
      CLERK_JWT_KEY: pair.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
      CLERK_AUTHORIZED_PARTIES: party,
    });
  });
  afterAll(async () => {
    await h?.close();
  });

  const me = (token: string, how: 'bearer' | 'cookie' = 'bearer') =>
    h.app.inject({
      method: 'GET',
      url: '/api/v1/me',
      headers: how === 'bearer' ? { authorization: `Bearer ${token}` } : { cookie: `__session=${token}` },
    });

  it('when a valid Clerk session token arrives, then the user is created on first sight and found after', async () => {
    const first = await me(signJwt(pair.privateKey, claims()));
    expect(first.statusCode).toBe(200);
    expect(first.json().user.email).toBe('clerk@example.com');
    const second = await me(signJwt(pair.privateKey, claims()), 'cookie');
    expect(second.json().user.id).toBe(first.json().user.id);
    const rows = await h.infra.database.db.select().from(users).where(eq(users.externalId, 'user_2abc'));
    expect(rows).toHaveLength(1);
  });

  it('when the token is expired, from another party, or signed by another key, then 401', async () => {
    const now = Math.floor(Date.now() / 1000);
    expect((await me(signJwt(pair.privateKey, claims({ exp: now - 120, iat: now - 300, nbf: now - 300 })))).statusCode).toBe(401);
    expect((await me(signJwt(pair.privateKey, claims({ azp: 'https://evil.example' })))).statusCode).toBe(401);
    expect((await me(signJwt(stranger.privateKey, claims())))).toMatchObject({ statusCode: 401 });
  });

  it('when local sign-in is tried in clerk mode, then it is refused', async () => {
    const res = await h.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'a@b.co', password: 'x' } });
    expect(res.statusCode).toBe(401);
    const session = await h.app.inject({ method: 'GET', url: '/api/v1/auth/session' });
    expect(session.json()).toMatchObject({ mode: 'clerk', authenticated: false });
  });
});
