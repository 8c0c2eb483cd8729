import { describe, expect, it } from 'vitest';
import { scoreLocally } from '../src/modules/scoring/local-scorer.js';
import { loadLabelledSet, loadOriginalSet, loadPosts } from './fixtures-labels/lead-quality.js';
import { atThreshold, aucLenient, aucStrict } from './fixtures-labels/metrics.js';

/*
 * Lead quality on real Reddit text. The original 46 posts (scoring-intent.json) are the set the
 * cues were first written from; the held-out set (lead-quality.json) has 8 campaigns whose
 * candidates come from the real matcher, split by id hash into DEV (tuned on) and TEST (only
 * measured). Thresholds sit below the measured values (bench/README.md, lead-quality) with a margin.
 */

const posts = loadPosts();

describe('local scorer on the original hand-labelled posts (development set)', () => {
  const rows = loadOriginalSet(posts).map((o) => {
    const r = scoreLocally(o.candidate);
    return { label: o.label, score: r.score, intent: r.intent };
  });

  it('when positives (asks, alternatives, comparisons) meet negatives (news, rants, guides), then positives rank above with AUC >= 0.9', () => {
    expect(rows.length).toBeGreaterThanOrEqual(40);
    // Measured 1.00 on this set; the margin leaves room to tune cues without chasing this exact set.
    expect(aucStrict(rows)).toBeGreaterThanOrEqual(0.9);
  });

  it('when a post is a labelled lead, then it mostly scores at or above the default threshold of 60, and negatives mostly below 30', () => {
    const pos = rows.filter((r) => r.label === 2);
    const neg = rows.filter((r) => r.label === 0);
    expect(pos.filter((r) => r.score >= 60).length / pos.length).toBeGreaterThanOrEqual(0.6);
    expect(neg.filter((r) => r.score < 30).length / neg.length).toBeGreaterThanOrEqual(0.9);
    expect(neg.every((r) => r.intent !== 'recommendation_request')).toBe(true);
  });
});

describe('local scorer on the held-out lead-quality set (TEST split)', () => {
  const labelled = loadLabelledSet(posts);
  const test = labelled
    .filter((l) => l.split === 'test')
    .map((l) => ({ campaign: l.campaign, label: l.label, score: scoreLocally(l.candidate).score }));

  it('when the split is made from ids, then both halves hold enough leads and non-leads to measure', () => {
    expect(labelled.length).toBeGreaterThanOrEqual(200);
    expect(test.length).toBeGreaterThanOrEqual(100);
    expect(test.filter((r) => r.label === 2).length).toBeGreaterThanOrEqual(15);
    expect(labelled.filter((l) => l.split === 'dev').length).toBeGreaterThanOrEqual(100);
  });

  it('when matched candidates of eight campaigns are ranked by score, then leads outrank non-leads (AUC >= 0.9, related >= 0.78)', () => {
    // Measured 0.96 (leads vs non-leads) and 0.84 (any related vs non-leads); the frozen baseline measured 0.88 and 0.81.
    expect(aucStrict(test)).toBeGreaterThanOrEqual(0.9);
    expect(aucLenient(test)).toBeGreaterThanOrEqual(0.78);
  });

  it('when alerts fire at the default threshold of 60, then most leads alert and most alerts are leads', () => {
    // Measured recall 0.81, precision 0.85 (0.95 counting weak leads); the baseline alerted on 29 % of leads.
    const strict = atThreshold(test, 60);
    const related = atThreshold(test, 60, 1);
    expect(strict.recall).toBeGreaterThanOrEqual(0.65);
    expect(strict.precision).toBeGreaterThanOrEqual(0.7);
    expect(related.precision).toBeGreaterThanOrEqual(0.85);
  });
});
