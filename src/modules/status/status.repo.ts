import { asc } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.js';
import { streamCursors } from '../../platform/db/schema.js';

export async function listStreams(db: Db) {
  return db
    .select({
      key: streamCursors.streamKey,
      active: streamCursors.active,
      lastPolledAt: streamCursors.lastPolledAt,
      newestCreatedUtc: streamCursors.newestCreatedUtc,
      itemsPerMinute: streamCursors.itemsPerMinute,
      pollIntervalMs: streamCursors.pollIntervalMs,
      lastError: streamCursors.lastError,
    })
    .from(streamCursors)
    .orderBy(asc(streamCursors.streamKey));
}
