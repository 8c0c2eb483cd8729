import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { bulkSetStatus, exportCsvUrl, type LeadFilters, sendFeedback, setLeadStatus } from '../api/leads.js';
import type { Lead, LeadStatus } from '../api/schemas.js';
import { useApp } from '../app-context.js';
import { FilterBar, StatusTabs } from '../components/inbox-filters.js';
import { type LeadActions, LeadRow } from '../components/lead-row.js';
import { ShortcutsHelp } from '../components/shortcuts-help.js';
import { Empty, ErrorState, errorMessage, Loading } from '../components/states.js';
import { redditUrl } from '../lib/format.js';
import { Link, navigate, useLocation } from '../lib/router.js';
import { toast } from '../lib/toast.js';
import { useLeadList } from '../lib/use-lead-list.js';
import { OnboardingPage } from './onboarding.js';

const STATUS_WORDS: Record<LeadStatus, string> = { new: 'Moved back to new', contacted: 'Marked contacted', dismissed: 'Dismissed', converted: 'Marked converted' };

/** Filters live in the URL, so a view can be bookmarked and the back button works. */
function filtersFrom(q: URLSearchParams): LeadFilters {
  const num = (k: string) => (q.get(k) ? Number(q.get(k)) || undefined : undefined);
  return {
    campaignId: q.get('campaign') ?? undefined,
    status: (q.get('status') as LeadFilters['status']) ?? 'new',
    minScore: num('min_score'),
    intent: q.get('intent') ?? undefined,
    subreddit: q.get('subreddit') ?? undefined,
    kind: (q.get('kind') as LeadFilters['kind']) ?? undefined,
    q: q.get('q') ?? undefined,
    sort: (q.get('sort') as LeadFilters['sort']) ?? 'newest',
  };
}

function queryFrom(f: LeadFilters): string {
  const p = new URLSearchParams();
  const put = (k: string, v: string | number | undefined) => v !== undefined && v !== '' && p.set(k, String(v));
  put('campaign', f.campaignId);
  if (f.status !== 'new') put('status', f.status);
  put('min_score', f.minScore);
  put('intent', f.intent);
  put('subreddit', f.subreddit);
  put('kind', f.kind);
  put('q', f.q);
  if (f.sort !== 'newest') put('sort', f.sort);
  const s = p.toString();
  return s ? `/?${s}` : '/';
}

const isTyping = (t: EventTarget | null) =>
  t instanceof HTMLElement && (t.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(t.tagName) || t.closest('dialog') !== null);

