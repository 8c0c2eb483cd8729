import { z } from 'zod';
import type { Env } from '../../config/env.js';
import type { Db } from '../../platform/db/client.js';
import type { Logger } from '../../platform/logger.js';
import { defineJob, type QueueSystem, type Schedule } from '../../platform/queue/queue.js';
import { applyWatchSet, listCursors, listWatchingCampaigns } from './ingest.repo.js';
import { createStreamPoller, type IngestSettings, type StreamPollerDeps } from './stream-poller.js';
import { deriveWatchSet } from './watch-set.js';

export type { IngestSettings };

export const ingestPayload = z.object({ streamKey: z.string().min(1) });

/** Reddit's free tier allows 1,000 requests per 10 minutes; listings get this share of it. */
export function ingestSettingsFromEnv(env: Env): IngestSettings {
  return {
    subsPerStream: env.INGEST_SUBS_PER_STREAM,
    minIntervalMs: env.INGEST_MIN_INTERVAL_MS,
    maxIntervalMs: env.INGEST_MAX_INTERVAL_MS,
    lagWindowMs: env.INGEST_LAG_WINDOW_MS,
    requestsPerSecond: env.INGEST_REQUESTS_PER_10MIN / 600,
  };
}

/** The ingest queue's processor: one poll of one stream (skipped when not due or claimed elsewhere). */
export function createIngestJob(deps: StreamPollerDeps) {
  const poller = createStreamPoller(deps);
  return defineJob({
    queue: 'ingest',
    payload: ingestPayload,
    async process({ streamKey }) {
      await poller.poll(streamKey);
    },
  });
}

/**
 * Makes stream_cursors match the active campaigns and returns one schedule per stream.
 * Schedules tick at the shortest interval and each job checks whether its stream is due,
 * so an interval that adapts takes effect at once without rescheduling anything.
 */
export async function syncStreams(deps: { db: Db; settings: IngestSettings; log?: Logger }): Promise<Schedule[]> {
  const { db, settings } = deps;
  const specs = deriveWatchSet(await listWatchingCampaigns(db), settings.subsPerStream);
  const cursors = await listCursors(db, { activeOnly: false });
  const known = new Set(cursors.map((c) => c.streamKey));
  const withSeeds = specs.map((spec) => {
    if (known.has(spec.key) || spec.subreddits === 'all') {
      return { ...spec, seed: { newestCreatedUtc: null }, pollIntervalMs: settings.maxIntervalMs };
    }
    // A regrouped stream starts where the streams that read its subreddits stopped, so its
    // first poll pages back over the hand-over instead of leaving a gap.
    const subs = new Set(spec.subreddits);
    let seed: Date | null = null;
    for (const c of cursors) {
      if (!c.active || c.kind !== spec.kind || !c.newestCreatedUtc) continue;
      if (!c.subreddits.some((s) => subs.has(s))) continue;
      if (seed === null || c.newestCreatedUtc < seed) seed = c.newestCreatedUtc;
    }
    return { ...spec, seed: { newestCreatedUtc: seed }, pollIntervalMs: settings.maxIntervalMs };
  });
  const { added, removed } = await applyWatchSet(db, withSeeds);
  if (added.length > 0 || removed.length > 0) deps.log?.info({ added, removed }, 'ingest: watch set changed');
  return specs.map((s) => ({
    id: `ingest:${s.key}`,
    queue: 'ingest',
    everyMs: settings.minIntervalMs,
    payload: { streamKey: s.key },
  }));
}

/** syncStreams, then hands the schedules to the queue system; call at start and when campaigns change. */
export async function syncIngestSchedules(deps: {
  db: Db;
  queue: Pick<QueueSystem, 'syncSchedules'>;
  settings: IngestSettings;
  log?: Logger;
}): Promise<Schedule[]> {
  const schedules = await syncStreams(deps);
  await deps.queue.syncSchedules('ingest', schedules);
  return schedules;
}
