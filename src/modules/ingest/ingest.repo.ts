import { and, eq, inArray, isNull, notInArray, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.js';
import { campaigns, type NewRedditItem, redditItems, type StreamCursor, streamCursors } from '../../platform/db/schema.js';
import type { RedditThing } from '../../reddit/types.js';
import type { StreamSpec } from './watch-set.js';

export type ItemSource = 'reddit' | 'demo' | 'import';

/** Rows per INSERT: about 12 parameters a row keeps a statement far below PostgreSQL's 65,535. */
const INSERT_CHUNK = 500;

// PostgreSQL text cannot hold NUL; Reddit bodies occasionally carry one.
const clean = (s: string) => (s.includes('\u0000') ? s.replaceAll('\u0000', '') : s);

function toRow(t: RedditThing, source: ItemSource): NewRedditItem {
  return {
    fullname: t.fullname,
    kind: t.kind,
    subreddit: t.subreddit,
    author: clean(t.author),
    title: clean(t.title),
    body: clean(t.body),
    permalink: t.permalink,
    url: t.url,
    linkId: t.linkId,
    score: Math.trunc(Math.max(-2_147_483_648, Math.min(2_147_483_647, t.score))),
    over18: t.over18,
    source,
    createdUtc: t.createdUtc,
  };
}

/**
 * Stores things in multi-row batches; a fullname already stored is left alone. Returns the
 * fullnames this call inserted, so only those are handed to matching.
 */
export async function insertItems(db: Db, things: readonly RedditThing[], source: ItemSource): Promise<string[]> {
  const unique = new Map<string, RedditThing>();
  for (const t of things) if (!unique.has(t.fullname)) unique.set(t.fullname, t);
  const rows = [...unique.values()].map((t) => toRow(t, source));
  const inserted: string[] = [];
  for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
    const res = await db
      .insert(redditItems)
      .values(rows.slice(i, i + INSERT_CHUNK))
      .onConflictDoNothing({ target: redditItems.fullname })
      .returning({ fullname: redditItems.fullname });
    for (const r of res) inserted.push(r.fullname);
  }
  return inserted;
}

/** Of these fullnames, those stored at or after `since` (database time). */
export async function fullnamesIngestedSince(db: Db, fullnames: readonly string[], since: Date): Promise<string[]> {
  if (fullnames.length === 0) return [];
  const rows = await db
    .select({ fullname: redditItems.fullname })
    .from(redditItems)
    .where(and(inArray(redditItems.fullname, [...fullnames]), sql`${redditItems.ingestedAt} >= ${since.toISOString()}`));
  return rows.map((r) => r.fullname);
}

/** Subreddits and whole-Reddit flags of the campaigns that are running. */
export async function listWatchingCampaigns(db: Db): Promise<{ subreddits: string[]; watchAll: boolean }[]> {
  return db
    .select({ subreddits: campaigns.subreddits, watchAll: campaigns.watchAll })
    .from(campaigns)
    .where(and(eq(campaigns.status, 'active'), isNull(campaigns.deletedAt)));
}

export async function listCursors(db: Db, opts: { activeOnly: boolean }): Promise<StreamCursor[]> {
  const q = db.select().from(streamCursors);
  return opts.activeOnly ? q.where(eq(streamCursors.active, true)) : q;
}

/** Left in last_error by a claim and cleared when the poll saves its cursor. */
export const INTERRUPTED = 'poll interrupted before it finished';

/**
 * Takes the stream for one poll: succeeds only for an active stream whose interval has
 * (nearly) elapsed, and stamps last_polled_at so a second worker asking now is refused.
 * Returns the row as it was before the claim, so the caller sees whether the previous poll
 * finished (its last_error is not INTERRUPTED).
 */
export async function claimStream(db: Db, key: string, now: Date): Promise<StreamCursor | undefined> {
  return db.transaction(async (tx) => {
    const [row] = await tx.select().from(streamCursors).where(eq(streamCursors.streamKey, key)).for('update');
    if (!row?.active) return undefined;
    const last = row.lastPolledAt?.getTime();
    // A stamp far in the future (restored snapshot, restarted simulation) must not stall a stream.
    const due =
      last === undefined || now.getTime() - last >= row.pollIntervalMs * 0.9 || last - now.getTime() > 600_000;
    if (!due) return undefined;
    await tx.update(streamCursors).set({ lastPolledAt: now, lastError: INTERRUPTED }).where(eq(streamCursors.streamKey, key));
    return row;
  });
}

export interface CursorUpdate {
  newestFullname: string | null;
  newestCreatedUtc: Date | null;
  recentFullnames: string[];
  pollIntervalMs: number;
  itemsPerMinute: number;
}

export async function saveCursor(db: Db, key: string, u: CursorUpdate): Promise<void> {
  await db
    .update(streamCursors)
    .set({ ...u, lastError: null, updatedAt: sql`now()` })
    .where(eq(streamCursors.streamKey, key));
}

/** Leaves updated_at alone: it marks the last completed poll, which recovery reads. */
export async function recordPollError(db: Db, key: string, message: string): Promise<void> {
  await db
    .update(streamCursors)
    .set({ lastError: message.slice(0, 500) })
    .where(eq(streamCursors.streamKey, key));
}

export async function listStreamRates(db: Db): Promise<{ key: string; itemsPerMinute: number }[]> {
  return db
    .select({ key: streamCursors.streamKey, itemsPerMinute: streamCursors.itemsPerMinute })
    .from(streamCursors)
    .where(eq(streamCursors.active, true));
}

/**
 * Makes the active streams exactly `specs`: new ones are created (seeded with a cursor so
 * their first poll pages back to where the streams they replace stopped), returning ones
 * are reactivated, the rest deactivated. Cursors are kept, not deleted, so a stream that
 * comes back resumes where it was.
 */
export async function applyWatchSet(
  db: Db,
  specs: readonly (StreamSpec & { seed: { newestCreatedUtc: Date | null }; pollIntervalMs: number })[],
): Promise<{ added: string[]; removed: string[] }> {
  return db.transaction(async (tx) => {
    const before = await tx.select({ key: streamCursors.streamKey, active: streamCursors.active }).from(streamCursors);
    const wasActive = new Set(before.filter((r) => r.active).map((r) => r.key));
    const known = new Set(before.map((r) => r.key));
    const keys = specs.map((s) => s.key);
    const fresh = specs.filter((s) => !known.has(s.key));
    if (fresh.length > 0) {
      await tx
        .insert(streamCursors)
        .values(
          fresh.map((s) => ({
            streamKey: s.key,
            kind: s.kind,
            subreddits: s.subreddits === 'all' ? ['all'] : [...s.subreddits],
            newestCreatedUtc: s.seed.newestCreatedUtc,
            pollIntervalMs: s.pollIntervalMs,
          })),
        )
        .onConflictDoNothing();
    }
    if (keys.length > 0) {
      await tx
        .update(streamCursors)
        .set({ active: true, updatedAt: sql`now()` })
        .where(and(inArray(streamCursors.streamKey, keys), eq(streamCursors.active, false)));
    }
    await tx
      .update(streamCursors)
      .set({ active: false, updatedAt: sql`now()` })
      .where(keys.length > 0 ? and(eq(streamCursors.active, true), notInArray(streamCursors.streamKey, keys)) : eq(streamCursors.active, true));
    return {
      added: keys.filter((k) => !wasActive.has(k)),
      removed: [...wasActive].filter((k) => !keys.includes(k)),
    };
  });
}
