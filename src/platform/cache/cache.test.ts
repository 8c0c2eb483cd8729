import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parseCached } from './cache.js';

const schema = z.object({ n: z.number() });

describe('parseCached', () => {
  it('when the cached value is JSON of the right shape, then it is returned parsed', () => {
    expect(parseCached('{"n":3}', schema)).toEqual({ n: 3 });
  });

  it('when the key is missing, the text is not JSON, or the shape changed, then it reads as a miss', () => {
    expect(parseCached(undefined, schema)).toBeUndefined();
    expect(parseCached('{"n":', schema)).toBeUndefined();
    expect(parseCached('{"n":"3"}', schema)).toBeUndefined();
  });
});
