import type { Db } from '../../platform/db/client.js';
import type { Logger } from '../../platform/logger.js';
import type { QueueProducer } from '../../platform/queue/queue.js';
import type { ListingPage, RedditListingClient, RedditThing } from '../../reddit/types.js';
import {
  claimStream,
  fullnamesIngestedSince,
  type ItemSource,
  insertItems,
  listStreamRates,
  recordPollError,
  saveCursor,
} from './ingest.repo.js';
import { enqueueMatch } from './match-handoff.js';
import { measureRate, PAGE_SIZE, type PollSettings, planIntervals, shouldPageBack, smoothRate } from './poll-plan.js';
import { parseStreamKey } from './watch-set.js';

export interface IngestSettings extends PollSettings {
  subsPerStream: number;
}

export interface StreamPollerDeps {
  db: Db;
  reddit: Pick<RedditListingClient, 'newPosts' | 'newComments'>;
  queue: QueueProducer;
  log: Logger;
  now: () => Date;
  settings: IngestSettings;
  /** How stored rows are labelled: 'demo' for the shipped demo stream. */
  source: ItemSource;
}

export type PollOutcome =
  | { status: 'skipped' }
  | {
      status: 'polled';
      requests: number;
      read: number;
      inserted: number;
      handedOff: number;
      /** The listing cap was reached before the previous poll's items: some items may be missing. */
      gap: boolean;
      intervalMs: number;
    };

/** Keeps the cursor row small on busy streams; the lag window rarely holds more. */
const RECENT_MAX = 1000;

export function createStreamPoller(deps: StreamPollerDeps) {
  const { db, reddit, queue, log, now, settings, source } = deps;

  async function readWindow(
    fetch: (p: { limit: number; after?: string }) => Promise<ListingPage>,
    threshold: Date | null,
    pageBack: boolean,
  ) {
    const items: RedditThing[] = [];
    let after: string | undefined;
    let requests = 0;
    let gap = false;
    for (;;) {
      const page = await fetch(after ? { limit: PAGE_SIZE, after } : { limit: PAGE_SIZE });
      requests++;
      items.push(...page.items);
      const oldest = page.items.at(-1)?.createdUtc;
      const more = shouldPageBack({
        pageLength: page.items.length,
        pagesRead: requests,
        oldestOnPage: oldest,
        threshold,
        hasAfter: page.after !== null,
      });
      if (!more || !pageBack) {
        gap = pageBack && threshold !== null && page.items.length >= PAGE_SIZE && oldest !== undefined && oldest >= threshold && page.after !== null;
        break;
      }
      after = page.after ?? undefined;
    }
    return { items, requests, gap };
  }

  async function poll(streamKey: string): Promise<PollOutcome> {
    const spec = parseStreamKey(streamKey);
    if (!spec) {
      log.warn({ streamKey }, 'ingest: unknown stream key');
      return { status: 'skipped' };
    }
    const startedAt = now();
    const cursor = await claimStream(db, streamKey, startedAt);
    if (!cursor) return { status: 'skipped' };

    try {
      const fetch =
        spec.kind === 'posts'
          ? (p: { limit: number; after?: string }) => reddit.newPosts(spec.subreddits, p)
          : (p: { limit: number; after?: string }) => reddit.newComments(spec.subreddits, p);
      const threshold = cursor.newestCreatedUtc ? new Date(cursor.newestCreatedUtc.getTime() - settings.lagWindowMs) : null;
      const rates = await listStreamRates(db);
      const before = planIntervals(rates, settings).get(streamKey);
      const { items, requests, gap } = await readWindow(fetch, threshold, before?.pageBack ?? true);

      const seen = new Set(cursor.recentFullnames);
      const unseen = new Map<string, RedditThing>();
      for (const t of items) if (!seen.has(t.fullname) && !unseen.has(t.fullname)) unseen.set(t.fullname, t);

      // Rows first, cursor last: a crash in between only makes the next poll re-read.
      const inserted = await insertItems(db, [...unseen.values()], source);
      let handOff = inserted;
      if (cursor.lastError !== null && inserted.length < unseen.size) {
        // The previous poll failed or died (INTERRUPTED): it may have stored rows without
        // handing them to matching. Rows stored since the last completed poll go again.
        const inserting = new Set(inserted);
        const conflicted = [...unseen.keys()].filter((f) => !inserting.has(f));
        handOff = [...inserted, ...(await fullnamesIngestedSince(db, conflicted, cursor.updatedAt))];
      }
      await enqueueMatch(queue, handOff);

      let newest: RedditThing | undefined;
      let oldest: RedditThing | undefined;
      for (const t of items) {
        if (!newest || t.createdUtc > newest.createdUtc) newest = t;
        if (!oldest || t.createdUtc < oldest.createdUtc) oldest = t;
      }
      const keepNewest = !newest || (cursor.newestCreatedUtc && cursor.newestCreatedUtc > newest.createdUtc);
      const newestCreatedUtc = keepNewest ? cursor.newestCreatedUtc : newest!.createdUtc;
      const newestFullname = keepNewest ? cursor.newestFullname : newest!.fullname;

      const hadHistory = cursor.newestCreatedUtc !== null;
      const elapsedMs = cursor.lastPolledAt && hadHistory ? startedAt.getTime() - cursor.lastPolledAt.getTime() : null;
      const firstPage = items.slice(0, PAGE_SIZE);
      const pageBack = before?.pageBack ?? true;
      const sample = measureRate({
        newItems: unseen.size,
        elapsedMs,
        capped: gap || (!pageBack && items.length >= PAGE_SIZE),
        pageSpan:
          firstPage.length > 0
            ? {
                count: firstPage.length,
                newestMs: firstPage[0]!.createdUtc.getTime(),
                oldestMs: firstPage.at(-1)!.createdUtc.getTime(),
              }
            : null,
      });
      const itemsPerMinute = smoothRate(cursor.itemsPerMinute, sample, hadHistory && elapsedMs !== null);

      const updated = rates.map((r) => (r.key === streamKey ? { key: r.key, itemsPerMinute } : r));
      const pollIntervalMs = planIntervals(updated, settings).get(streamKey)?.intervalMs ?? settings.maxIntervalMs;

      // What this poll read covers the next poll's window down to its threshold.
      const recentFullnames = [...new Set(items.map((t) => t.fullname))].slice(0, RECENT_MAX);

      await saveCursor(db, streamKey, { newestFullname, newestCreatedUtc, recentFullnames, pollIntervalMs, itemsPerMinute });
      if (gap) log.warn({ streamKey, requests }, 'ingest: listing cap reached; items older than the cap were not read');
      log.debug({ streamKey, requests, read: items.length, inserted: inserted.length, pollIntervalMs }, 'ingest: polled');
      return {
        status: 'polled',
        requests,
        read: items.length,
        inserted: inserted.length,
        handedOff: handOff.length,
        gap,
        intervalMs: pollIntervalMs,
      };
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      await recordPollError(db, streamKey, message).catch(() => {});
      throw err;
    }
  }

  return { poll };
}

export type StreamPoller = ReturnType<typeof createStreamPoller>;
