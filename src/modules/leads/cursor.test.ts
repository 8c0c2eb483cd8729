import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor } from './cursor.js';

describe('inbox cursor', () => {
  const id = '0b7e6f3c-1d2a-4c5b-8e9f-0a1b2c3d4e5f';

  it('when a newest cursor round-trips, then the microsecond timestamp is kept exactly', () => {
    const c = { sort: 'newest' as const, createdAt: '2026-11-25T10:11:12.123456Z', id };
    expect(decodeCursor(encodeCursor(c), 'newest')).toEqual(c);
  });

  it('when a score cursor round-trips, then score and id come back', () => {
    const c = { sort: 'score' as const, score: 87, id };
    expect(decodeCursor(encodeCursor(c), 'score')).toEqual(c);
  });

  it('when a cursor is garbage, tampered or for the other sort, then it is refused as invalid_cursor', () => {
    const tampered = Buffer.from(JSON.stringify({ k: 'n', t: "2026'); drop table leads; --", i: id })).toString('base64url');
    for (const [raw, sort] of [
      ['not base64 !!', 'newest'],
      [tampered, 'newest'],
      [encodeCursor({ sort: 'score', score: 5, id }), 'newest'],
      [Buffer.from('{"k":"s","s":101,"i":"x"}').toString('base64url'), 'score'],
    ] as const) {
      expect(() => decodeCursor(raw, sort)).toThrow(expect.objectContaining({ code: 'invalid_cursor', status: 400 }));
    }
  });
});
