import { useEffect } from 'react';
import { getSystemStatus } from '../api/settings.js';
import { ErrorState, Loading } from '../components/states.js';
import { formatAge, formatNumber } from '../lib/format.js';
import { useAsync } from '../lib/use-async.js';

function lagLabel(s: number | null | undefined): string {
  if (s === null || s === undefined) return '–';
  if (s < 90) return `${Math.round(s)} s`;
  if (s < 5400) return `${Math.round(s / 60)} min`;
  return `${(s / 3600).toFixed(1)} h`;
}

/** For admins: is the pipeline keeping up? Refreshes every 5 s. */
export function SystemPage() {
  const status = useAsync(() => getSystemStatus(), []);
  useEffect(() => {
    const t = setInterval(status.reload, 5000);
    return () => clearInterval(t);
  }, [status.reload]);
  const s = status.data;
  return (
    <div className="page">
      <header className="page-head">
        <h1>System status</h1>
      </header>
      {status.status === 'error' && !s ? (
        <ErrorState error={status.error} retry={status.reload} what="System status" />
      ) : !s ? (
        <Loading />
      ) : (
        <>
          <div className="tiles">
            <div className="card tile">
              <div className="muted small">Reddit budget left</div>
              <div className="tile-value">
                {formatNumber(s.redditBudget?.remaining)}
                {s.redditBudget?.limit ? <span className="muted small"> / {formatNumber(s.redditBudget.limit)}</span> : null}
              </div>
              {s.redditBudget?.resetAt && (
                <div className="muted small">resets in {lagLabel(Math.max(0, (Date.parse(s.redditBudget.resetAt) - Date.now()) / 1000))}</div>
              )}
            </div>
            <div className="card tile">
              <div className="muted small">AI provider breaker</div>
              <div className={`tile-value breaker-${s.aiBreaker?.state ?? 'unknown'}`}>{s.aiBreaker?.state ?? '–'}</div>
            </div>
            <div className="card tile">
              <div className="muted small">Jobs waiting</div>
              <div className="tile-value">{formatNumber(s.queues.reduce((a, q) => a + q.waiting, 0))}</div>
            </div>
          </div>
          <section className="card">
            <h2>Queues</h2>
            <table className="table">
              <thead>
                <tr>
                  <th>Queue</th>
                  <th>Waiting</th>
                  <th>Active</th>
                  <th>Delayed</th>
                  <th>Failed</th>
                </tr>
              </thead>
              <tbody>
                {s.queues.map((q) => (
                  <tr key={q.name}>
                    <td>{q.name}</td>
                    <td>{q.waiting}</td>
                    <td>{q.active}</td>
                    <td>{q.delayed}</td>
                    <td className={q.failed > 0 ? 'danger' : undefined}>{q.failed}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
          <section className="card">
            <h2>Ingest streams</h2>
            <table className="table">
              <thead>
                <tr>
                  <th>Stream</th>
                  <th>Lag</th>
                  <th>Items/min</th>
                  <th>Last poll</th>
                  <th>Last error</th>
                </tr>
              </thead>
              <tbody>
                {s.streams.map((st) => (
                  <tr key={st.key}>
                    <td className="mono truncate">{st.key}</td>
                    <td>{lagLabel(st.lagSeconds)}</td>
                    <td>{st.itemsPerMinute?.toFixed(1) ?? '–'}</td>
                    <td>{st.lastPolledAt ? formatAge(st.lastPolledAt, Date.now()) : '–'}</td>
                    <td className="danger truncate">{st.lastError ?? ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        </>
      )}
    </div>
  );
}
