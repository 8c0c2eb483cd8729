import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notificationChannels, redditAccounts } from '../src/platform/db/schema.js';
import {
  type ApiHarness,
  createCampaignRow,
  createUser,
  seedLeads,
  startApi,
  type TestUser,
} from './api-harness.js';

interface Operation {
  method: string;
  path: string;
  hasBody: boolean;
}

const MARKER = 'ALPHA-PRIVATE-7f3a';

/** Valid bodies, so each call reaches the ownership check rather than stopping at validation. */
const BODIES: Record<string, (ids: AliceIds) => unknown> = {
  'POST /api/v1/auth/login': () => ({ email: 'alice-xt@example.com', password: 'guess' }),
  'PATCH /api/v1/admin/users/{id}/plan': () => ({ max_campaigns: 99 }),
  'POST /api/v1/api-keys': () => ({ name: 'mine' }),
  'POST /api/v1/campaigns': () => ({ name: 'bob campaign', rules: ['crm'] }),
  'POST /api/v1/campaigns/preview': () => ({ rules: [MARKER] }),
  'PATCH /api/v1/campaigns/{id}': () => ({ name: 'stolen' }),
  'POST /api/v1/leads/bulk-status': (ids) => ({ ids: [ids.lead], status: 'dismissed' }),
  'PATCH /api/v1/leads/{id}': () => ({ status: 'converted' }),
  'POST /api/v1/leads/{id}/feedback': () => ({ feedback: 'bad' }),
  'POST /api/v1/leads/{id}/draft': () => ({ instructions: 'hi' }),
  'POST /api/v1/scrapes': () => ({ url: 'https://example.com/' }),
  'POST /api/v1/notification-channels': () => ({ kind: 'webhook', target: 'https://example.com/hook' }),
  'PATCH /api/v1/notification-channels/{id}': () => ({ enabled: false }),
  'POST /api/v1/leads/{id}/reply': (ids) => ({ text: 'hello', account_id: ids.account }),
};

/** Routes that act on A's data through the query string rather than the path. */
const QUERIES: Record<string, (ids: AliceIds) => string> = {
  'GET /api/v1/leads': (ids) => `?campaign_id=${ids.campaign}`,
  'GET /api/v1/leads/export.csv': (ids) => `?campaign_id=${ids.campaign}&status=all`,
};

/** The caller's own space: answering 2xx is right, as long as nothing of A's is in it. */
const OWN_SCOPE = new Set([
  'POST /api/v1/auth/logout',
  'GET /api/v1/auth/session',
  'GET /api/v1/me',
  'POST /api/v1/api-keys',
  'GET /api/v1/api-keys',
  'POST /api/v1/campaigns',
  'GET /api/v1/campaigns',
  'POST /api/v1/campaigns/preview',
  'POST /api/v1/scrapes',
  'GET /api/v1/notification-channels',
  'POST /api/v1/notification-channels',
  'GET /api/v1/reddit-accounts',
  'POST /api/v1/reddit-accounts/connect',
  'GET /api/v1/reddit-accounts/connect',
  'GET /api/v1/reddit-accounts/callback',
]);

interface AliceIds {
  user: string;
  campaign: string;
  lead: string;
  apiKey: string;
  channel: string;
  account: string;
  /** Scrape requests live in the cache; a made-up id stands for A's. */
  scrape: string;
}

function idFor(path: string, ids: AliceIds): string {
  if (path.startsWith('/api/v1/campaigns/')) return ids.campaign;
  if (path.startsWith('/api/v1/leads/')) return ids.lead;
  if (path.startsWith('/api/v1/api-keys/')) return ids.apiKey;
  if (path.startsWith('/api/v1/admin/users/')) return ids.user;
  if (path.startsWith('/api/v1/notification-channels/')) return ids.channel;
  if (path.startsWith('/api/v1/reddit-accounts/')) return ids.account;
  if (path.startsWith('/api/v1/scrapes/')) return ids.scrape;
  throw new Error(`no id for ${path}: teach the cross-tenant test about this route`);
}

