import { request } from './client.js';
import { type LeadStatus, leadPageSchema, leadSchema, replySchema } from './schemas.js';

export interface LeadFilters {
  campaignId?: string;
  status?: LeadStatus | 'all';
  minScore?: number;
  intent?: string;
  subreddit?: string;
  kind?: 'post' | 'comment';
  q?: string;
  from?: string;
  to?: string;
  sort?: 'newest' | 'score';
}

export function leadQuery(f: LeadFilters, cursor?: string, limit = 30) {
  return {
    campaign_id: f.campaignId,
    status: f.status === 'all' ? undefined : f.status,
    min_score: f.minScore,
    intent: f.intent,
    subreddit: f.subreddit,
    kind: f.kind,
    q: f.q,
    from: f.from,
    to: f.to,
    sort: f.sort,
    limit,
    cursor,
  };
}

export const listLeads = (f: LeadFilters, cursor?: string, signal?: AbortSignal) =>
  request('/leads', { query: leadQuery(f, cursor), schema: leadPageSchema, signal });
export const getLead = (id: string) => request(`/leads/${id}`, { schema: leadSchema });
export const setLeadStatus = (id: string, status: LeadStatus) =>
  request(`/leads/${id}`, { method: 'PATCH', body: { status } });
export const bulkSetStatus = (ids: string[], status: LeadStatus) =>
  request('/leads/bulk-status', { method: 'POST', body: { ids, status } });
export const sendFeedback = (id: string, feedback: 'good' | 'bad') =>
  request(`/leads/${id}/feedback`, { method: 'POST', body: { feedback } });
export const draftReply = (id: string) => request(`/leads/${id}/draft`, { method: 'POST', body: {}, schema: replySchema });
/** Queues the approved text for posting through the chosen connected account. */
export const postReply = (id: string, text: string, accountId: string, replyId?: string) =>
  request(`/leads/${id}/reply`, { method: 'POST', body: { text, accountId, replyId } });

/** The CSV export is a plain download; the browser sends the cookie. */
export function exportCsvUrl(f: LeadFilters): string {
  const { limit: _limit, cursor: _cursor, ...q } = leadQuery(f);
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) if (v !== undefined && v !== '') params.set(k, String(v));
  return `/api/v1/leads/export.csv?${params.toString()}`;
}
