import { useState } from 'react';
import { getCampaignStats } from '../api/campaigns.js';
import { useApp } from '../app-context.js';
import { BarList, ColumnChart } from '../components/charts.js';
import { Empty, ErrorState, Loading } from '../components/states.js';
import { intentLabel } from '../lib/format.js';
import { Link } from '../lib/router.js';
import { fillDays } from '../lib/series.js';
import { useAsync } from '../lib/use-async.js';

const RANGES = [7, 30, 90];

export function CampaignStatsPage({ id }: { id: string }) {
  const { campaigns } = useApp();
  const [days, setDays] = useState(30);
  const stats = useAsync(() => getCampaignStats(id, days), [id, days]);
  const name = campaigns?.find((c) => c.id === id)?.name ?? 'Campaign';
  const s = stats.data;
  return (
    <div className="page">
      <header className="page-head">
        <div>
          <h1>{name}: stats</h1>
          <div className="head-links">
            <Link to={`/?campaign=${id}`}>Leads</Link>
            <Link to={`/campaigns/${id}`}>Edit</Link>
          </div>
        </div>
        <div className="tabs" role="tablist" aria-label="Range">
          {RANGES.map((r) => (
            <button key={r} type="button" role="tab" aria-selected={days === r} className={`tab${days === r ? ' active' : ''}`} onClick={() => setDays(r)}>
              {r} days
            </button>
          ))}
        </div>
      </header>
      {stats.status === 'error' ? (
        <ErrorState error={stats.error} retry={stats.reload} what="Campaign stats" />
      ) : !s ? (
        <Loading />
      ) : s.total === 0 ? (
        <Empty title="No leads in this period yet.">Stats fill in as leads arrive.</Empty>
      ) : (
        <div className="stats-grid">
          <section className="card span-2">
            <h2>
              Leads per day <span className="muted small">{s.total} in {s.days} days</span>
            </h2>
            <ColumnChart title="Leads per day" data={fillDays(s.leadsPerDay, s.days, Date.now()).map((d) => ({ label: d.day.slice(5), value: d.count }))} />
          </section>
          <section className="card">
            <h2>Score distribution</h2>
            <ColumnChart title="Score distribution" height={110} data={s.scoreHistogram.map((b) => ({ label: String(b.from), value: b.count }))} />
          </section>
          <section className="card">
            <h2>Intents</h2>
            <BarList data={s.intents.map((i) => ({ label: i.intent ?? 'unscored', value: i.count }))} format={(l) => (l === 'unscored' ? 'Not scored yet' : intentLabel(l))} />
          </section>
          <section className="card">
            <h2>Top subreddits</h2>
            <BarList data={s.topSubreddits.map((t) => ({ label: t.subreddit, value: t.count }))} format={(l) => `r/${l}`} />
          </section>
          <section className="card">
            <h2>Status</h2>
            <BarList data={s.statuses.map((t) => ({ label: t.status, value: t.count }))} />
          </section>
        </div>
      )}
    </div>
  );
}
