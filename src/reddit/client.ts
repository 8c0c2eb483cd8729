import type { BudgetGovernor } from './budget-governor.js';
import { type PostCommentResult, parseCommentAnswer } from './comment-result.js';
import { RedditProtocolError } from './errors.js';
import { type CallerDeps, createRedditCaller } from './http-caller.js';
import { type ParsedListing, parseListing } from './things.schemas.js';
import type { ListingPage, ListingParams, RedditListingClient, RedditThing, SubredditInfo, SubredditSet } from './types.js';

export type RedditClientOptions = CallerDeps;

export interface RedditClient extends RedditListingClient {
  /** Replies as the user whose token is given; Reddit's refusals come back as typed results. */
  postComment(userToken: string, thingId: string, text: string): Promise<PostCommentResult>;
  /** Breaker and budget state, for logs, metrics and status pages. */
  health(): Promise<{ breaker: string; budget: Awaited<ReturnType<BudgetGovernor['state']>> }>;
}

const SUBREDDIT_NAME = /^[A-Za-z0-9_]{2,21}$/;
const FULLNAME = /^t[1-6]_[0-9a-z]+$/;

export function subredditPath(subs: SubredditSet): string {
  if (subs === 'all') return 'all';
  if (subs.length === 0) throw new Error('a subreddit set needs at least one subreddit');
  for (const s of subs) if (!SUBREDDIT_NAME.test(s)) throw new Error(`not a subreddit name: ${JSON.stringify(s)}`);
  return subs.join('+');
}

function pageQuery(params: ListingParams | undefined): Record<string, string | undefined> {
  const limit = Math.max(1, Math.min(100, Math.floor(params?.limit ?? 100)));
  return { limit: String(limit), before: params?.before, after: params?.after };
}

export function createRedditClient(opts: RedditClientOptions): RedditClient {
  const caller = createRedditCaller(opts);

  async function listing(path: string, query: Record<string, string | undefined>): Promise<ParsedListing> {
    const body = await caller.getJson(path, query);
    const parsed = parseListing(body);
    if (!parsed) throw new RedditProtocolError(path, 'not a Listing');
    if (parsed.malformed > 0) opts.log.warn({ path, malformed: parsed.malformed }, 'reddit listing had unusable children');
    return parsed;
  }

  async function page(path: string, query: Record<string, string | undefined>): Promise<ListingPage> {
    const l = await listing(path, query);
    return { items: l.things, after: l.after, before: l.before };
  }

  return {
    newPosts(subs, params) {
      return page(`/r/${subredditPath(subs)}/new`, pageQuery(params));
    },
    newComments(subs, params) {
      return page(`/r/${subredditPath(subs)}/comments`, pageQuery(params));
    },
    search(query, o) {
      const q = { ...pageQuery(o), q: query, sort: o?.sort ?? 'new' };
      if (o?.subreddit) return page(`/r/${subredditPath([o.subreddit])}/search`, { ...q, restrict_sr: '1' });
      return page('/search', q);
    },
    async info(fullnames) {
      const ids = [...new Set(fullnames)].filter((f) => FULLNAME.test(f));
      const out: RedditThing[] = [];
      for (let i = 0; i < ids.length; i += 100) {
        const batch = ids.slice(i, i + 100);
        const l = await listing('/api/info', { id: batch.join(','), limit: '100' });
        out.push(...l.things);
      }
      return out;
    },
    async searchSubreddits(query, limit = 25): Promise<SubredditInfo[]> {
      const l = await listing('/subreddits/search', { q: query, limit: String(Math.max(1, Math.min(100, limit))) });
      return l.subreddits;
    },
    async postComment(userToken, thingId, text) {
      const form = new URLSearchParams({ api_type: 'json', thing_id: thingId, text });
      const { status, body } = await caller.postForm('/api/comment', form, userToken);
      if (status === 429) {
        return { ok: false, code: 'RATELIMIT', message: 'HTTP 429', field: null, retryAfterMs: null, permanent: false };
      }
      return parseCommentAnswer(status, body);
    },
    async health() {
      return { breaker: caller.breakerState(), budget: await opts.governor.state() };
    },
  };
}
