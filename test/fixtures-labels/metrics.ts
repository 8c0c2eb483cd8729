/*
 * Ranking and threshold metrics for labelled scores. A "lead" is label 2 unless a caller
 * says otherwise; ties count half in the AUC, as a random order would.
 */

export interface Scored {
  label: 0 | 1 | 2;
  score: number;
}

/** Probability that a random positive outranks a random negative; NaN when either side is empty. */
export function auc(rows: readonly Scored[], isPositive: (r: Scored) => boolean, isNegative: (r: Scored) => boolean): number {
  const pos = rows.filter(isPositive).map((r) => r.score);
  const neg = rows.filter(isNegative).map((r) => r.score);
  if (pos.length === 0 || neg.length === 0) return Number.NaN;
  let wins = 0;
  for (const p of pos) for (const n of neg) wins += p > n ? 1 : p === n ? 0.5 : 0;
  return wins / (pos.length * neg.length);
}

/** Leads (label 2) against non-leads (label 0); weak leads left out. */
export const aucStrict = (rows: readonly Scored[]) => auc(rows, (r) => r.label === 2, (r) => r.label === 0);
/** Any related item (label >= 1) against non-leads. */
export const aucLenient = (rows: readonly Scored[]) => auc(rows, (r) => r.label >= 1, (r) => r.label === 0);

/** Share of leads among the k best-scored items; ties broken by the order given, so callers pass a stable order. */
export function precisionAtK(rows: readonly Scored[], k: number, minLabel: 1 | 2 = 2): number {
  const top = [...rows].sort((a, b) => b.score - a.score).slice(0, k);
  if (top.length === 0) return Number.NaN;
  return top.filter((r) => r.label >= minLabel).length / top.length;
}

/** Precision and recall of "score >= threshold" as the alert decision; precision is NaN when nothing alerts. */
export function atThreshold(rows: readonly Scored[], threshold: number, minLabel: 1 | 2 = 2): { precision: number; recall: number; alerts: number } {
  const alerted = rows.filter((r) => r.score >= threshold);
  const leads = rows.filter((r) => r.label >= minLabel);
  const hits = alerted.filter((r) => r.label >= minLabel).length;
  return {
    precision: alerted.length === 0 ? Number.NaN : hits / alerted.length,
    recall: leads.length === 0 ? Number.NaN : hits / leads.length,
    alerts: alerted.length,
  };
}
