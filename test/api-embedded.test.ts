import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadEnv } from '../src/config/env.js';
import { openInfrastructure, type Infrastructure } from '../src/entrypoints/infrastructure.js';
import { adminRequestCheck, registerRoutes } from '../src/entrypoints/routes.js';
import { buildHttpApp } from '../src/entrypoints/serve-http.js';
import { ensureOwner } from '../src/modules/auth/ensure-owner.js';
import { campaigns, leads, redditItems } from '../src/platform/db/schema.js';
import { createLifecycle } from '../src/platform/lifecycle.js';
import { createLogger } from '../src/platform/logger.js';

describe('the API on the embedded defaults (PGlite, no Redis)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'subscout-api-'));
  let infra: Infrastructure;
  let app: FastifyInstance;
  let cookie: string;

  beforeAll(async () => {
    const log = createLogger({ level: 'silent', pretty: false });
    const env = loadEnv({ DATA_DIR: dir, LOG_LEVEL: 'silent', OWNER_EMAIL: 'me@localhost.test' });
    infra = await openInfrastructure(env, log, createLifecycle(log, { timeoutMs: 1000, exit: () => {} }), {
      migrate: true,
    });
    const isAdmin = adminRequestCheck(infra);
    app = await buildHttpApp(infra, async (a) => {
      await registerRoutes(a, infra);
      a.get('/admin-probe', async (request) => ({ admin: await isAdmin(request) }));
    });
  });
  afterAll(async () => {
    await app?.close();
    await infra?.database.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('when the quick start runs, then the owner is created once with a password and signed in from localhost', async () => {
    const first = await ensureOwner(infra.database.db, infra.env);
    expect(first).toMatchObject({ created: true, email: 'me@localhost.test' });
    expect(first.password).toBeTruthy();
    expect((await ensureOwner(infra.database.db, infra.env)).created).toBe(false);

    const session = await app.inject({ url: '/api/v1/auth/session' });
    expect(session.json()).toMatchObject({ authenticated: true, user: { role: 'owner' } });
    cookie = String(session.headers['set-cookie']).split(';')[0]!;
    const probe = await app.inject({ url: '/admin-probe', headers: { cookie } });
    expect(probe.json()).toEqual({ admin: true });
    expect((await app.inject({ url: '/admin-probe' })).json()).toEqual({ admin: false });
  });

  it('when campaigns and leads are used, then the inbox pages, bulk updates and export work on PGlite', async () => {
    const created = await app.inject({
      method: 'POST',
      url: '/api/v1/campaigns',
      headers: { cookie },
      payload: { name: 'embedded', rules: ['crm'] },
    });
    expect(created.statusCode).toBe(201);
    const me = (await app.inject({ url: '/api/v1/me', headers: { cookie } })).json();
    const { db } = infra.database;
    const [c] = await db.select().from(campaigns);
    const items = Array.from({ length: 12 }, (_, i) => ({
      fullname: `t3_emb${i}`,
      kind: 'post' as const,
      subreddit: 'saas',
      author: 'a',
      title: `Need a CRM ${i}`,
      permalink: `/r/saas/comments/emb${i}/x/`,
      createdUtc: new Date(),
    }));
    await db.insert(redditItems).values(items);
    const rows = await db
      .insert(leads)
      .values(items.map((it, i) => ({ userId: me.user.id, campaignId: c!.id, itemId: it.fullname, score: i * 8 })))
      .returning({ id: leads.id });

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const q: string = cursor ? `&cursor=${cursor}` : '';
      const page = (await app.inject({ url: `/api/v1/leads?limit=5${q}`, headers: { cookie } })).json();
      seen.push(...page.items.map((l: { id: string }) => l.id));
      cursor = page.next_cursor;
    } while (cursor);
    expect(new Set(seen)).toEqual(new Set(rows.map((r) => r.id)));

    const bulk = await app.inject({
      method: 'POST',
      url: '/api/v1/leads/bulk-status',
      headers: { cookie },
      payload: { ids: rows.slice(0, 3).map((r) => r.id), status: 'contacted' },
    });
    expect(bulk.json()).toEqual({ updated: 3 });
    const csv = await app.inject({ url: '/api/v1/leads/export.csv?status=contacted', headers: { cookie } });
    expect(csv.body.trim().split('\r\n')).toHaveLength(4);
    const stats = (await app.inject({ url: `/api/v1/campaigns/${c!.id}/stats`, headers: { cookie } })).json();
    expect(stats.total).toBe(12);
  });
});
