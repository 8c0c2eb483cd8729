import { z } from 'zod';
import { ValidationError } from '../../platform/errors.js';

/**
 * Keyset position of the last row of a page: (created_at, id) for `newest`, (score, id) for
 * `score`. created_at is kept as PostgreSQL's microsecond text, since a JS Date would round
 * it to milliseconds and rows in the same millisecond would be skipped or repeated.
 */
export type Cursor = { sort: 'newest'; createdAt: string; id: string } | { sort: 'score'; score: number; id: string };

const wire = z.union([
  z.object({ k: z.literal('n'), t: z.string().regex(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/), i: z.uuid() }),
  z.object({ k: z.literal('s'), s: z.number().int().min(0).max(100), i: z.uuid() }),
]);

export function encodeCursor(c: Cursor): string {
  const body = c.sort === 'newest' ? { k: 'n', t: c.createdAt, i: c.id } : { k: 's', s: c.score, i: c.id };
  return Buffer.from(JSON.stringify(body)).toString('base64url');
}

/** Throws `invalid_cursor` for anything not made by encodeCursor for the same sort. */
export function decodeCursor(raw: string, sort: 'newest' | 'score'): Cursor {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
  } catch {
    parsed = undefined;
  }
  const result = wire.safeParse(parsed);
  if (!result.success) throw new ValidationError('The cursor is not valid.', undefined, 'invalid_cursor');
  const w = result.data;
  const cursor: Cursor = w.k === 'n' ? { sort: 'newest', createdAt: w.t, id: w.i } : { sort: 'score', score: w.s, id: w.i };
  if (cursor.sort !== sort) {
    throw new ValidationError('The cursor belongs to another sort order.', undefined, 'invalid_cursor');
  }
  return cursor;
}
