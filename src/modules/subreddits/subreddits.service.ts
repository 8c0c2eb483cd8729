import { type Cache, parseCached } from '../../platform/cache/cache.js';
import type { Db } from '../../platform/db/client.js';
import type { Logger } from '../../platform/logger.js';
import type { SubredditInfo } from '../../reddit/types.js';
import { seenSubreddits } from './subreddits.repo.js';
import { type SubredditSuggestions, subredditSuggestions } from './subreddits.schemas.js';

export interface SubredditServiceDeps {
  db: Db;
  cache: Cache;
  log: Logger;
  /** Reddit's own subreddit search, when Subscout reads Reddit (or the demo stream). */
  searchReddit?: (query: string, limit: number) => Promise<SubredditInfo[]>;
  /** Well-known communities per topic word (from the scraper's topic data). */
  topics: readonly { terms: readonly string[]; subreddits: readonly string[] }[];
}

const LIMIT = 10;
const CACHE_TTL_S = 86_400;

type Suggestion = SubredditSuggestions['items'][number];

/** Suggestions for the campaign editor's subreddit field, as the user types. */
export function createSubredditService(deps: SubredditServiceDeps) {
  async function fromReddit(q: string): Promise<Suggestion[]> {
    if (!deps.searchReddit) return [];
    const key = `subreddit-search:${q}`;
    // A cached answer that no longer parses (corrupt, or an older shape) is asked again.
    const cached = parseCached(await deps.cache.get(key), subredditSuggestions.shape.items);
    if (cached) return cached;
    try {
      const found = await deps.searchReddit(q, LIMIT);
      const items = found
        .filter((s) => !s.over18)
        .map((s): Suggestion => ({ name: s.name.toLowerCase(), subscribers: s.subscribers, source: 'reddit' }));
      // One Reddit request per distinct query a day, however many users type it.
      await deps.cache.set(key, JSON.stringify(items), CACHE_TTL_S);
      return items;
    } catch (err) {
      deps.log.warn({ err }, 'subreddit search on Reddit failed; suggesting from what is known');
      return [];
    }
  }

  function fromTopics(q: string): Suggestion[] {
    const out: Suggestion[] = [];
    for (const t of deps.topics) {
      if (!t.terms.some((term) => term.startsWith(q) || q.startsWith(term))) continue;
      for (const name of t.subreddits) out.push({ name, subscribers: null, source: 'topic' });
    }
    return out;
  }

  return {
    async suggest(query: string): Promise<SubredditSuggestions> {
      const q = query.trim().toLowerCase().replace(/^\/?r\//, '');
      const [reddit, seen] = await Promise.all([fromReddit(q), seenSubreddits(deps.db, q, LIMIT)]);
      const merged = new Map<string, Suggestion>();
      const nameMatches = [...seen.map((s): Suggestion => ({ name: s.name, subscribers: null, source: 'seen' }))];
      for (const s of [...reddit, ...nameMatches, ...fromTopics(q)]) if (!merged.has(s.name)) merged.set(s.name, s);
      return { items: [...merged.values()].slice(0, LIMIT) };
    },
  };
}

export type SubredditService = ReturnType<typeof createSubredditService>;
