import { scoreLocally } from '../src/modules/scoring/local-scorer.js';
import type { ScoreCandidate } from '../src/modules/scoring/scoring.types.js';
import { type Label, loadLabelledSet, loadOriginalSet, loadPosts } from '../test/fixtures-labels/lead-quality.js';
import { atThreshold, aucLenient, aucStrict, precisionAtK, type Scored } from '../test/fixtures-labels/metrics.js';
import { baselineScore } from './lead-quality-baseline.js';

/*
 * Lead quality of the local scorer on real Reddit text labelled by reading it (see
 * test/fixtures-labels/lead-quality.json): ranking (ROC AUC), the first ten results, and the
 * alert decision at the default campaign threshold of 60. The frozen baseline scorer runs
 * on the same candidates in the same run. Scores are deterministic, so are the numbers;
 * only the per-item time varies with the machine.
 */

const THRESHOLD = 60;
const TIMING_ROUNDS = 8;

interface Row extends Scored {
  campaign: string;
  split: 'dev' | 'test' | 'original';
}

const fmt = (n: number, digits = 2) => (Number.isNaN(n) ? 'n/a' : n.toFixed(digits));

function metrics(rows: readonly Scored[]) {
  const at = atThreshold(rows, THRESHOLD);
  return {
    n: rows.length,
    leads: rows.filter((r) => r.label === 2).length,
    weak: rows.filter((r) => r.label === 1).length,
    auc: aucStrict(rows),
    aucLenient: aucLenient(rows),
    pAt10: precisionAtK(rows, 10),
    precision: at.precision,
    recall: at.recall,
    alerts: at.alerts,
  };
}

function table(title: string, groups: [string, { base: Scored[]; next: Scored[] }][]): void {
  console.log(`\n${title}`);
  console.log('| campaign | n | leads/weak | AUC 2v0 | AUC >=1v0 | P@10 | P@60 | R@60 | alerts |');
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const [name, g] of groups) {
    const b = metrics(g.base);
    const a = metrics(g.next);
    const pair = (x: number, y: number) => `${fmt(x)} -> ${fmt(y)}`;
    console.log(
      `| ${name} | ${a.n} | ${a.leads}/${a.weak} | ${pair(b.auc, a.auc)} | ${pair(b.aucLenient, a.aucLenient)} | ${pair(b.pAt10, a.pAt10)} | ${pair(b.precision, a.precision)} | ${pair(b.recall, a.recall)} | ${b.alerts} -> ${a.alerts} |`,
    );
  }
}

/**
 * CPU microseconds per candidate (process.cpuUsage, so other processes on a shared machine do
 * not count), best of several interleaved rounds for each scorer so both see the same load.
 */
function cpuPerCandidate(candidates: readonly ScoreCandidate[], scorers: ((c: ScoreCandidate) => unknown)[]): number[] {
  const best = scorers.map(() => Number.POSITIVE_INFINITY);
  for (let round = 0; round < TIMING_ROUNDS; round++) {
    scorers.forEach((score, i) => {
      const before = process.cpuUsage();
      for (let pass = 0; pass < 5; pass++) for (const c of candidates) score(c);
      const used = process.cpuUsage(before);
      best[i] = Math.min(best[i]!, (used.user + used.system) / (5 * candidates.length));
    });
  }
  return best;
}

export default async function leadQualityBench(): Promise<void> {
  const posts = loadPosts();
  const labelled = loadLabelledSet(posts);
  const original = loadOriginalSet(posts);
  console.log(`labelled: ${labelled.length} matched candidates over 8 campaigns (held-out), ${original.length} original dev posts`);

  const all: { campaign: string; split: Row['split']; label: Label; candidate: ScoreCandidate }[] = [
    ...labelled.map((l) => ({ campaign: l.campaign, split: l.split, label: l.label, candidate: l.candidate })),
    ...original.map((o) => ({ campaign: `original:${o.candidate.profile.campaignId}`, split: 'original' as const, label: o.label, candidate: o.candidate })),
  ];
  const base: Row[] = all.map((x) => ({ campaign: x.campaign, split: x.split, label: x.label, score: baselineScore(x.candidate) }));
  const next: Row[] = all.map((x) => ({ campaign: x.campaign, split: x.split, label: x.label, score: scoreLocally(x.candidate).score }));

  const pick = (rows: Row[], f: (r: Row) => boolean) => rows.filter(f);
  const group = (f: (r: Row) => boolean) => ({ base: pick(base, f), next: pick(next, f) });
  const campaigns = [...new Set(labelled.map((l) => l.campaign))];
  for (const split of ['test', 'dev'] as const) {
    table(`${split.toUpperCase()} split (baseline -> now)`, [
      ...campaigns.map((c): [string, ReturnType<typeof group>] => [c, group((r) => r.split === split && r.campaign === c)]),
      ['**all**', group((r) => r.split === split)],
    ]);
  }
  table('Original 46-post dev set (label 1 -> lead)', [['**all**', group((r) => r.split === 'original')]]);

  const candidates = all.map((x) => x.candidate);
  const [tb, tn] = cpuPerCandidate(candidates, [baselineScore, scoreLocally]);
  console.log(`\nCPU per candidate (best of ${TIMING_ROUNDS} rounds x 5 passes over ${candidates.length}): baseline ${fmt(tb!, 1)} us, now ${fmt(tn!, 1)} us (${fmt(tn! / tb!)}x)`);

  const bt = metrics(pick(base, (r) => r.split === 'test'));
  console.log(`baseline: auc=${fmt(bt.auc)} p_at_10=${fmt(bt.pAt10)} precision_at_60=${fmt(bt.precision)} recall_at_60=${fmt(bt.recall)} labelled=${bt.n}`);
  const t = metrics(pick(next, (r) => r.split === 'test'));
  console.log(`auc=${fmt(t.auc)} p_at_10=${fmt(t.pAt10)} precision_at_60=${fmt(t.precision)} recall_at_60=${fmt(t.recall)} labelled=${t.n}`);
}
