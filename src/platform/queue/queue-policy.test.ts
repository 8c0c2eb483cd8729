import { Backoffs } from 'bullmq';
import { describe, expect, it } from 'vitest';
import { backoffDelayMs, resolveQueuePolicy, scheduleKey } from './queue-policy.js';

describe('queue policy', () => {
  it('when the inline runner computes a retry delay, then it equals BullMQ exponential backoff for every attempt', () => {
    const policy = resolveQueuePolicy({ backoffBaseMs: 1_500 });
    for (let attemptsMade = 1; attemptsMade <= 8; attemptsMade++) {
      const bull = Backoffs.calculate({ type: 'exponential', delay: 1_500 }, attemptsMade, new Error('x'), undefined as never);
      expect(backoffDelayMs(policy, attemptsMade)).toBe(bull);
    }
  });

  it('when a schedule id is already namespaced by its group, then it is kept as is', () => {
    expect(scheduleKey('ingest', 'r/saas')).toBe('ingest:r/saas');
    expect(scheduleKey('ingest', 'ingest:r/saas')).toBe('ingest:r/saas');
  });
});
