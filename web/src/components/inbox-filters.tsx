import { type RefObject, useEffect, useState } from 'react';
import type { LeadFilters } from '../api/leads.js';
import { type Campaign, INTENTS, LEAD_STATUSES } from '../api/schemas.js';
import { intentLabel } from '../lib/format.js';

const STATUS_TABS = [...LEAD_STATUSES, 'all'] as const;
const SCORE_STEPS = [0, 40, 60, 75, 90];

export function StatusTabs({ value, onChange }: { value: LeadFilters['status']; onChange: (s: LeadFilters['status']) => void }) {
  return (
    <div className="tabs" role="tablist" aria-label="Lead status">
      {STATUS_TABS.map((s) => (
        <button key={s} type="button" role="tab" aria-selected={value === s} className={`tab${value === s ? ' active' : ''}`} onClick={() => onChange(s)}>
          {s[0]!.toUpperCase() + s.slice(1)}
        </button>
      ))}
    </div>
  );
}

export function FilterBar({
  filters,
  campaigns,
  onChange,
  searchRef,
}: {
  filters: LeadFilters;
  campaigns: readonly Campaign[];
  onChange: (f: Partial<LeadFilters>) => void;
  searchRef: RefObject<HTMLInputElement | null>;
}) {
  const [q, setQ] = useState(filters.q ?? '');
  const [sub, setSub] = useState(filters.subreddit ?? '');
  useEffect(() => setQ(filters.q ?? ''), [filters.q]);
  useEffect(() => setSub(filters.subreddit ?? ''), [filters.subreddit]);
  // Typing should not refetch on every key.
  useEffect(() => {
    const t = setTimeout(() => {
      if ((filters.q ?? '') !== q || (filters.subreddit ?? '') !== sub) onChange({ q: q || undefined, subreddit: sub.replace(/^r\//, '') || undefined });
    }, 350);
    return () => clearTimeout(t);
  }, [q, sub, filters.q, filters.subreddit, onChange]);

  return (
    <section className="filters" aria-label="Filters">
      <input
        ref={searchRef}
        type="search"
        className="filter-search"
        placeholder="Search leads  /"
        aria-label="Search leads"
        value={q}
        onChange={(e) => setQ(e.target.value)}
      />
      <select aria-label="Campaign" value={filters.campaignId ?? ''} onChange={(e) => onChange({ campaignId: e.target.value || undefined })}>
        <option value="">All campaigns</option>
        {campaigns.map((c) => (
          <option key={c.id} value={c.id}>
            {c.name}
          </option>
        ))}
      </select>
      <select
        aria-label="Minimum score"
        value={String(filters.minScore ?? 0)}
        onChange={(e) => onChange({ minScore: Number(e.target.value) || undefined })}
      >
        {SCORE_STEPS.map((s) => (
          <option key={s} value={s}>
            {s === 0 ? 'Any score' : `Score ≥ ${s}`}
          </option>
        ))}
      </select>
      <select aria-label="Intent" value={filters.intent ?? ''} onChange={(e) => onChange({ intent: e.target.value || undefined })}>
        <option value="">Any intent</option>
        {INTENTS.map((i) => (
          <option key={i} value={i}>
            {intentLabel(i)}
          </option>
        ))}
      </select>
      <select
        aria-label="Kind"
        value={filters.kind ?? ''}
        onChange={(e) => onChange({ kind: (e.target.value || undefined) as LeadFilters['kind'] })}
      >
        <option value="">All kinds</option>
        <option value="post">Posts</option>
        <option value="comment">Comments</option>
      </select>
      <input className="filter-sub" placeholder="r/subreddit" aria-label="Subreddit" value={sub} onChange={(e) => setSub(e.target.value)} />
      <select aria-label="Sort" value={filters.sort ?? 'newest'} onChange={(e) => onChange({ sort: e.target.value as LeadFilters['sort'] })}>
        <option value="newest">Newest first</option>
        <option value="score">Highest score</option>
      </select>
    </section>
  );
}