export function InboxPage() {
  const { campaigns } = useApp();
  const { query } = useLocation();
  const key = query.toString();
  const filters = useMemo(() => filtersFrom(new URLSearchParams(key)), [key]);
  const list = useLeadList(filters, key);
  const [focus, setFocus] = useState(0);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [help, setHelp] = useState(false);
  const [now, setNow] = useState(() => Date.now());
  const searchRef = useRef<HTMLInputElement>(null);
  const sentinel = useRef<HTMLDivElement>(null);
  const itemsRef = useRef(list.items);
  itemsRef.current = list.items;

  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(t);
  }, []);
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new view starts at the top with nothing selected.
  useEffect(() => {
    setFocus(0);
    setSelected(new Set());
  }, [key]);

  const change = useCallback((p: Partial<LeadFilters>) => navigate(queryFrom({ ...filtersFrom(new URLSearchParams(window.location.search)), ...p })), []);

  const actions: LeadActions = useMemo(
    () => ({
      setStatus: (lead: Lead, status: LeadStatus) => {
        const before = itemsRef.current;
        list.patch([lead.id], { status });
        setLeadStatus(lead.id, status).then(
          () => toast(STATUS_WORDS[status]),
          (e: unknown) => {
            list.restore(before);
            toast(`Could not update the lead: ${errorMessage(e)}`, 'error');
          },
        );
      },
      feedback: (lead: Lead, value: 'good' | 'bad') => {
        list.patch([lead.id], { feedback: value });
        sendFeedback(lead.id, value).then(
          () => toast(value === 'good' ? 'Thanks: more like this' : 'Thanks: fewer like this'),
          (e: unknown) => toast(`Could not send feedback: ${errorMessage(e)}`, 'error'),
        );
      },
    }),
    [list.patch, list.restore],
  );

  const bulk = (status: LeadStatus) => {
    const ids = [...selected];
    const before = itemsRef.current;
    list.patch(ids, { status });
    setSelected(new Set());
    bulkSetStatus(ids, status).then(
      () => toast(`${STATUS_WORDS[status]}: ${ids.length} leads`),
      (e: unknown) => {
        list.restore(before);
        toast(`Could not update ${ids.length} leads: ${errorMessage(e)}`, 'error');
      },
    );
  };

  const onSelect = useCallback((id: string, on: boolean) => {
    setSelected((s) => {
      const n = new Set(s);
      if (on) n.add(id);
      else n.delete(id);
      return n;
    });
  }, []);

  // Keyboard triage: the focused row is the one j/k moved to.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.metaKey || e.ctrlKey || e.altKey || isTyping(e.target)) return;
      const items = itemsRef.current;
      const lead = items[Math.min(focus, items.length - 1)];
      const key = e.key;
      if (key === '?') setHelp(true);
      else if (key === '/') searchRef.current?.focus();
      else if (key === 'j') setFocus((f) => Math.min(f + 1, items.length - 1));
      else if (key === 'k') setFocus((f) => Math.max(f - 1, 0));
      else if (!lead) return;
      else if (key === 'o') window.open(redditUrl(lead.item.permalink), '_blank', 'noopener');
      else if (key === 'Enter') navigate(`/leads/${lead.id}`);
      else if (key === 'c') actions.setStatus(lead, 'contacted');
      else if (key === 'x') actions.setStatus(lead, 'dismissed');
      else if (key === 'v') actions.setStatus(lead, 'converted');
      else if (key === 'g') actions.feedback(lead, 'good');
      else if (key === 'b') actions.feedback(lead, 'bad');
      else if (key === ' ') onSelect(lead.id, !selected.has(lead.id));
      else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [focus, actions, onSelect, selected]);

  // Keep the row j/k moved to in view.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs when the focus moves; the DOM holds the row.
  useEffect(() => {
    document.querySelector('.lead.focused')?.scrollIntoView({ block: 'nearest' });
  }, [focus]);

  // Infinite scroll on the keyset cursor.
  const loadMore = list.loadMore;
  useEffect(() => {
    const el = sentinel.current;
    if (!el) return;
    const obs = new IntersectionObserver((entries) => entries.some((e) => e.isIntersecting) && loadMore(), { rootMargin: '400px' });
    obs.observe(el);
    return () => obs.disconnect();
  }, [loadMore]);

  if (campaigns && campaigns.length === 0) return <OnboardingPage />;

  const names = new Map((campaigns ?? []).map((c) => [c.id, c.name]));
  const current = filters.campaignId ? names.get(filters.campaignId) : undefined;
  const filtered = Boolean(filters.minScore || filters.intent || filters.kind || filters.subreddit || filters.q);

  return (
    <div className="page page-wide">
      <header className="page-head">
        <div>
          <h1>{current ?? 'Inbox'}</h1>
          {filters.campaignId && (
            <div className="head-links">
              <Link to={`/campaigns/${filters.campaignId}`}>Edit campaign</Link>
              <Link to={`/campaigns/${filters.campaignId}/stats`}>Stats</Link>
            </div>
          )}
        </div>
        <div className="head-actions">
          <a className="btn" href={exportCsvUrl(filters)} download>
            Export CSV
          </a>
          <button type="button" className="btn" onClick={() => setHelp(true)} aria-label="Keyboard shortcuts">
            ?
          </button>
        </div>
      </header>
      <StatusTabs value={filters.status} onChange={(status) => change({ status })} />
      <FilterBar filters={filters} campaigns={campaigns ?? []} onChange={change} searchRef={searchRef} />
      {selected.size > 0 && (
        <div className="bulkbar" role="toolbar" aria-label="Bulk actions">
          <strong>{selected.size} selected</strong>
          <button type="button" className="btn" onClick={() => bulk('contacted')}>
            Mark contacted
          </button>
          <button type="button" className="btn" onClick={() => bulk('converted')}>
            Mark converted
          </button>
          <button type="button" className="btn" onClick={() => bulk('dismissed')}>
            Dismiss
          </button>
          <button type="button" className="btn-link" onClick={() => setSelected(new Set(list.items.map((l) => l.id)))}>
            Select all {list.items.length}
          </button>
          <button type="button" className="btn-link" onClick={() => setSelected(new Set())}>
            Clear
          </button>
        </div>
      )}
      {list.status === 'error' && list.items.length === 0 ? (
        <ErrorState error={list.error} retry={list.reload} what="The lead inbox" />
      ) : list.status === 'loading' && list.items.length === 0 ? (
        <Loading label="Loading leads…" />
      ) : list.items.length === 0 ? (
        <Empty title={filtered ? 'No leads match these filters.' : filters.status === 'new' ? 'Inbox zero.' : `No ${filters.status} leads.`}>
          {filtered
            ? 'Try a lower score or clear the search.'
            : 'New matches appear here as they are found; this page checks every few seconds.'}
        </Empty>
      ) : (
        <ul className="leads" aria-label="Leads">
          {list.items.map((l, i) => (
            <LeadRow
              key={l.id}
              lead={l}
              focused={i === focus}
              selected={selected.has(l.id)}
              now={now}
              campaignName={filters.campaignId ? undefined : names.get(l.campaignId)}
              actions={actions}
              onSelect={onSelect}
              onFocus={() => setFocus(i)}
            />
          ))}
        </ul>
      )}
      <div ref={sentinel} className="sentinel">
        {list.loadingMore && <Loading label="Loading more…" />}
        {!list.hasMore && list.items.length > 20 && <span className="muted small">That's all of them.</span>}
      </div>
      {help && <ShortcutsHelp onClose={() => setHelp(false)} />}
    </div>
  );
}
