import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { loadEnv } from '../src/config/env.js';
import { openInfrastructure } from '../src/entrypoints/infrastructure.js';
import { registerRoutes } from '../src/entrypoints/routes.js';
import { buildHttpApp } from '../src/entrypoints/serve-http.js';
import { createApiKeyService } from '../src/modules/api-keys/api-keys.service.js';
import { decodeCursor } from '../src/modules/leads/cursor.js';
import { inboxQuery } from '../src/modules/leads/leads.repo.js';
import { type LeadFilters, leadFilters } from '../src/modules/leads/leads.schemas.js';
import { seedLoad } from '../src/modules/leads/seed.repo.js';
import { queryRows } from '../src/platform/db/client.js';
import { migrateDatabase } from '../src/platform/db/migrate.js';
import { createLifecycle } from '../src/platform/lifecycle.js';
import { createLogger } from '../src/platform/logger.js';

/**
 * Inbox on a large lead set: seeds (or reuses) N leads for one user in a dedicated PostgreSQL
 * database, prints EXPLAIN of the inbox statements, times API pages (HTTP stack included,
 * through inject) and compares a deep keyset page with the OFFSET page at the same depth.
 *
 *   npm run bench -- inbox [--leads 1000000] [--requests 200]
 */

const ADMIN_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

function stats(ms: number[]) {
  const s = [...ms].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
  return { median: at(0.5), p95: at(0.95), n: s.length };
}
const f1 = (n: number) => n.toFixed(2);

async function ensureDatabase(name: string): Promise<string> {
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  const found = await admin.query('select 1 from pg_database where datname = $1', [name]);
  if (found.rowCount === 0) await admin.query(`create database ${name}`);
  await admin.end();
  const u = new URL(ADMIN_URL);
  u.pathname = `/${name}`;
  return u.toString();
}

