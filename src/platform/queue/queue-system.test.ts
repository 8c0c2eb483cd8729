import { describe, expect, it } from 'vitest';
import { loadEnv } from '../../config/env.js';
import { createLogger } from '../logger.js';
import { createQueueSystemFromEnv } from './queue-system.js';

const log = createLogger({ level: 'silent', pretty: false });

describe('queue system choice', () => {
  it('when REDIS_URL is not set, then the in-process runner is used and there is no dashboard', async () => {
    const { system, bullmq } = createQueueSystemFromEnv(loadEnv({}), log);
    expect(bullmq).toBeUndefined();
    await system.enqueue('match', { itemIds: ['t3_a'] });
    expect((await system.counts()).match.waiting).toBe(1);
    await system.close(100);
  });

  it('when REDIS_URL is set, then BullMQ is used and its queues are offered to the dashboard', async () => {
    const { system, bullmq } = createQueueSystemFromEnv(loadEnv({ REDIS_URL: 'redis://127.0.0.1:1' }), log);
    expect(bullmq).toBe(system);
    expect(bullmq?.queues().map((q) => q.name)).toContain('scrape');
    await system.close(100);
  });
});
