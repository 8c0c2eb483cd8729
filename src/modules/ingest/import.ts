import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import type { Db } from '../../platform/db/client.js';
import type { Logger } from '../../platform/logger.js';
import type { QueueProducer } from '../../platform/queue/queue.js';
import { childSchema, parseListing, toRedditThing } from '../../reddit/things.schemas.js';
import type { RedditThing } from '../../reddit/types.js';
import { insertItems } from './ingest.repo.js';
import { enqueueMatch, MATCH_BATCH } from './match-handoff.js';

export interface ImportProgress {
  bytesRead: number;
  totalBytes: number;
  read: number;
  inserted: number;
}

export interface ImportResult {
  read: number;
  inserted: number;
  duplicate: number;
  invalid: { line: number; reason: string }[];
}

/** Invalid lines reported one by one; past this, only counted. */
const MAX_REPORTED_INVALID = 100;

/** A dump line may be `{kind, data}` or the bare data; the kind then follows from the fields. */
function thingFromJson(value: unknown): RedditThing | null {
  const wrapped = childSchema.safeParse(value);
  if (wrapped.success && typeof wrapped.data.data === 'object' && wrapped.data.data !== null) return toRedditThing(wrapped.data);
  if (typeof value !== 'object' || value === null) return null;
  const data = value as Record<string, unknown>;
  const name = typeof data.name === 'string' ? data.name : '';
  const kind = name.startsWith('t1_') || (!name && 'link_id' in data && 'body' in data) ? 't1' : 't3';
  return toRedditThing({ kind, data });
}

async function firstChar(path: string): Promise<string> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(4096);
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    return buf.subarray(0, bytesRead).toString('utf8').trimStart().charAt(0);
  } finally {
    await fh.close();
  }
}

/**
 * Ingests a Reddit JSON file: a Listing response, an array of things, or NDJSON with one
 * thing per line (read line by line, so dumps of any size fit in memory). Rows are stored
 * with source 'import' in batches and handed to matching like polled ones.
 */
export async function importRedditFile(deps: {
  db: Db;
  queue: QueueProducer;
  log: Logger;
  path: string;
  onProgress?: (p: ImportProgress) => void;
}): Promise<ImportResult> {
  const { db, queue, log, path } = deps;
  const totalBytes = (await stat(path)).size;
  const result: ImportResult = { read: 0, inserted: 0, duplicate: 0, invalid: [] };
  let invalidCount = 0;
  let bytesRead = 0;
  let batch: RedditThing[] = [];

  const invalid = (line: number, reason: string) => {
    invalidCount++;
    if (result.invalid.length < MAX_REPORTED_INVALID) result.invalid.push({ line, reason });
  };
  const flush = async () => {
    if (batch.length === 0) return;
    const inserted = await insertItems(db, batch, 'import');
    await enqueueMatch(queue, inserted);
    result.inserted += inserted.length;
    result.duplicate += batch.length - inserted.length;
    batch = [];
    deps.onProgress?.({ bytesRead, totalBytes, read: result.read, inserted: result.inserted });
  };
  const add = async (thing: RedditThing) => {
    result.read++;
    batch.push(thing);
    if (batch.length >= MATCH_BATCH) await flush();
  };

  const head = await firstChar(path);
  const lines = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Number.POSITIVE_INFINITY });
  let lineNo = 0;
  let whole: string[] | null = null;
  for await (const line of lines) {
    lineNo++;
    bytesRead += Buffer.byteLength(line, 'utf8') + 1;
    if (whole) {
      whole.push(line);
      continue;
    }
    if (line.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      // A pretty-printed Listing or array does not parse line by line: read it whole.
      if (lineNo === 1 && (head === '{' || head === '[')) {
        whole = [line];
        continue;
      }
      invalid(lineNo, 'not JSON');
      continue;
    }
    const listing = parseListing(value);
    if (listing) {
      for (const t of listing.things) await add(t);
      for (let i = 0; i < listing.malformed; i++) invalid(lineNo, 'listing child lacks required fields');
      continue;
    }
    const items = Array.isArray(value) ? value : [value];
    for (const item of items) {
      const thing = thingFromJson(item);
      if (thing) await add(thing);
      else invalid(lineNo, 'not a post or comment');
    }
  }
  if (whole) {
    let value: unknown;
    try {
      value = JSON.parse(whole.join('\n'));
    } catch {
      invalid(1, 'not JSON, NDJSON or a Listing');
      value = [];
    }
    const listing = parseListing(value);
    const items = listing ? [] : Array.isArray(value) ? value : [value];
    if (listing) for (const t of listing.things) await add(t);
    for (const [i, item] of items.entries()) {
      const thing = thingFromJson(item);
      // For a whole-file array, the "line" is the element's position.
      if (thing) await add(thing);
      else invalid(i + 1, 'array element is not a post or comment');
    }
  }
  await flush();
  if (invalidCount > result.invalid.length) log.warn({ invalid: invalidCount }, 'import: more invalid lines than reported');
  log.info({ path, ...result, invalid: invalidCount }, 'import finished');
  return result;
}
