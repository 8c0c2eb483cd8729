import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createLogger } from '../logger.js';
import { defineJob } from './queue.js';
import { createJobRegistry, executeJob, JobRegistryError } from './registry.js';

const log = createLogger({ level: 'silent', pretty: false });
const match = defineJob({ queue: 'match', payload: z.object({ itemIds: z.array(z.string()) }), async process() {} });
const score = defineJob({ queue: 'score', payload: z.object({ leadIds: z.array(z.string()) }), async process() {} });

describe('job registry', () => {
  it('when every consumed queue has a definition, then lookup returns it', () => {
    const registry = createJobRegistry([match, score], ['match', 'score']);
    expect(registry.get('score')).toBe(score);
    expect(registry.queues).toEqual(['match', 'score']);
  });

  it('when consumed queues lack a processor, then start-up fails naming every missing queue', () => {
    expect(() => createJobRegistry([match], ['match', 'score', 'notify'])).toThrow(
      new JobRegistryError('Job registry: no processor for queue score, notify'),
    );
  });

  it('when a queue has two definitions, then start-up fails', () => {
    expect(() => createJobRegistry([match, { ...match }], ['match'])).toThrow(/more than one processor for queue match/);
  });

  it('when a process consumes nothing, then no definition is needed and none is looked up', () => {
    const registry = createJobRegistry([], []);
    expect(registry.queues).toEqual([]);
    expect(() => registry.get('match')).toThrow(/not consumed here/);
  });

  it('when a payload fails its schema, then the job fails with UnrecoverableError naming the bad field', async () => {
    let ran = false;
    const def = defineJob({
      queue: 'match',
      payload: z.object({ itemIds: z.array(z.string()).min(1) }),
      async process() {
        ran = true;
      },
    });
    const failure = executeJob(def, { itemIds: [] }, { jobId: 'j1', attempt: 1, log });
    await expect(failure).rejects.toMatchObject({ name: 'UnrecoverableError', message: expect.stringMatching(/itemIds/) });
    expect(ran).toBe(false);
  });

  it('when a payload passes, then the processor gets the parsed value', async () => {
    let got: unknown;
    const def = defineJob({
      queue: 'score',
      payload: z.object({ leadIds: z.array(z.string()).default([]) }),
      async process(payload) {
        got = payload;
      },
    });
    await executeJob(def, {}, { jobId: 'j2', attempt: 1, log });
    expect(got).toEqual({ leadIds: [] });
  });
});
