import { describe, expect, it } from 'vitest';
import { parseCommentAnswer, parseRateLimitWait } from './comment-result.js';

describe('POST /api/comment answers', () => {
  it('when Reddit states a RATELIMIT wait in words, then it is read in milliseconds', () => {
    expect(parseRateLimitWait('You are doing that too much. Try again in 3 minutes.')).toBe(180_000);
    expect(parseRateLimitWait('Take a break for 1 minute before trying again.')).toBe(60_000);
    expect(parseRateLimitWait('Try again in 45 seconds.')).toBe(45_000);
    expect(parseRateLimitWait('Try again in 9 milliseconds.')).toBe(9);
    expect(parseRateLimitWait('You are doing that too much.')).toBeNull();
  });

  it('when the answer carries errors, then the first becomes a typed failure', () => {
    expect(parseCommentAnswer(200, { json: { errors: [['TOO_OLD', "that's a piece of history", 'parent']] } })).toMatchObject({
      ok: false,
      code: 'TOO_OLD',
      field: 'parent',
      permanent: true,
      retryAfterMs: null,
    });
    expect(parseCommentAnswer(200, { json: { errors: [['USER_REQUIRED', 'Please log in to do that.', null]] } })).toMatchObject({
      code: 'USER_REQUIRED',
      field: null,
      permanent: false,
    });
    expect(parseCommentAnswer(200, '<html>')).toMatchObject({ ok: false, code: 'UNKNOWN' });
  });
});
