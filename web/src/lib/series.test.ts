import { describe, expect, it } from 'vitest';
import { fillDays } from './series.js';

describe('fillDays', () => {
  it('when some days had no leads, then they appear as zeros in date order ending today', () => {
    const now = Date.parse('2026-03-10T15:00:00Z');
    const out = fillDays([{ day: '2026-03-08', count: 4 }, { day: '2026-03-10', count: 1 }], 4, now);
    expect(out).toEqual([
      { day: '2026-03-07', count: 0 },
      { day: '2026-03-08', count: 4 },
      { day: '2026-03-09', count: 0 },
      { day: '2026-03-10', count: 1 },
    ]);
  });

  it('when a point falls outside the range, then it is left out', () => {
    const out = fillDays([{ day: '2026-01-01', count: 9 }], 2, Date.parse('2026-03-10T00:00:00Z'));
    expect(out.map((p) => p.count)).toEqual([0, 0]);
  });
});
