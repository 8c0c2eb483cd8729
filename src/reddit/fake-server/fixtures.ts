import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { listingSchema, type RawChild } from '../things.schemas.js';
import type { StoredThing } from './thing-store.js';

/** The recorded PRAW cassettes, outside the repository (see the fixtures README). */
export const DEFAULT_CASSETTE_DIR = new URL('../../../../shared/reddit-fixtures/praw-cassettes/', import.meta.url);

const cassetteSchema = z.object({
  interactions: z.array(
    z.object({
      request: z.object({ method: z.string(), uri: z.string() }),
      response: z.object({
        status: z.object({ code: z.number() }),
        headers: z.record(z.string(), z.array(z.string())).optional(),
        body: z.object({ string: z.string() }),
      }),
    }),
  ),
});

export interface RecordedListing {
  file: string;
  uri: string;
  /** The parsed JSON body, exactly as Reddit sent it. */
  body: unknown;
}

function dirPath(dir: URL | string): string {
  return typeof dir === 'string' ? dir : fileURLToPath(dir);
}

/** Every Listing response body in every cassette, in recording order. */
export function readRecordedListings(dir: URL | string = DEFAULT_CASSETTE_DIR): RecordedListing[] {
  const path = dirPath(dir);
  const out: RecordedListing[] = [];
  for (const file of readdirSync(path).filter((f) => f.endsWith('.json')).sort()) {
    const cassette = cassetteSchema.parse(JSON.parse(readFileSync(`${path}/${file}`, 'utf8')));
    for (const { request, response } of cassette.interactions) {
      if (response.status.code !== 200 || !response.body.string.startsWith('{')) continue;
      const body: unknown = JSON.parse(response.body.string);
      if (listingSchema.safeParse(body).success) out.push({ file, uri: request.uri, body });
    }
  }
  return out;
}

// Recordings replace the test subreddit's name with a placeholder that is not a valid name.
function unplaceholder(name: string): string {
  return name.replace(/^<TEST_SUBREDDIT>$/, 'test_subreddit');
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

/** A raw Reddit child as the fake server stores it; null for kinds it does not serve. */
export function toStoredThing(child: RawChild, lagMs = 0): StoredThing | null {
  if (typeof child.data !== 'object' || child.data === null) return null;
  const data = { ...(child.data as Record<string, unknown>) };
  const id = str(data.id);
  const created = typeof data.created_utc === 'number' ? data.created_utc * 1000 : null;
  if (!id || created === null) return null;
  if (child.kind === 't1' || child.kind === 't3') {
    data.subreddit = unplaceholder(str(data.subreddit));
    if (!data.subreddit) return null;
    return {
      fullname: str(data.name) || `${child.kind}_${id}`,
      kind: child.kind,
      subreddit: String(data.subreddit).toLowerCase(),
      createdMs: created,
      visibleAtMs: created + lagMs,
      data,
      text: `${str(data.title)} ${str(data.selftext)} ${str(data.body)}`.toLowerCase(),
    };
  }
  if (child.kind === 't5') {
    const name = str(data.display_name);
    if (!name) return null;
    return {
      fullname: str(data.name) || `t5_${id}`,
      kind: 't5',
      subreddit: name.toLowerCase(),
      createdMs: created,
      visibleAtMs: created,
      data,
      text: `${name} ${str(data.title)} ${str(data.public_description)}`.toLowerCase(),
    };
  }
  return null;
}

/** Every distinct thing (t1, t3, t5) in the recordings, ready for the fake server's store. */
export function loadFixtureThings(dir: URL | string = DEFAULT_CASSETTE_DIR): StoredThing[] {
  const seen = new Map<string, StoredThing>();
  for (const { body } of readRecordedListings(dir)) {
    for (const child of listingSchema.parse(body).data.children) {
      const t = toStoredThing(child);
      if (t && !seen.has(t.fullname)) seen.set(t.fullname, t);
    }
  }
  return [...seen.values()];
}
