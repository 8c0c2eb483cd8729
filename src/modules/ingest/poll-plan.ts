/**
 * The cursor maths of one stream, kept pure so it can be tested without Reddit or a database.
 *
 * Reddit's index lags: an item created at t may enter a listing up to `lagWindowMs` later,
 * below items that were already there. So a poll re-reads from the newest item down to
 * (newest seen at the previous poll - lag window) instead of asking only for items newer
 * than the cursor; re-read items are dropped by fullname.
 */

export const PAGE_SIZE = 100;
/** Reddit serves no listing deeper than 1,000 items. */
export const LISTING_CAP = 1000;

export interface PollSettings {
  minIntervalMs: number;
  maxIntervalMs: number;
  lagWindowMs: number;
  /** Listing requests per second all streams together may spend (a share of the API quota). */
  requestsPerSecond: number;
}

/** Whether to read one more page (with `after`) before moving the cursor. */
export function shouldPageBack(args: {
  pageLength: number;
  pagesRead: number;
  oldestOnPage: Date | undefined;
  /** Items older than this were visible at the previous poll; null for a stream never polled. */
  threshold: Date | null;
  hasAfter: boolean;
}): boolean {
  if (args.pageLength < PAGE_SIZE || !args.hasAfter) return false;
  if (args.threshold === null || args.oldestOnPage === undefined) return false;
  if (args.pagesRead * PAGE_SIZE >= LISTING_CAP) return false;
  return args.oldestOnPage.getTime() >= args.threshold.getTime();
}

/**
 * Items per second from one poll. New items over elapsed time is exact while the read
 * reached the previous poll's items; when it could not (the listing cap, a one-page read
 * of a busy stream, a first poll) the density of the first page is the better estimate.
 * Density alone would mistake one burst for a steady rate, so it is used only then.
 */
export function measureRate(args: {
  newItems: number;
  elapsedMs: number | null;
  /** The read stopped before reaching items it had seen. */
  capped: boolean;
  pageSpan: { count: number; newestMs: number; oldestMs: number } | null;
}): number | null {
  const span = args.pageSpan;
  const density =
    span && span.count >= PAGE_SIZE && span.newestMs > span.oldestMs
      ? (span.count - 1) / ((span.newestMs - span.oldestMs) / 1000)
      : null;
  const elapsed = args.elapsedMs !== null && args.elapsedMs > 0 ? args.newItems / (args.elapsedMs / 1000) : null;
  if (elapsed === null) return density;
  if (args.capped && density !== null) return Math.max(elapsed, density);
  return elapsed;
}

/** Smooths the rate so one quiet or busy poll does not swing the interval. */
export function smoothRate(previousPerMinute: number, samplePerSecond: number | null, hadHistory: boolean): number {
  if (samplePerSecond === null) return previousPerMinute;
  const sample = samplePerSecond * 60;
  return hadHistory ? previousPerMinute * 0.5 + sample * 0.5 : sample;
}

/** Listing requests per second one stream costs when polled every intervalMs at ratePerSecond. */
export function requestCost(ratePerSecond: number, intervalMs: number, lagWindowMs: number): number {
  const window = (ratePerSecond * (intervalMs + lagWindowMs)) / 1000;
  const pages = Math.min(LISTING_CAP / PAGE_SIZE, Math.max(1, Math.ceil(window / PAGE_SIZE)));
  return pages / (intervalMs / 1000);
}

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

export interface StreamPlan {
  intervalMs: number;
  /**
   * False for a stream too busy to cover even at the shortest interval (its lag window holds
   * more than the listing cap, e.g. r/all): it reads only the newest page, more often,
   * since ten pages now and then buy the same items with ten times the latency.
   */
  pageBack: boolean;
}

/**
 * Poll intervals for every active stream together, within one request budget.
 * Coverable streams first aim for pages about half full of new items; if that costs more
 * than the budget they are all stretched by one factor (a longer interval also amortises
 * the lag-window re-read), never past maxIntervalMs, which is therefore the latency bound.
 * Streams that cannot be covered share what is left, one page per poll.
 */
export function planIntervals(streams: readonly { key: string; itemsPerMinute: number }[], s: PollSettings): Map<string, StreamPlan> {
  const rated = streams.map((st) => ({ key: st.key, rate: Math.max(0, st.itemsPerMinute) / 60 }));
  const saturated = (rate: number) => (rate * (s.minIntervalMs + s.lagWindowMs)) / 1000 > LISTING_CAP;
  const coverable = rated.filter((r) => !saturated(r.rate));
  const busy = rated.filter((r) => saturated(r.rate));
  const base = coverable.map((r) =>
    r.rate > 0 ? clamp((PAGE_SIZE / 2 / r.rate) * 1000, s.minIntervalMs, s.maxIntervalMs) : s.maxIntervalMs,
  );
  const at = (i: number, factor: number) => clamp(base[i]! * factor, s.minIntervalMs, s.maxIntervalMs);
  const costAt = (factor: number) =>
    coverable.reduce((sum, r, i) => sum + requestCost(r.rate, at(i, factor), s.lagWindowMs), 0);
  // Busy streams keep at least one page per maxIntervalMs out of the coverable streams' share.
  const coverableBudget = Math.max(0, s.requestsPerSecond - busy.length / (s.maxIntervalMs / 1000));
  let factor = 1;
  const ceiling = s.maxIntervalMs / s.minIntervalMs;
  while (costAt(factor) > coverableBudget && factor < ceiling) factor *= 1.05;
  const out = new Map<string, StreamPlan>();
  coverable.forEach((r, i) => {
    out.set(r.key, { intervalMs: Math.round(at(i, factor)), pageBack: true });
  });
  if (busy.length > 0) {
    const left = Math.max(0, s.requestsPerSecond - costAt(factor));
    const each = left / busy.length;
    const intervalMs = each > 0 ? clamp(1000 / each, s.minIntervalMs, s.maxIntervalMs) : s.maxIntervalMs;
    for (const r of busy) out.set(r.key, { intervalMs: Math.round(intervalMs), pageBack: false });
  }
  return out;
}
