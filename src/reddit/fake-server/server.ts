import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type SimClock, systemClock } from './clock.js';
import { createFakeAuth, type IssuedToken } from './fake-auth.js';
import { loadFixtureThings, toStoredThing } from './fixtures.js';
import { createLiveSimulation, type LiveSimulation, type LiveSimulationOptions } from './simulation.js';
import { createThingStore, paginate, type StoredThing, type ThingStore } from './thing-store.js';

export interface FakeRedditOptions {
  port?: number;
  host?: string;
  clientId?: string;
  /** '' makes it an installed app, which must use the installed_client grant. */
  clientSecret?: string;
  tokenTtlS?: number;
  /** Authorization codes / refresh tokens accepted for user tokens, mapped to usernames. */
  users?: Record<string, string>;
  clock?: SimClock;
  /** Requests allowed per window (Reddit's free tier: 1,000 per 10 minutes). */
  budget?: number;
  windowMs?: number;
  /** How far back a listing reaches. */
  listingCap?: number;
  /** Load every thing from the recorded cassettes (true, or a directory). */
  fixtures?: boolean | string | URL;
  things?: readonly StoredThing[];
  live?: Omit<LiveSimulationOptions, 'startMs'> & { startMs?: number };
}

export interface FakeRedditStats {
  apiRequests: number;
  byRoute: Record<string, number>;
  tokenRequests: number;
  tokensIssued: number;
  rateLimited: number;
  unauthorized: number;
  comments: number;
  generated: number;
  storeSize: number;
}

export type RedditErrorTriple = [code: string, message: string, field: string];

