/**
 * What the rest of Subscout sees of Reddit: normalised things and listing pages. The HTTP
 * client (src/reddit/client.ts), the demo source and the import command all produce these.
 */

export interface RedditThing {
  /** t3_... for posts, t1_... for comments. */
  fullname: string;
  kind: 'post' | 'comment';
  /** Lower-case subreddit name without r/. */
  subreddit: string;
  author: string;
  /** Post title, or for a comment its thread's title when Reddit sends it ('' otherwise). */
  title: string;
  /** Post selftext or comment body, raw markdown (raw_json=1). */
  body: string;
  permalink: string;
  url: string | null;
  /** A comment's post fullname (t3_...); null for posts. */
  linkId: string | null;
  score: number;
  over18: boolean;
  createdUtc: Date;
}

export interface ListingPage {
  /** Newest first, as Reddit returns them. */
  items: RedditThing[];
  after: string | null;
  before: string | null;
}

export interface ListingParams {
  /** 1..100; the client defaults to 100. */
  limit?: number;
  before?: string;
  after?: string;
}

/** A set of subreddits read as one multireddit (`r/a+b+c`), or all of Reddit. */
export type SubredditSet = readonly string[] | 'all';

export interface SubredditInfo {
  name: string;
  title: string;
  subscribers: number | null;
  over18: boolean;
  description: string;
}

/** The listing reads ingestion needs; implemented by the OAuth client and by test doubles. */
export interface RedditListingClient {
  newPosts(subs: SubredditSet, params?: ListingParams): Promise<ListingPage>;
  newComments(subs: SubredditSet, params?: ListingParams): Promise<ListingPage>;
  search(query: string, opts?: ListingParams & { subreddit?: string; sort?: 'new' | 'relevance' }): Promise<ListingPage>;
  /** Up to 100 fullnames per call; the client batches longer lists. */
  info(fullnames: readonly string[]): Promise<RedditThing[]>;
  searchSubreddits(query: string, limit?: number): Promise<SubredditInfo[]>;
}
