import { parseArgs } from 'node:util';
import { loadEnv } from '../config/env.js';
import { seedLoad } from '../modules/leads/seed.repo.js';
import { openDatabase } from '../platform/db/client.js';
import { migrateDatabase } from '../platform/db/migrate.js';
import { isMain } from './is-main.js';

/**
 * `npx tsx src/entrypoints/seed.ts --leads 1000000 [--campaigns 5] [--batch 100000]`
 * Fills the configured database (DATABASE_URL, else the embedded one) with synthetic leads.
 */
export async function runSeed(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      leads: { type: 'string', default: '10000' },
      campaigns: { type: 'string', default: '5' },
      batch: { type: 'string', default: '100000' },
    },
  });
  const leads = Number(values.leads);
  const campaigns = Number(values.campaigns);
  const batch = Number(values.batch);
  if (![leads, campaigns, batch].every((n) => Number.isInteger(n) && n > 0)) {
    process.stderr.write('seed: --leads, --campaigns and --batch must be positive integers\n');
    process.exitCode = 2;
    return;
  }
  const env = loadEnv();
  const database = await openDatabase({
    url: env.DATABASE_URL,
    dataDir: env.DATA_DIR,
    poolMax: 2,
  });
  try {
    await migrateDatabase(database);
    const started = Date.now();
    const result = await seedLoad(database.db, {
      leads,
      campaigns,
      batch,
      onProgress: (done, total) => process.stdout.write(`seeded ${done}/${total} leads\n`),
    });
    process.stdout.write(
      `seed: ${result.leads} leads for ${result.userId} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
    );
  } finally {
    await database.close();
  }
}

if (isMain(import.meta.url)) await runSeed(process.argv.slice(2));
