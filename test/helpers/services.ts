import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { type Database, openDatabase } from '../../src/platform/db/client.js';
import { migrateDatabase } from '../../src/platform/db/migrate.js';
import { createRedis, type Redis } from '../../src/platform/redis.js';

/** The real servers tests run against (started by .ci/run when absent). */
export const TEST_PG_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

function withDatabaseName(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

export interface TestDatabase {
  url: string;
  database: Database;
  drop(): Promise<void>;
}

/** A fresh, migrated PostgreSQL database of its own, so test files can run side by side. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `subscout_t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: TEST_PG_URL });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = withDatabaseName(TEST_PG_URL, name);
  const database = await openDatabase({ url, dataDir: '', poolMax: 5 });
  await migrateDatabase(database);
  return {
    url,
    database,
    async drop() {
      await database.close();
      const c = new pg.Client({ connectionString: TEST_PG_URL });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

/** A unique key prefix (with a Redis Cluster hash tag) so test files never share keys. */
export function uniqueRedisPrefix(label = 't'): string {
  return `{subscout-${label}-${randomBytes(5).toString('hex')}}`;
}

/** Deletes every key under prefix; call in afterAll. */
export async function clearRedisPrefix(redis: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) await redis.del(...keys);
  } while (cursor !== '0');
}

export function createTestRedis(): Redis {
  return createRedis(TEST_REDIS_URL, 'worker');
}