export interface FakeReddit {
  /** Base for both the API and the token endpoint (REDDIT_API_URL and REDDIT_AUTH_URL). */
  url: string;
  clock: SimClock;
  store: ThingStore;
  stats(): FakeRedditStats;
  /** Every post and comment that has been visible in listings so far. */
  visibleFullnames(): string[];
  /** The next `count` API requests answer `status` (default 503). */
  failNext(count: number, status?: number): void;
  /** Every API request answers 503 until set back. */
  setDown(down: boolean): void;
  /** Invalidates every issued token, so the next API call gets 401. */
  revokeTokens(): void;
  /** The next POST /api/comment answers with these errors inside a 200. */
  queueCommentErrors(errors: RedditErrorTriple[]): void;
  close(): Promise<void>;
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8', ...headers });
  res.end(text);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

const SUBS = /^[A-Za-z0-9_]{2,21}(\+[A-Za-z0-9_]{2,21})*$/;

function listing(things: readonly StoredThing[], after: string | null, before: string | null) {
  return {
    kind: 'Listing',
    data: {
      after,
      before,
      dist: things.length,
      children: things.map((t) => ({ kind: t.kind, data: t.data })),
    },
  };
}

export async function startFakeReddit(options: FakeRedditOptions = {}): Promise<FakeReddit> {
  const clock = options.clock ?? systemClock;
  const budget = options.budget ?? 1000;
  const windowMs = options.windowMs ?? 600_000;
  const cap = options.listingCap ?? 1000;
  const store = createThingStore();
  const auth = createFakeAuth({
    clientId: options.clientId ?? 'fake-client',
    clientSecret: options.clientSecret ?? 'fake-secret',
    tokenTtlS: options.tokenTtlS ?? 3600,
    users: options.users ?? {},
  });
  if (options.fixtures) {
    store.addMany(loadFixtureThings(options.fixtures === true ? undefined : options.fixtures));
  }
  if (options.things) store.addMany(options.things);
  let sim: LiveSimulation | null = null;
  if (options.live) sim = createLiveSimulation(store, { ...options.live, startMs: options.live.startMs ?? clock.now() });

  const stats: FakeRedditStats = {
    apiRequests: 0,
    byRoute: {},
    tokenRequests: 0,
    tokensIssued: 0,
    rateLimited: 0,
    unauthorized: 0,
    comments: 0,
    generated: 0,
    storeSize: 0,
  };
  let windowStart = -1;
  let used = 0;
  let failures: { left: number; status: number } = { left: 0, status: 503 };
  let down = false;
  let commentErrors: RedditErrorTriple[][] = [];
  let commentSeq = 36 ** 7 * 30;

  /** Windows are aligned to the clock, as Reddit's 10-minute windows are. */
  function rateHeaders(now: number): Record<string, string> {
    const start = Math.floor(now / windowMs) * windowMs;
    if (start !== windowStart) {
      windowStart = start;
      used = 0;
    }
    return {
      'x-ratelimit-used': String(used),
      'x-ratelimit-remaining': `${Math.max(0, budget - used).toFixed(1)}`,
      'x-ratelimit-reset': String(Math.max(1, Math.ceil((start + windowMs - now) / 1000))),
    };
  }

  function pageParams(q: URLSearchParams) {
    const limit = Number.parseInt(q.get('limit') ?? '25', 10);
    return {
      limit: Number.isFinite(limit) ? limit : 25,
      after: q.get('after') || undefined,
      before: q.get('before') || undefined,
    };
  }

  function route(method: string, path: string, q: URLSearchParams, user: IssuedToken, form: URLSearchParams) {
    const now = clock.now();
    let m = /^\/r\/([^/]+)\/(new|comments)$/.exec(path);
    if (method === 'GET' && m) {
      const subs = m[1]!.toLowerCase() === 'all' ? 'all' : m[1]!.split('+');
      if (subs !== 'all' && !SUBS.test(m[1]!)) return { status: 404, body: { message: 'Not Found', error: 404 } };
      const window = store.window(m[2] === 'new' ? 't3' : 't1', subs, now, cap);
      const page = paginate(window, pageParams(q));
      return { status: 200, body: listing(page.things, page.after, page.before), route: `/r/x/${m[2]}` };
    }
    m = /^(?:\/r\/([^/]+))?\/search$/.exec(path);
    if (method === 'GET' && m) {
      const sub = m[1] && m[1].toLowerCase() !== 'all' && q.get('restrict_sr') !== 'false' ? m[1] : null;
      const found = store.search(q.get('q') ?? '', sub, now, cap);
      const page = paginate(found, pageParams(q));
      return { status: 200, body: listing(page.things, page.after, page.before), route: 'search' };
    }
    if (method === 'GET' && path === '/api/info') {
      const ids = (q.get('id') ?? '').split(',').filter(Boolean).slice(0, 100);
      const things = ids
        .map((id) => store.get(id))
        .filter((t): t is StoredThing => t !== undefined && !t.removed && t.createdMs <= now);
      return { status: 200, body: listing(things, null, null), route: 'info' };
    }
    if (method === 'GET' && path === '/subreddits/search') {
      const limit = Math.max(1, Math.min(100, Number.parseInt(q.get('limit') ?? '25', 10) || 25));
      return {
        status: 200,
        body: listing(store.searchSubreddits(q.get('q') ?? '', limit), null, null),
        route: 'subreddits/search',
      };
    }
    if (method === 'GET' && path === '/api/v1/me') {
      if (!user.username) return { status: 403, body: { message: 'Forbidden', error: 403 }, route: 'me' };
      return { status: 200, body: { name: user.username, created_utc: 1_400_000_000, link_karma: 100, comment_karma: 500 }, route: 'me' };
    }
    if (method === 'POST' && path === '/api/comment') return { ...postComment(form, user, now), route: 'comment' };
    return { status: 404, body: { message: 'Not Found', error: 404 } };
  }

  function postComment(form: URLSearchParams, user: IssuedToken, now: number) {
    stats.comments++;
    const queued = commentErrors.shift();
    if (queued) return { status: 200, body: { json: { errors: queued } } };
    if (!user.username) {
      return { status: 200, body: { json: { errors: [['USER_REQUIRED', 'Please log in to do that.', null]] } } };
    }
    const parent = store.get(form.get('thing_id') ?? '');
    if (!parent || parent.removed || parent.kind === 't5') {
      return { status: 200, body: { json: { errors: [['DELETED_COMMENT', 'that comment has been deleted', 'parent']] } } };
    }
    const id = (commentSeq++).toString(36);
    const linkId = parent.kind === 't3' ? parent.fullname : String(parent.data.link_id);
    const data = {
      id,
      name: `t1_${id}`,
      author: user.username,
      body: form.get('text') ?? '',
      subreddit: parent.data.subreddit,
      link_id: linkId,
      parent_id: parent.fullname,
      permalink: `/r/${String(parent.data.subreddit)}/comments/${linkId.slice(3)}/_/${id}/`,
      created_utc: now / 1000,
      score: 1,
    };
    const stored = toStoredThing({ kind: 't1', data });
    if (stored) store.add(stored);
    return { status: 200, body: { json: { errors: [], data: { things: [{ kind: 't1', data }] } } } };
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const path = url.pathname.replace(/\.json$/, '').replace(/\/+$/, '') || '/';
    const method = req.method ?? 'GET';
    const raw = method === 'POST' ? await readBody(req) : '';
    const form = new URLSearchParams(raw);
    const now = clock.now();
    sim?.advanceTo(now);

    if (method === 'POST' && path === '/api/v1/access_token') {
      stats.tokenRequests++;
      const result = auth.exchange(req.headers, form, now);
      send(res, result.status, result.body);
      return;
    }
    const user = auth.check(req.headers.authorization, now);
    if (!user) {
      stats.unauthorized++;
      send(res, 401, { message: 'Unauthorized', error: 401 }, { 'www-authenticate': 'Bearer realm="reddit", error="invalid_token"' });
      return;
    }
    stats.apiRequests++;
    const headers = rateHeaders(now);
    if (used >= budget) {
      stats.rateLimited++;
      send(res, 429, { message: 'Too Many Requests', error: 429 }, { ...headers, 'retry-after': headers['x-ratelimit-reset']! });
      return;
    }
    used++;
    const counted = rateHeaders(now);
    if (down || failures.left > 0) {
      const status = down ? 503 : failures.status;
      if (!down) failures.left--;
      send(res, status, { message: 'upstream trouble', error: status });
      return;
    }
    const out = route(method, path, url.searchParams, user, form);
    const key = out.route ?? 'unknown';
    stats.byRoute[key] = (stats.byRoute[key] ?? 0) + 1;
    send(res, out.status, out.body, counted);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) send(res, 500, { message: String(err), error: 500 });
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://${options.host ?? '127.0.0.1'}:${port}`,
    clock,
    store,
    stats: () => ({
      ...stats,
      byRoute: { ...stats.byRoute },
      tokensIssued: auth.issued(),
      generated: sim?.generated() ?? 0,
      storeSize: store.size(),
    }),
    visibleFullnames() {
      sim?.advanceTo(clock.now());
      return store.visibleFullnames(clock.now());
    },
    failNext(count, status = 503) {
      failures = { left: count, status };
    },
    setDown(value) {
      down = value;
    },
    revokeTokens: () => auth.revokeAll(),
    queueCommentErrors(errors) {
      commentErrors = [...commentErrors, errors];
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
