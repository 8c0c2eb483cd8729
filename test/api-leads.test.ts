import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LeadDraftRequest } from '../src/modules/leads/leads.types.js';
import { queryRows } from '../src/platform/db/client.js';
import { aiUsage, auditLog, replies } from '../src/platform/db/schema.js';
import {
  type ApiHarness,
  createCampaignRow,
  createUser,
  seedLeads,
  startApi,
  type TestUser,
} from './api-harness.js';

describe('leads API', () => {
  let h: ApiHarness;
  let alice: TestUser;
  let campaignId: string;
  const drafted: LeadDraftRequest[] = [];

  beforeAll(async () => {
    h = await startApi(
      { PLAN_AI_TOKENS_PER_MONTH: '1000' },
      {
        draftWriter: {
          async draft(req) {
            drafted.push(req);
            return { text: `Hi u/${req.item.author}, ${req.product.name} might help.`, draftedBy: 'local' };
          },
        },
      },
    );
    alice = await createUser(h, 'alice-leads@example.com');
    campaignId = await createCampaignRow(h, alice.id, 'alice campaign');
  });
  afterAll(async () => {
    await h?.close();
  });

  it('when paging the inbox while new leads arrive, then every earlier lead is seen exactly once, newest first', async () => {
    const user = await createUser(h, 'pager@example.com');
    const cid = await createCampaignRow(h, user.id);
    const original = await seedLeads(h, user.id, cid, 57);
    // Same created_at for many rows: the id tie-break must keep the order total.
    await h.infra.database.db.execute(
      sql`update leads set created_at = date_trunc('second', created_at) where user_id = ${user.id}`,
    );
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    let lastKey: [string, string] | undefined;
    do {
      const q: string = cursor ? `&cursor=${cursor}` : '';
      const res = await user.call({ method: 'GET', url: `/api/v1/leads?limit=10&status=new${q}` });
      expect(res.statusCode).toBe(200);
      const body = res.json();
      for (const item of body.items) {
        const key: [string, string] = [item.created_at, item.id];
        if (lastKey) expect(key[0] < lastKey[0] || (key[0] === lastKey[0] && key[1] < lastKey[1])).toBe(true);
        lastKey = key;
        seen.push(item.id);
      }
      cursor = body.next_cursor;
      if (pages++ === 1) await seedLeads(h, user.id, cid, 5);
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    expect(new Set(seen)).toEqual(new Set(original));
    expect(pages).toBe(6);
  });

  it('when filtering by status, score, intent, subreddit, kind, text and date, then only matching leads come back', async () => {
    const user = await createUser(h, 'filters@example.com');
    const cid = await createCampaignRow(h, user.id);
    const other = await createCampaignRow(h, user.id, 'other');
    await seedLeads(h, user.id, cid, 6, (i) => ({
      score: i * 20,
      scoring: 'scored',
      intent: i % 2 === 0 ? 'recommendation_request' : 'pain_point',
      status: i === 5 ? 'dismissed' : 'new',
      subreddit: i < 3 ? 'saas' : 'crm',
      title: i === 4 ? 'Any 100%_discount CRM?' : `Post ${i}`,
    }));
    await seedLeads(h, user.id, other, 2, () => ({ score: 99 }));
    const ids = async (qs: string) => {
      const res = await user.call({ method: 'GET', url: `/api/v1/leads?${qs}` });
      expect(res.statusCode).toBe(200);
      return res.json().items.map((i: { item: { title: string } }) => i.item.title).sort();
    };
    expect(await ids(`campaign_id=${cid}&min_score=40`)).toEqual(['Any 100%_discount CRM?', 'Post 2', 'Post 3']);
    expect(await ids(`campaign_id=${cid}&status=all&min_score=80`)).toEqual(['Any 100%_discount CRM?', 'Post 5']);
    expect(await ids(`campaign_id=${cid}&status=dismissed`)).toEqual(['Post 5']);
    expect(await ids(`campaign_id=${cid}&intent=pain_point`)).toEqual(['Post 1', 'Post 3']);
    expect(await ids(`campaign_id=${cid}&subreddit=crm&status=new,dismissed`)).toEqual([
      'Any 100%_discount CRM?',
      'Post 3',
      'Post 5',
    ]);
    expect(await ids('q=100%25_disc')).toEqual(['Any 100%_discount CRM?']);
    expect(await ids('q=0%25_d&kind=comment')).toEqual([]);
    expect(await ids(`campaign_id=${cid}&from=2000-01-01T00:00:00Z&to=2001-01-01T00:00:00Z`)).toEqual([]);

    const byScore = await user.call({ method: 'GET', url: '/api/v1/leads?sort=score&status=all&limit=3' });
    const page1 = byScore.json();
    expect(page1.items.map((i: { score: number }) => i.score)).toEqual([99, 99, 100].sort((a, b) => b - a));
    const page2 = (
      await user.call({ method: 'GET', url: `/api/v1/leads?sort=score&status=all&limit=3&cursor=${page1.next_cursor}` })
    ).json();
    expect(page2.items.map((i: { score: number }) => i.score)).toEqual([80, 60, 40]);

    const wrongSort = await user.call({ method: 'GET', url: `/api/v1/leads?cursor=${page1.next_cursor}` });
    expect(wrongSort.statusCode).toBe(400);
    expect(wrongSort.json().code).toBe('invalid_cursor');
  });

  it('when statuses change singly and in bulk, then only the caller’s leads change, all or nothing', async () => {
    const [a, b, c] = await seedLeads(h, alice.id, campaignId, 3);
    const bob = await createUser(h, 'bob-leads@example.com');
    const bobCampaign = await createCampaignRow(h, bob.id);
    const [bobLead] = await seedLeads(h, bob.id, bobCampaign, 1);

    const one = await alice.call({ method: 'PATCH', url: `/api/v1/leads/${a}`, payload: { status: 'contacted' } });
    expect(one.statusCode).toBe(200);
    expect(one.json()).toMatchObject({ status: 'contacted', campaign_name: 'alice campaign' });
    expect(one.json().status_changed_at).not.toBeNull();

    const bulk = await alice.call({
      method: 'POST',
      url: '/api/v1/leads/bulk-status',
      payload: { ids: [b, c, bobLead], status: 'dismissed' },
    });
    expect(bulk.statusCode).toBe(404);
    const bobsView = await bob.call({ method: 'GET', url: `/api/v1/leads/${bobLead}` });
    expect(bobsView.json().status).toBe('new');
    expect((await alice.call({ method: 'GET', url: `/api/v1/leads/${b}` })).json().status).toBe('new');
    const mine = await alice.call({
      method: 'POST',
      url: '/api/v1/leads/bulk-status',
      payload: { ids: [b, c, c], status: 'dismissed' },
    });
    expect(mine.json()).toEqual({ updated: 2 });
    expect((await alice.call({ method: 'GET', url: `/api/v1/leads/${c}` })).json().status).toBe('dismissed');
  });

  it('when feedback is given, then it is stored on the lead and in the audit log', async () => {
    const [id] = await seedLeads(h, alice.id, campaignId, 1, () => ({ score: 70 }));
    const res = await alice.call({
      method: 'POST',
      url: `/api/v1/leads/${id}/feedback`,
      payload: { feedback: 'bad', note: 'a competitor' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ feedback: 'bad' });
    expect(res.json().feedback_at).not.toBeNull();
    const audit = await h.infra.database.db.select().from(auditLog).where(eq(auditLog.subjectId, id!));
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ action: 'lead.feedback', userId: alice.id });
    expect(audit[0]!.meta).toMatchObject({ feedback: 'bad', note: 'a competitor', score: 70 });
  });

  it('when a draft is asked for, then the writer gets the lead and a draft reply is stored; over the AI plan it is refused', async () => {
    const [id] = await seedLeads(h, alice.id, campaignId, 1);
    const res = await alice.call({ method: 'POST', url: `/api/v1/leads/${id}/draft`, payload: { instructions: 'short' } });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ status: 'draft', drafted_by: 'local' });
    expect(drafted.at(-1)).toMatchObject({ leadId: id, userId: alice.id, instructions: 'short' });
    const stored = await h.infra.database.db.select().from(replies).where(eq(replies.leadId, id!));
    expect(stored).toHaveLength(1);
    const detail = await alice.call({ method: 'GET', url: `/api/v1/leads/${id}` });
    expect(detail.json().replies).toHaveLength(1);

    await h.infra.database.db.insert(aiUsage).values({
      userId: alice.id,
      campaignId,
      day: new Date().toISOString().slice(0, 10),
      model: 'local',
      inputTokens: 900,
      outputTokens: 200,
    });
    const refused = await alice.call({ method: 'POST', url: `/api/v1/leads/${id}/draft` });
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toMatchObject({ code: 'plan_limit_ai_tokens', limit: 1000, used: 1100 });
  });

  it('when exporting, then the CSV streams every matching lead with fields escaped', async () => {
    const user = await createUser(h, 'export@example.com');
    const cid = await createCampaignRow(h, user.id);
    await seedLeads(h, user.id, cid, 1203, (i) =>
      i === 0 ? { title: 'He said "hi", then\nleft', body: '=HYPERLINK("x")' } : {},
    );
    const res = await user.call({ method: 'GET', url: '/api/v1/leads/export.csv?status=all' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    expect(res.headers['content-disposition']).toContain('attachment');
    const rows = await queryRows<{ n: number }>(
      h.infra.database.db,
      sql`select count(*)::int as n from leads where user_id = ${user.id}`,
    );
    // Header + one line per lead (one title holds a quoted newline).
    expect(res.body.split('\r\n').filter(Boolean)).toHaveLength(rows[0]!.n + 1);
    expect(res.body).toContain('"He said ""hi"", then\nleft"');
    expect(res.body).toContain(`"'=HYPERLINK(""x"")"`);
    expect(res.body.startsWith('lead_id,campaign_id,status')).toBe(true);
  });

  it('when campaign stats are asked for, then per-day counts, score buckets, intents and subreddits add up', async () => {
    const user = await createUser(h, 'stats@example.com');
    const cid = await createCampaignRow(h, user.id);
    await seedLeads(h, user.id, cid, 6, (i) => ({
      score: [5, 15, 15, 95, 100, null][i] ?? null,
      intent: i < 3 ? 'question' : null,
      subreddit: i < 4 ? 'saas' : 'crm',
    }));
    const res = await user.call({ method: 'GET', url: `/api/v1/campaigns/${cid}/stats?days=7` });
    expect(res.statusCode).toBe(200);
    const s = res.json();
    expect(s.total).toBe(6);
    expect(s.leads_per_day.reduce((n: number, d: { count: number }) => n + d.count, 0)).toBe(6);
    expect(s.score_histogram).toHaveLength(10);
    expect(s.score_histogram[0]).toEqual({ from: 0, to: 9, count: 1 });
    expect(s.score_histogram[1].count).toBe(2);
    expect(s.score_histogram[9]).toEqual({ from: 90, to: 100, count: 2 });
    expect(s.intents).toEqual(expect.arrayContaining([{ intent: 'question', count: 3 }, { intent: null, count: 3 }]));
    expect(s.top_subreddits).toEqual([
      { subreddit: 'saas', count: 4 },
      { subreddit: 'crm', count: 2 },
    ]);
  });
});
