import type { z } from 'zod';

/** A small key-value cache with TTL: Redis in distributed mode, a bounded LRU in embedded mode. */
export interface Cache {
  get(key: string): Promise<string | undefined>;
  getMany(keys: readonly string[]): Promise<(string | undefined)[]>;
  set(key: string, value: string, ttlSeconds: number): Promise<void>;
  delete(key: string): Promise<void>;
}

/** Reads a cached JSON value through its schema; a value that no longer parses counts as a miss. */
export function parseCached<S extends z.ZodType>(raw: string | undefined, schema: S): z.output<S> | undefined {
  if (raw === undefined) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return undefined;
  }
  const parsed = schema.safeParse(json);
  return parsed.success ? parsed.data : undefined;
}
