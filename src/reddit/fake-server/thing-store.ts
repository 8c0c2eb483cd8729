/**
 * The fake server's things, kept in Reddit's listing order (newest first) with Reddit's
 * cursor rules: `before=X` is the page just newer than X, `after=X` the page older than X,
 * a listing reaches back at most `cap` items, and a cursor outside that window (or deleted)
 * gives an empty page.
 */

export type ThingKind = 't1' | 't3' | 't5';

export interface StoredThing {
  fullname: string;
  kind: ThingKind;
  /** Lower-case subreddit; for a t5, its own name. */
  subreddit: string;
  createdMs: number;
  /** When the item shows up in listings (created time plus index lag). */
  visibleAtMs: number;
  data: Record<string, unknown>;
  /** Lower-case title and text, for search. */
  text: string;
  removed?: boolean;
}

export interface PageParams {
  limit: number;
  before?: string | undefined;
  after?: string | undefined;
}

export interface Page {
  things: StoredThing[];
  after: string | null;
  before: string | null;
}

function idOf(fullname: string): string {
  return fullname.slice(fullname.indexOf('_') + 1);
}

/** Base-36 ids compare by length first, then character by character. */
function compareIds(a: string, b: string): number {
  if (a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Ascending order: oldest first inside the arrays, so appending new items is cheap. */
function compareAsc(a: StoredThing, b: StoredThing): number {
  return a.createdMs - b.createdMs || compareIds(idOf(a.fullname), idOf(b.fullname));
}

function isVisible(t: StoredThing, now: number): boolean {
  return !t.removed && t.visibleAtMs <= now;
}

export function paginate(newestFirst: readonly StoredThing[], params: PageParams): Page {
  const limit = Math.max(1, Math.min(100, params.limit));
  let start: number;
  let end: number;
  if (params.after) {
    const i = newestFirst.findIndex((t) => t.fullname === params.after);
    if (i < 0) return { things: [], after: null, before: null };
    start = i + 1;
    end = Math.min(newestFirst.length, start + limit);
  } else if (params.before) {
    const i = newestFirst.findIndex((t) => t.fullname === params.before);
    if (i < 0) return { things: [], after: null, before: null };
    end = i;
    start = Math.max(0, end - limit);
  } else {
    start = 0;
    end = Math.min(newestFirst.length, limit);
  }
  const things = newestFirst.slice(start, end);
  const paged = params.after !== undefined || params.before !== undefined;
  return {
    things,
    after: things.length > 0 && end < newestFirst.length ? things[things.length - 1]!.fullname : null,
    before: things.length > 0 && paged && start > 0 ? things[0]!.fullname : null,
  };
}

export interface ThingStore {
  add(thing: StoredThing): void;
  addMany(things: readonly StoredThing[]): void;
  get(fullname: string): StoredThing | undefined;
  remove(fullname: string): boolean;
  /** Newest first, visible at `now`, at most `cap` items: what a listing can reach. */
  window(kind: 't1' | 't3', subs: readonly string[] | 'all', now: number, cap: number): StoredThing[];
  search(query: string, subreddit: string | null, now: number, cap: number): StoredThing[];
  searchSubreddits(query: string, limit: number): StoredThing[];
  size(): number;
  /** Every t1/t3 visible at `now`: since the clock never goes back, every item ever listed. */
  visibleFullnames(now: number): string[];
}

export function createThingStore(): ThingStore {
  const byFullname = new Map<string, StoredThing>();
  const indexes = new Map<string, StoredThing[]>();

  function indexOf(key: string): StoredThing[] {
    let arr = indexes.get(key);
    if (!arr) {
      arr = [];
      indexes.set(key, arr);
    }
    return arr;
  }

  function insertSorted(arr: StoredThing[], t: StoredThing): void {
    if (arr.length === 0 || compareAsc(arr[arr.length - 1]!, t) <= 0) {
      arr.push(t);
      return;
    }
    let lo = 0;
    let hi = arr.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareAsc(arr[mid]!, t) <= 0) lo = mid + 1;
      else hi = mid;
    }
    arr.splice(lo, 0, t);
  }

  function keysOf(t: StoredThing): string[] {
    return t.kind === 't5' ? ['t5:all'] : [`${t.kind}:all`, `${t.kind}:${t.subreddit}`];
  }

  function add(t: StoredThing): void {
    if (byFullname.has(t.fullname)) return;
    byFullname.set(t.fullname, t);
    for (const key of keysOf(t)) insertSorted(indexOf(key), t);
  }

  /** Walks back from the newest item; hidden (lagging) items are only the most recent few. */
  function newestVisible(arr: readonly StoredThing[], now: number, cap: number, keep?: (t: StoredThing) => boolean) {
    const out: StoredThing[] = [];
    for (let i = arr.length - 1; i >= 0 && out.length < cap; i--) {
      const t = arr[i]!;
      if (isVisible(t, now) && (!keep || keep(t))) out.push(t);
    }
    return out;
  }

  return {
    add,
    addMany(things) {
      for (const t of things) add(t);
    },
    get: (fullname) => byFullname.get(fullname),
    remove(fullname) {
      const t = byFullname.get(fullname);
      if (!t) return false;
      t.removed = true;
      return true;
    },
    window(kind, subs, now, cap) {
      if (subs === 'all') return newestVisible(indexes.get(`${kind}:all`) ?? [], now, cap);
      const merged = [...new Set(subs.map((s) => s.toLowerCase()))].flatMap((s) =>
        newestVisible(indexes.get(`${kind}:${s}`) ?? [], now, cap),
      );
      merged.sort((a, b) => compareAsc(b, a));
      return merged.slice(0, cap);
    },
    search(query, subreddit, now, cap) {
      const terms = query.toLowerCase().split(/\s+/).filter(Boolean);
      const source = indexes.get(subreddit ? `t3:${subreddit.toLowerCase()}` : 't3:all') ?? [];
      return newestVisible(source, now, cap, (t) => terms.every((term) => t.text.includes(term)));
    },
    searchSubreddits(query, limit) {
      const q = query.toLowerCase();
      return (indexes.get('t5:all') ?? [])
        .filter((t) => !t.removed && t.text.includes(q))
        .sort((a, b) => Number(b.data.subscribers ?? 0) - Number(a.data.subscribers ?? 0))
        .slice(0, limit);
    },
    size: () => byFullname.size,
    visibleFullnames(now) {
      const out: string[] = [];
      for (const t of byFullname.values()) if (t.kind !== 't5' && t.visibleAtMs <= now) out.push(t.fullname);
      return out;
    },
  };
}
