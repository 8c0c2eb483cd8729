import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redditItems } from '../src/platform/db/schema.js';
import { type ApiHarness, createUser, startApi, type TestUser } from './api-harness.js';

describe('campaigns API', () => {
  let h: ApiHarness;
  let alice: TestUser;
  let changes = 0;

  beforeAll(async () => {
    h = await startApi(
      { PLAN_MAX_CAMPAIGNS: '3', PLAN_MAX_RULES_PER_CAMPAIGN: '4' },
      {
        onCampaignsChanged: async () => {
          changes++;
        },
      },
    );
    alice = await createUser(h, 'alice@example.com');
  });
  afterAll(async () => {
    await h?.close();
  });

  it('when a campaign is created, updated, paused and resumed, then its version goes up each time and the matcher is told', async () => {
    const before = changes;
    const created = await alice.call({
      method: 'POST',
      url: '/api/v1/campaigns',
      payload: { name: 'CRM leads', rules: ['"crm" AND recommend'], subreddits: ['r/SaaS', 'smallbusiness'] },
    });
    expect(created.statusCode).toBe(201);
    const c = created.json();
    expect(c).toMatchObject({ name: 'CRM leads', subreddits: ['saas', 'smallbusiness'], version: 1, status: 'active' });

    const patched = await alice.call({ method: 'PATCH', url: `/api/v1/campaigns/${c.id}`, payload: { threshold: 75 } });
    expect(patched.json()).toMatchObject({ threshold: 75, version: 2, rules: ['"crm" AND recommend'] });
    const paused = await alice.call({ method: 'POST', url: `/api/v1/campaigns/${c.id}/pause` });
    expect(paused.json()).toMatchObject({ status: 'paused', version: 3 });
    const resumed = await alice.call({ method: 'POST', url: `/api/v1/campaigns/${c.id}/resume` });
    expect(resumed.json()).toMatchObject({ status: 'active', version: 4 });
    expect(changes - before).toBe(4);
  });

  it('when a rule does not parse, then the answer is a 400 problem naming the rule index and position', async () => {
    const res = await alice.call({
      method: 'POST',
      url: '/api/v1/campaigns',
      payload: { name: 'bad', rules: ['crm', '"unclosed phrase'] },
    });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    const body = res.json();
    expect(body.code).toBe('invalid_rule');
    expect(body.errors[0]).toMatchObject({ field: 'rules', index: 1 });
    expect(typeof body.errors[0].position).toBe('number');
  });

  it('when a campaign has more rules than the plan allows, then 403 plan_limit_rules says the limit', async () => {
    const res = await alice.call({
      method: 'POST',
      url: '/api/v1/campaigns',
      payload: { name: 'many', rules: ['a', 'b', 'c', 'd', 'e'] },
    });
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ code: 'plan_limit_rules', limit: 4, used: 5 });
  });

  it('when the campaign limit is reached, then 403 plan_limit_campaigns; deleting one frees a slot and restoring needs one', async () => {
    const bob = await createUser(h, 'bob-campaigns@example.com');
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const r = await bob.call({ method: 'POST', url: '/api/v1/campaigns', payload: { name: `c${i}`, rules: ['crm'] } });
      expect(r.statusCode).toBe(201);
      ids.push(r.json().id);
    }
    const over = await bob.call({ method: 'POST', url: '/api/v1/campaigns', payload: { name: 'c4' } });
    expect(over.statusCode).toBe(403);
    expect(over.json()).toMatchObject({ code: 'plan_limit_campaigns', limit: 3, used: 3 });

    expect((await bob.call({ method: 'DELETE', url: `/api/v1/campaigns/${ids[0]}` })).statusCode).toBe(204);
    const list = await bob.call({ method: 'GET', url: '/api/v1/campaigns' });
    expect(list.json().items).toHaveLength(2);
    const withDeleted = await bob.call({ method: 'GET', url: '/api/v1/campaigns?include_deleted=true' });
    const deleted = withDeleted.json().items.find((c: { id: string }) => c.id === ids[0]);
    expect(deleted.deleted_at).not.toBeNull();
    expect(deleted.restorable_until).not.toBeNull();

    const again = await bob.call({ method: 'POST', url: '/api/v1/campaigns', payload: { name: 'c5' } });
    expect(again.statusCode).toBe(201);
    const restore = await bob.call({ method: 'POST', url: `/api/v1/campaigns/${ids[0]}/restore` });
    expect(restore.statusCode).toBe(403);
    expect(restore.json().code).toBe('plan_limit_campaigns');

    await bob.call({ method: 'DELETE', url: `/api/v1/campaigns/${again.json().id}` });
    const restored = await bob.call({ method: 'POST', url: `/api/v1/campaigns/${ids[0]}/restore` });
    expect(restored.statusCode).toBe(200);
    expect(restored.json().deleted_at).toBeNull();
  });

  it('when an admin raises a user plan, then /me reports the new limits and usage', async () => {
    const admin = await createUser(h, 'admin-campaigns@example.com', 'admin');
    const carol = await createUser(h, 'carol@example.com');
    const denied = await carol.call({
      method: 'PATCH',
      url: `/api/v1/admin/users/${carol.id}/plan`,
      payload: { max_campaigns: 50 },
    });
    expect(denied.statusCode).toBe(403);
    expect(denied.json().code).toBe('admin_only');
    const ok = await admin.call({
      method: 'PATCH',
      url: `/api/v1/admin/users/${carol.id}/plan`,
      payload: { max_campaigns: 50 },
    });
    expect(ok.statusCode).toBe(200);
    await carol.call({ method: 'POST', url: '/api/v1/campaigns', payload: { name: 'x', rules: ['a', 'b'] } });
    const me = (await carol.call({ method: 'GET', url: '/api/v1/me' })).json();
    expect(me.plan).toEqual({ max_campaigns: 50, max_rules_per_campaign: 4, ai_tokens_per_month: 2_000_000 });
    expect(me.usage).toMatchObject({ campaigns: 1, rules: 2, max_rules_in_a_campaign: 2, ai_tokens_this_month: 0 });
  });

  it('when rules are previewed, then recent stored items are matched with their terms and nothing is saved', async () => {
    await h.infra.database.db.insert(redditItems).values([
      {
        fullname: 't3_prev1',
        kind: 'post',
        subreddit: 'smallbusiness',
        author: 'maria',
        title: 'Which CRM do you recommend for a 3 person agency?',
        body: 'Spreadsheets are not cutting it anymore.',
        permalink: '/r/smallbusiness/comments/prev1/x/',
        createdUtc: new Date(),
      },
      {
        fullname: 't3_prev2',
        kind: 'post',
        subreddit: 'cooking',
        author: 'sam',
        title: 'Best pan for eggs?',
        body: '',
        permalink: '/r/cooking/comments/prev2/x/',
        createdUtc: new Date(),
      },
    ]);
    const before = (await alice.call({ method: 'GET', url: '/api/v1/campaigns' })).json().items.length;
    const res = await alice.call({ method: 'POST', url: '/api/v1/campaigns/preview', payload: { rules: ['crm AND recommend*'] } });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.scanned).toBeGreaterThanOrEqual(2);
    expect(body.matches.map((m: { fullname: string }) => m.fullname)).toEqual(['t3_prev1']);
    expect(body.matches[0].matched_terms.length).toBeGreaterThan(0);
    expect((await alice.call({ method: 'GET', url: '/api/v1/campaigns' })).json().items.length).toBe(before);

    const bad = await alice.call({ method: 'POST', url: '/api/v1/campaigns/preview', payload: { rules: ['(crm'] } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().code).toBe('invalid_rule');
  });

  it('when a campaign is not the caller’s or does not exist, then every campaign route answers 404', async () => {
    const mallory = await createUser(h, 'mallory@example.com');
    const mine = (await alice.call({ method: 'POST', url: '/api/v1/campaigns', payload: { name: 'private' } })).json();
    for (const id of [mine.id, '00000000-0000-4000-8000-000000000000']) {
      for (const [method, url] of [
        ['GET', `/api/v1/campaigns/${id}`],
        ['PATCH', `/api/v1/campaigns/${id}`],
        ['POST', `/api/v1/campaigns/${id}/pause`],
        ['DELETE', `/api/v1/campaigns/${id}`],
        ['GET', `/api/v1/campaigns/${id}/stats`],
      ] as const) {
        const res = await mallory.call({ method, url, ...(method === 'PATCH' ? { payload: { name: 'x' } } : {}) });
        expect(res.statusCode, `${method} ${url}`).toBe(404);
        expect(res.json().code).toBe('campaign_not_found');
      }
    }
  });
});