describe('cross-tenant isolation over every documented route', () => {
  let h: ApiHarness;
  let alice: TestUser;
  let bob: TestUser;
  let ids: AliceIds;
  let operations: Operation[];

  beforeAll(async () => {
    h = await startApi(
      {
        RATE_LIMIT_PER_MINUTE: '100000',
        RATE_LIMIT_EXPENSIVE_PER_MINUTE: '100000',
        ENCRYPTION_KEY: 'a'.repeat(64),
        ENABLE_WORKERS: 'false',
      },
      {
        draftWriter: { draft: async () => ({ text: `draft ${MARKER}`, draftedBy: 'local' }) },
        previewRules: async () => ({ scanned: 0, matches: [] }),
      },
      undefined,
      true,
    );
    alice = await createUser(h, 'alice-xt@example.com');
    bob = await createUser(h, 'bob-xt@example.com');
    const campaign = await createCampaignRow(h, alice.id, `campaign ${MARKER}`);
    const [lead] = await seedLeads(h, alice.id, campaign, 3, () => ({ title: `title ${MARKER}`, body: MARKER }));
    const key = (await alice.call({ method: 'POST', url: '/api/v1/api-keys', payload: { name: `key ${MARKER}` } })).json();
    const { db } = h.infra.database;
    const [channel] = await db
      .insert(notificationChannels)
      .values({ userId: alice.id, kind: 'webhook', target: `https://hooks.example.com/${MARKER}` })
      .returning({ id: notificationChannels.id });
    const [account] = await db
      .insert(redditAccounts)
      .values({ userId: alice.id, username: `u_${MARKER}`, refreshTokenEnc: 'x:y:z' })
      .returning({ id: redditAccounts.id });
    ids = {
      user: alice.id,
      campaign,
      lead: lead!,
      apiKey: key.id,
      channel: channel!.id,
      account: account!.id,
      scrape: randomUUID(),
    };

    const doc = (await h.app.inject('/api/v1/openapi.json')).json();
    operations = Object.entries(doc.paths as Record<string, Record<string, { requestBody?: unknown }>>).flatMap(
      ([path, methods]) =>
        Object.entries(methods).map(([method, op]) => ({
          method: method.toUpperCase(),
          path,
          hasBody: op.requestBody !== undefined,
        })),
    );
  });
  afterAll(async () => {
    await h?.close();
  });

  it('when user B calls every route on user A’s resources, then nothing succeeds and nothing of A’s leaks', async () => {
    // Every feature's routes, as the api process mounts them.
    expect(operations.length).toBeGreaterThanOrEqual(35);
    const secrets = [MARKER, ids.campaign, ids.lead, ids.apiKey, ids.user, ids.channel, ids.account, alice.email, alice.key];
    for (const op of operations) {
      const name = `${op.method} ${op.path}`;
      if (op.hasBody) expect(BODIES[name], `sample body for ${name}`).toBeDefined();
      const url = op.path.replace('{id}', () => idFor(op.path, ids)) + (QUERIES[name]?.(ids) ?? '');
      const res = await bob.call({
        method: op.method as 'GET',
        url,
        ...(op.hasBody ? { payload: BODIES[name]!(ids) as Record<string, unknown> } : {}),
      });
      for (const s of secrets) expect(res.body, `${name} leaked ${s}`).not.toContain(s);
      if (!OWN_SCOPE.has(name)) {
        expect(res.statusCode, `${name} answered ${res.statusCode}`).toBeGreaterThanOrEqual(400);
        expect(res.statusCode, name).not.toBe(500);
        expect(res.headers['content-type'], name).toContain('application/problem+json');
      }
      if (res.statusCode === 403) expect(res.json().code, name).toBe('admin_only');
    }
  });

  it('when B has tried everything, then A’s data is unchanged', async () => {
    const campaign = (await alice.call({ method: 'GET', url: `/api/v1/campaigns/${ids.campaign}` })).json();
    expect(campaign).toMatchObject({ name: `campaign ${MARKER}`, status: 'active', deleted_at: null, version: 1 });
    const lead = (await alice.call({ method: 'GET', url: `/api/v1/leads/${ids.lead}` })).json();
    expect(lead).toMatchObject({ status: 'new', feedback: null, replies: [] });
    const keys = (await alice.call({ method: 'GET', url: '/api/v1/api-keys' })).json();
    expect(keys.items.every((k: { revoked_at: string | null }) => k.revoked_at === null)).toBe(true);
    const me = (await alice.call({ method: 'GET', url: '/api/v1/me' })).json();
    expect(me.plan.max_campaigns).toBe(10);
    const { db } = h.infra.database;
    const channels = await db.select().from(notificationChannels).where(eq(notificationChannels.id, ids.channel));
    expect(channels[0]).toMatchObject({ enabled: true, userId: alice.id });
    expect(await db.select().from(redditAccounts).where(eq(redditAccounts.id, ids.account))).toHaveLength(1);
  });
});
