import { fileURLToPath } from 'node:url';
import type { Database } from './client.js';

const MIGRATIONS_FOLDER = fileURLToPath(new URL('./migrations', import.meta.url));
/** Arbitrary constant shared by every Subscout process: "subscout" in ASCII, truncated to int4. */
const MIGRATION_LOCK_KEY = 0x73756273;

/** Applies pending migrations. Safe from several processes at once: they queue on an advisory lock. */
export async function migrateDatabase(database: Database): Promise<void> {
  await database.withAdvisoryLock(MIGRATION_LOCK_KEY, async () => {
    if (database.kind === 'pglite') {
      const { migrate } = await import('drizzle-orm/pglite/migrator');
      // biome-ignore lint/suspicious/noExplicitAny: the migrator wants the concrete driver type
      await migrate(database.db as any, { migrationsFolder: MIGRATIONS_FOLDER });
    } else {
      const { migrate } = await import('drizzle-orm/node-postgres/migrator');
      // biome-ignore lint/suspicious/noExplicitAny: the migrator wants the concrete driver type
      await migrate(database.db as any, { migrationsFolder: MIGRATIONS_FOLDER });
    }
  });
}
