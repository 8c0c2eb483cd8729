import { describe, expect, it } from 'vitest';
import { matchPath } from './router.js';

describe('matchPath', () => {
  it('when the path fits the pattern, then its parameters are decoded', () => {
    expect(matchPath('/campaigns/:id/stats', '/campaigns/a%20b/stats')).toEqual({ id: 'a b' });
    expect(matchPath('/campaigns', '/campaigns/')).toEqual({});
  });

  it('when segments differ in count or text, then there is no match', () => {
    expect(matchPath('/campaigns/:id', '/campaigns/1/stats')).toBeUndefined();
    expect(matchPath('/leads/:id', '/campaigns/1')).toBeUndefined();
  });
});
