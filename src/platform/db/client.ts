import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { SQL } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import * as schema from './schema.js';

/** The database handle every repo takes; the same type over PostgreSQL and PGlite. */
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

export interface Database {
  db: Db;
  /** The read replica when one is configured, else the primary. */
  readDb: Db;
  kind: 'postgres' | 'pglite';
  /** Runs fn while holding a cluster-wide advisory lock (a no-op lock on PGlite: one process). */
  withAdvisoryLock<T>(key: number, fn: () => Promise<T>): Promise<T>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  url?: string | undefined;
  readUrl?: string | undefined;
  dataDir: string;
  poolMax: number;
}

/** PostgreSQL when a URL is given, else PGlite (PostgreSQL in WASM) stored under dataDir/pg. */
export async function openDatabase(opts: DatabaseOptions): Promise<Database> {
  return opts.url ? openPostgres(opts.url, opts.readUrl, opts.poolMax) : openPglite(resolve(opts.dataDir, 'pg'));
}

async function openPostgres(url: string, readUrl: string | undefined, poolMax: number): Promise<Database> {
  const { default: pg } = await import('pg');
  const { drizzle } = await import('drizzle-orm/node-postgres');
  const pool = new pg.Pool({ connectionString: url, max: poolMax, connectionTimeoutMillis: 5_000 });
  // An idle client losing its connection must not crash the process; the pool replaces it.
  pool.on('error', () => {});
  const readPool = readUrl ? new pg.Pool({ connectionString: readUrl, max: poolMax }) : undefined;
  readPool?.on('error', () => {});
  const db = drizzle(pool, { schema }) as unknown as Db;
  const readDb = readPool ? (drizzle(readPool, { schema }) as unknown as Db) : db;
  return {
    db,
    readDb,
    kind: 'postgres',
    async withAdvisoryLock(key, fn) {
      const client = await pool.connect();
      try {
        await client.query('select pg_advisory_lock($1)', [key]);
        try {
          return await fn();
        } finally {
          await client.query('select pg_advisory_unlock($1)', [key]);
        }
      } finally {
        client.release();
      }
    },
    async ping() {
      await pool.query('select 1');
    },
    async close() {
      await Promise.all([pool.end(), readPool?.end()]);
    },
  };
}

async function openPglite(dir: string): Promise<Database> {
  const { PGlite } = await import('@electric-sql/pglite');
  const { drizzle } = await import('drizzle-orm/pglite');
  mkdirSync(dir, { recursive: true });
  const client = await PGlite.create(dir);
  const db = drizzle(client, { schema }) as unknown as Db;
  let chain: Promise<unknown> = Promise.resolve();
  return {
    db,
    readDb: db,
    kind: 'pglite',
    withAdvisoryLock(_key, fn) {
      const run = chain.then(fn, fn);
      chain = run.catch(() => {});
      return run;
    },
    async ping() {
      await client.query('select 1');
    },
    async close() {
      await client.close();
    },
  };
}

/** Runs raw SQL and returns its rows; both drivers answer `{ rows }`. */
export async function queryRows<T>(db: Db, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown as { rows: T[] };
  return result.rows;
}
