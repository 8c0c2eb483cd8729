/** Small hand-made SVG charts: enough for a stats page, no chart library. */

export interface Datum {
  label: string;
  value: number;
}

export function ColumnChart({ data, height = 140, title }: { data: readonly Datum[]; height?: number; title: string }) {
  const max = Math.max(1, ...data.map((d) => d.value));
  const w = 100 / Math.max(1, data.length);
  const every = Math.ceil(data.length / 7);
  return (
    <figure className="chart">
      <svg viewBox={`0 0 100 ${height}`} preserveAspectRatio="none" role="img" aria-label={title} height={height}>
        {data.map((d, i) => {
          const h = (d.value / max) * (height - 4);
          return (
            <rect key={d.label} x={i * w + w * 0.12} width={w * 0.76} y={height - h} height={Math.max(h, d.value > 0 ? 1 : 0)} rx={0.6}>
              <title>{`${d.label}: ${d.value}`}</title>
            </rect>
          );
        })}
      </svg>
      <figcaption className="chart-axis">
        {data.map((d, i) => (
          <span key={d.label} style={{ width: `${w}%` }}>
            {i % every === 0 ? d.label : ''}
          </span>
        ))}
      </figcaption>
    </figure>
  );
}

export function BarList({ data, format = String }: { data: readonly Datum[]; format?: (label: string) => string }) {
  const max = Math.max(1, ...data.map((d) => d.value));
  return (
    <ul className="barlist">
      {data.map((d) => (
        <li key={d.label}>
          <span className="barlist-bar" style={{ width: `${(d.value / max) * 100}%` }} />
          <span className="barlist-label">{format(d.label)}</span>
          <span className="barlist-value">{d.value}</span>
        </li>
      ))}
    </ul>
  );
}

export function Meter({ used, limit, label }: { used: number; limit: number | null | undefined; label: string }) {
  const pct = limit ? Math.min(100, (used / limit) * 100) : 0;
  return (
    <div className="meter">
      <div className="meter-head">
        <span>{label}</span>
        <span className="muted">
          {used.toLocaleString('en')}
          {limit ? ` / ${limit.toLocaleString('en')}` : ''}
        </span>
      </div>
      <div className="meter-track" role="progressbar" aria-label={label} aria-valuenow={used} aria-valuemax={limit ?? undefined}>
        <div className={`meter-fill${pct > 90 ? ' meter-danger' : ''}`} style={{ width: `${pct}%` }} />
      </div>
    </div>
  );
}
