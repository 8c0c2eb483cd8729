import { scoreBand } from '../lib/format.js';

export function ScoreBadge({ score, pending }: { score: number | null | undefined; pending?: boolean }) {
  const band = scoreBand(score);
  const label = score === null || score === undefined ? (pending ? '…' : '–') : String(score);
  return (
    <span role="img" className={`score score-${band}`} title={pending ? 'Scoring…' : `Score ${label} of 100`} aria-label={`Score ${label}`}>
      {label}
    </span>
  );
}
