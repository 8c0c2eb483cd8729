import { useCallback, useEffect, useRef, useState } from 'react';
import { type LeadFilters, listLeads } from '../api/leads.js';
import type { Lead } from '../api/schemas.js';

const POLL_MS = 8_000;

export interface LeadList {
  items: Lead[];
  status: 'loading' | 'ready' | 'error';
  error: unknown;
  hasMore: boolean;
  loadingMore: boolean;
  loadMore: () => void;
  reload: () => void;
  /** Applies a local change; drops the lead when it no longer fits the status filter. */
  patch: (ids: readonly string[], change: Partial<Lead>) => void;
  /** Puts leads back as they were (a failed optimistic change). */
  restore: (previous: Lead[]) => void;
}

/**
 * The inbox's leads: first page on filter change, keyset pages on demand (infinite scroll),
 * and a poll of the first page so new leads appear without a reload.
 */
export function useLeadList(filters: LeadFilters, key: string): LeadList {
  const [items, setItems] = useState<Lead[]>([]);
  const [status, setStatus] = useState<LeadList['status']>('loading');
  const [error, setError] = useState<unknown>();
  const [cursor, setCursor] = useState<string | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const generation = useRef(0);
  const filtersRef = useRef(filters);
  filtersRef.current = filters;

  const loadFirst = useCallback(() => {
    const gen = ++generation.current;
    setStatus('loading');
    listLeads(filtersRef.current).then(
      (page) => {
        if (gen !== generation.current) return;
        setItems(page.items);
        setCursor(page.nextCursor ?? null);
        setStatus('ready');
      },
      (e: unknown) => {
        if (gen !== generation.current) return;
        setError(e);
        setStatus('error');
      },
    );
  }, []);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` is the serialised filters.
  useEffect(() => {
    setItems([]);
    setCursor(null);
    loadFirst();
  }, [key, loadFirst]);

  useEffect(() => {
    const timer = setInterval(() => {
      if (document.hidden) return;
      const gen = generation.current;
      listLeads(filtersRef.current).then(
        (page) => {
          if (gen !== generation.current) return;
          setItems((current) => {
            if (current.length === 0) {
              setCursor(page.nextCursor ?? null);
              return page.items;
            }
            const known = new Set(current.map((l) => l.id));
            const fresh = page.items.filter((l) => !known.has(l.id));
            // Scores land after a lead appears: refresh the ones on the first page in place.
            const updated = new Map(page.items.map((l) => [l.id, l]));
            const merged = current.map((l) => updated.get(l.id) ?? l);
            if (filtersRef.current.sort === 'score' || fresh.length === 0) return merged;
            return [...fresh, ...merged];
          });
        },
        () => undefined,
      );
    }, POLL_MS);
    return () => clearInterval(timer);
  }, []);

  const loadMore = useCallback(() => {
    if (!cursor || loadingMore) return;
    const gen = generation.current;
    setLoadingMore(true);
    listLeads(filtersRef.current, cursor).then(
      (page) => {
        if (gen !== generation.current) return;
        setItems((current) => {
          const known = new Set(current.map((l) => l.id));
          return [...current, ...page.items.filter((l) => !known.has(l.id))];
        });
        setCursor(page.nextCursor ?? null);
        setLoadingMore(false);
      },
      (e: unknown) => {
        setLoadingMore(false);
        setError(e);
      },
    );
  }, [cursor, loadingMore]);

  const patch = useCallback((ids: readonly string[], change: Partial<Lead>) => {
    const set = new Set(ids);
    const want = filtersRef.current.status;
    setItems((current) =>
      current
        .map((l) => (set.has(l.id) ? { ...l, ...change } : l))
        .filter((l) => !set.has(l.id) || !want || want === 'all' || l.status === want),
    );
  }, []);

  const restore = useCallback((previous: Lead[]) => setItems(previous), []);

  return { items, status, error, hasMore: cursor !== null, loadingMore, loadMore, reload: loadFirst, patch, restore };
}
