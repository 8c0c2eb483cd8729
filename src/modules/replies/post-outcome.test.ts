import { describe, expect, it } from 'vitest';
import { parseCommentAnswer } from '../../reddit/comment-result.js';
import { DEFAULT_RATELIMIT_WAIT_MS, decidePostOutcome } from './post-outcome.js';

const answer = (code: string, message: string, field: string | null = null) =>
  decidePostOutcome(parseCommentAnswer(200, { json: { errors: [[code, message, field]] } }));

describe('decidePostOutcome', () => {
  it('when Reddit returns the new comment, then the reply is posted with its fullname', () => {
    const result = parseCommentAnswer(200, {
      json: { errors: [], data: { things: [{ kind: 't1', data: { id: 'abc', name: 't1_abc' } }] } },
    });
    expect(decidePostOutcome(result)).toEqual({ kind: 'posted', fullname: 't1_abc' });
  });

  it('when Reddit answers RATELIMIT with a wait, then the wait is taken from its message', () => {
    expect(answer('RATELIMIT', 'You are doing that too much. Try again in 3 minutes.', 'ratelimit')).toEqual({
      kind: 'rate_limited',
      waitMs: 180_000,
    });
    expect(answer('RATELIMIT', 'Take a break for 45 seconds before trying again.')).toEqual({
      kind: 'rate_limited',
      waitMs: 45_000,
    });
  });

  it('when Reddit answers RATELIMIT without a wait, then the default pause applies', () => {
    expect(answer('RATELIMIT', 'You are doing that too much.')).toEqual({
      kind: 'rate_limited',
      waitMs: DEFAULT_RATELIMIT_WAIT_MS,
    });
  });

  it.each([
    ['THREAD_LOCKED', /locked/],
    ['TOO_OLD', /archived/],
    ['DELETED_COMMENT', /deleted/],
    ['SUBREDDIT_NOTALLOWED', /subreddit/],
  ])('when Reddit answers %s, then the reply fails for good with a readable error', (code, text) => {
    const outcome = answer(code, 'whatever reddit says');
    expect(outcome.kind).toBe('failed');
    expect(outcome.kind === 'failed' && outcome.error).toMatch(text);
  });

  it('when the account is suspended (HTTP 403), then the reply fails for good', () => {
    expect(decidePostOutcome(parseCommentAnswer(403, null))).toEqual({
      kind: 'failed',
      error: 'Reddit refused the account (suspended or banned).',
    });
  });

  it('when the user token is refused, then the job retries with a fresh token', () => {
    expect(decidePostOutcome(parseCommentAnswer(401, null))).toEqual({ kind: 'retry', reason: 'UNAUTHORIZED' });
  });

  it('when Reddit names an error without a known meaning, then its code and message are kept', () => {
    expect(answer('TOO_LONG', 'this is too long (max: 10000)', 'text')).toEqual({
      kind: 'failed',
      error: 'Reddit did not take the comment (TOO_LONG: this is too long (max: 10000)).',
    });
  });
});
