import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/platform/db/client.js';
import { migrateDatabase } from '../src/platform/db/migrate.js';
import { users } from '../src/platform/db/schema.js';

describe('the embedded database (PGlite)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'subscout-pglite-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('when the process restarts, then migrations are not re-applied and the data is still there', async () => {
    const first = await openDatabase({ dataDir, poolMax: 1 });
    expect(first.kind).toBe('pglite');
    await migrateDatabase(first);
    await first.db.insert(users).values({ email: 'kept@example.com' });
    await first.close();

    const second = await openDatabase({ dataDir, poolMax: 1 });
    await migrateDatabase(second);
    const rows = await second.db.select().from(users);
    expect(rows.map((r) => r.email)).toEqual(['kept@example.com']);
    await second.close();
  });
});
