import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadEnv } from '../src/config/env.js';
import { createNotifyFromEnv } from '../src/modules/notify/notify-from-env.js';
import { type Database, openDatabase } from '../src/platform/db/client.js';
import { migrateDatabase } from '../src/platform/db/migrate.js';
import { campaigns, deliveries, leads, redditItems, users } from '../src/platform/db/schema.js';
import { createLogger } from '../src/platform/logger.js';
import { type FakeChatWebhooks, startFakeChatWebhooks } from './helpers/fake-chat-webhooks.js';

const log = createLogger({ level: 'silent', pretty: false });

describe('lead alerts in the embedded mode (PGlite, no Redis, no ENCRYPTION_KEY)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'subscout-notify-'));
  let database: Database;
  let fake: FakeChatWebhooks;

  beforeAll(async () => {
    database = await openDatabase({ dataDir, poolMax: 1 });
    await migrateDatabase(database);
    fake = await startFakeChatWebhooks();
  });
  afterAll(async () => {
    await fake?.close();
    await database?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('when a webhook channel is added and the job runs twice, then the key file is made once and the signed alert is sent once', async () => {
    const { db } = database;
    const env = loadEnv({ DATA_DIR: dataDir });
    const wiring = createNotifyFromEnv({ env, db, log, urlPolicy: { allowAddresses: ['127.0.0.1'] } });
    const [u] = await db.insert(users).values({ email: 'solo@example.com' }).returning();
    const [c] = await db.insert(campaigns).values({ userId: u!.id, name: 'c', threshold: 60 }).returning();
    await db.insert(redditItems).values({
      fullname: 't3_embedded',
      kind: 'post',
      subreddit: 'saas',
      author: 'a',
      title: 'Which CRM for a two person startup?',
      permalink: '/r/saas/comments/embedded/x/',
      createdUtc: new Date(),
    });
    const [lead] = await db
      .insert(leads)
      .values({ userId: u!.id, campaignId: c!.id, itemId: 't3_embedded', scoring: 'scored', score: 83, scoredAt: new Date() })
      .returning();

    expect(existsSync(join(dataDir, 'secret.key'))).toBe(false);
    const channel = await wiring.channels.create(u!.id, { kind: 'webhook', target: fake.webhookUrl('embedded'), mode: 'instant', min_score: null, enabled: true });
    expect(existsSync(join(dataDir, 'secret.key'))).toBe(true);
    fake.setWebhookSecret('embedded', channel.secret!);

    const ctx = { jobId: 'e1', attempt: 1, log };
    await wiring.job.process({ leadIds: [lead!.id] }, ctx);
    await wiring.job.process({ leadIds: [lead!.id] }, ctx);

    const received = fake.received({ name: 'embedded' });
    expect(received).toHaveLength(1);
    expect(received[0]!.signatureValid).toBe(true);
    const rows = await db.select().from(deliveries).where(eq(deliveries.channelId, channel.id));
    expect(rows).toMatchObject([{ status: 'sent', attempts: 1, lockedUntil: null }]);
  });

  it('when the database is read while an alert is being sent, then the read is not blocked by the send', async () => {
    const { db } = database;
    const env = loadEnv({ DATA_DIR: dataDir });
    const wiring = createNotifyFromEnv({ env, db, log, urlPolicy: { allowAddresses: ['127.0.0.1'] } });
    const [u] = await db.insert(users).values({ email: 'busy@example.com' }).returning();
    const [c] = await db.insert(campaigns).values({ userId: u!.id, name: 'c', threshold: 60 }).returning();
    await db.insert(redditItems).values({
      fullname: 't3_busy',
      kind: 'post',
      subreddit: 'saas',
      author: 'a',
      title: 'Looking for a CRM',
      permalink: '/r/saas/comments/busy/x/',
      createdUtc: new Date(),
    });
    const [lead] = await db
      .insert(leads)
      .values({ userId: u!.id, campaignId: c!.id, itemId: 't3_busy', scoring: 'scored', score: 90, scoredAt: new Date() })
      .returning();
    const channel = await wiring.channels.create(u!.id, { kind: 'webhook', target: fake.webhookUrl('busy'), mode: 'instant', min_score: null, enabled: true });
    fake.setWebhookSecret('busy', channel.secret!);
    // The receiver reads the database (PGlite, one connection) before it answers: had the
    // send held a row lock in an open transaction, this read would wait for the answer,
    // and the answer for the read.
    let during: { status: string; lockedUntil: Date | null }[] = [];
    fake.beforeAnswer('busy', async () => {
      during = await db
        .select({ status: deliveries.status, lockedUntil: deliveries.lockedUntil })
        .from(deliveries)
        .where(eq(deliveries.channelId, channel.id));
    });

    await wiring.job.process({ leadIds: [lead!.id] }, { jobId: 'b1', attempt: 1, log });

    expect(fake.received({ name: 'busy', accepted: true })).toHaveLength(1);
    expect(during).toHaveLength(1);
    expect(during[0]!.status).toBe('pending');
    expect(during[0]!.lockedUntil!.getTime()).toBeGreaterThan(Date.now());
    const rows = await db.select().from(deliveries).where(eq(deliveries.channelId, channel.id));
    expect(rows).toMatchObject([{ status: 'sent', attempts: 1, lockedUntil: null }]);
  });
});