export default async function inboxBench(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      leads: { type: 'string', default: '1000000' },
      requests: { type: 'string', default: '200' },
      database: { type: 'string', default: 'subscout_bench' },
    },
  });
  const target = Number(values.leads);
  const requests = Number(values.requests);
  const url = process.env.BENCH_DATABASE_URL ?? (await ensureDatabase(values.database));
  const log = createLogger({ level: 'silent', pretty: false });
  const lifecycle = createLifecycle(log, { timeoutMs: 5_000, exit: () => {} });
  const env = loadEnv({
    DATABASE_URL: url,
    LOG_LEVEL: 'silent',
    NODE_ENV: 'production',
    RATE_LIMIT_PER_MINUTE: '100000000',
    RATE_LIMIT_IP_PER_MINUTE: '100000000',
  });
  const infra = await openInfrastructure(env, log, lifecycle, { migrate: false });
  const { db } = infra.database;
  await migrateDatabase(infra.database);

  process.stdout.write(`seeding up to ${target} leads (reused when present)...\n`);
  const seedStart = performance.now();
  const seeded = await seedLoad(db, {
    leads: target,
    campaigns: 5,
    batch: 100_000,
    onProgress: (done, total) => process.stdout.write(`  ${done}/${total}\n`),
  });
  process.stdout.write(`seeded: ${seeded.leads} leads in ${((performance.now() - seedStart) / 1000).toFixed(1)} s\n`);
  const userId = seeded.userId;

  const app = await buildHttpApp(infra, (a) => registerRoutes(a, infra));
  await app.ready();
  const { key } = await createApiKeyService({ db, now: () => new Date() }).create(userId, 'bench');
  // Wall time depends on how busy the machine is; this process's CPU time per request does not.
  const cpu: number[] = [];
  const get = async (path: string) => {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    const res = await app.inject({ method: 'GET', url: path, headers: { authorization: `Bearer ${key}` } });
    const ms = performance.now() - t0;
    const used = process.cpuUsage(c0);
    cpu.push((used.user + used.system) / 1000);
    if (res.statusCode !== 200) throw new Error(`${path} -> ${res.statusCode} ${res.body.slice(0, 200)}`);
    return { ms, body: res.json() as { items: { id: string }[]; next_cursor: string | null } };
  };

  // A cursor about half-way down the `new` leads, to time deep pages too.
  const [mid] = await queryRows<{ created_key: string; id: string }>(
    db,
    sql`select to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as created_key, id
        from leads where user_id = ${userId} and status = 'new'
        order by created_at desc nulls last, id desc nulls last offset ${Math.floor(seeded.leads * 0.35)} limit 1`,
  );
  const deepCursor = Buffer.from(JSON.stringify({ k: 'n', t: mid!.created_key, i: mid!.id })).toString('base64url');
  const depth = Math.floor(seeded.leads * 0.35);

  const explain = async (label: string, f: LeadFilters, cursor?: string) => {
    const q = inboxQuery(userId, f, cursor ? decodeCursor(cursor, f.sort) : undefined, 25);
    const plan = await queryRows<{ 'QUERY PLAN': string }>(db, sql`explain (analyze, buffers, costs off) ${q}`);
    const text = plan.map((r) => r['QUERY PLAN']).join('\n');
    process.stdout.write(`\n--- EXPLAIN ${label}\n${text}\n`);
    return text;
  };
  const filters = (q: Record<string, string>) => leadFilters.parse(q);
  const [campaign] = await queryRows<{ id: string }>(
    db,
    sql`select id from campaigns where user_id = ${userId} order by created_at limit 1`,
  );
  const planNew = await explain('inbox, status=new, newest, first page', filters({}));
  await explain('inbox, status=new, newest, deep cursor', filters({}), deepCursor);
  await explain('inbox, status=all, newest (one keyset branch per status)', filters({ status: 'all' }));
  await explain('inbox, one campaign, status=new', filters({ campaign_id: campaign!.id }));
  await explain('inbox, sort=score', filters({ sort: 'score', status: 'all' }));
  const usesIndex = /leads_inbox_user_idx/.test(planNew) && !/Sort Key: l\.created_at/.test(planNew.split('Merge Append')[0] ?? '');

  // Warm the caches and the JIT, then time.
  for (let i = 0; i < 20; i++) await get('/api/v1/leads?limit=25');
  cpu.length = 0;

  const scenarios: { name: string; start: string }[] = [
    { name: 'new, from the top', start: '/api/v1/leads?limit=25' },
    { name: `new, from depth ${depth}`, start: `/api/v1/leads?limit=25&cursor=${deepCursor}` },
    { name: 'all statuses', start: '/api/v1/leads?limit=25&status=all' },
    { name: 'one campaign', start: `/api/v1/leads?limit=25&campaign_id=${campaign!.id}` },
    { name: 'by score', start: '/api/v1/leads?limit=25&sort=score&status=all' },
  ];
  const per = Math.ceil(requests / scenarios.length);
  const all: number[] = [];
  process.stdout.write('\n');
  for (const s of scenarios) {
    const times: number[] = [];
    let path: string | null = s.start;
    for (let i = 0; i < per && path; i++) {
      const { ms, body } = await get(path);
      times.push(ms);
      const base = s.start.replace(/&cursor=[^&]*/, '');
      path = body.next_cursor ? `${base}&cursor=${body.next_cursor}` : null;
    }
    all.push(...times);
    const st = stats(times);
    process.stdout.write(`API page (${s.name}): median ${f1(st.median)} ms, p95 ${f1(st.p95)} ms over ${st.n} pages\n`);
  }

  // Baseline: the same page reached with OFFSET at the same depth, against the keyset statement, SQL only.
  const timeSql = async (q: ReturnType<typeof sql>, n: number) => {
    const t: number[] = [];
    for (let i = 0; i < n; i++) {
      const t0 = performance.now();
      await db.execute(q);
      t.push(performance.now() - t0);
    }
    return stats(t);
  };
  const keysetSql = inboxQuery(userId, filters({}), decodeCursor(deepCursor, 'newest'), 25);
  const offsetSql = sql`select l.id, l.created_at, i.title from leads l join reddit_items i on i.fullname = l.item_id
      where l.user_id = ${userId} and l.status = 'new'
      order by l.created_at desc nulls last, l.id desc nulls last offset ${depth} limit 26`;
  const offsetPlan = await queryRows<{ 'QUERY PLAN': string }>(db, sql`explain (analyze, costs off) ${offsetSql}`);
  process.stdout.write(`\n--- EXPLAIN OFFSET baseline\n${offsetPlan.map((r) => r['QUERY PLAN']).join('\n')}\n\n`);
  const keyset = await timeSql(keysetSql, 20);
  const offset = await timeSql(offsetSql, 5);
  process.stdout.write(
    `SQL at depth ${depth}: keyset median ${f1(keyset.median)} ms, OFFSET median ${f1(offset.median)} ms\n`,
  );

  await app.close();
  await infra.database.close();
  const st = stats(all);
  const [load1] = loadavg();
  process.stdout.write(`API process CPU per page: median ${f1(stats(cpu).median)} ms; load average ${load1!.toFixed(1)}\n`);
  process.stdout.write(
    `leads=${seeded.leads} keyset_index=${usesIndex ? 'yes' : 'no'} page_median_ms=${f1(st.median)} page_p95_ms=${f1(st.p95)} ` +
      `requests=${st.n} cpu_median_ms=${f1(stats(cpu).median)} deep_keyset_ms=${f1(keyset.median)} deep_offset_ms=${f1(offset.median)} ` +
      `offset_vs_keyset=${(offset.median / keyset.median).toFixed(0)}x\n`,
  );
}
