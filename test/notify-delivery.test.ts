import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { eq, inArray, sql } from 'drizzle-orm';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadEnv } from '../src/config/env.js';
import { createNotifyFromEnv } from '../src/modules/notify/notify-from-env.js';
import { createBullmqQueueSystem } from '../src/platform/queue/bullmq-queue.js';
import { queryRows } from '../src/platform/db/client.js';
import { campaigns, deliveries, leads, notificationChannels, redditItems, users } from '../src/platform/db/schema.js';
import { createLogger } from '../src/platform/logger.js';
import { UnrecoverableError } from '../src/platform/queue/queue.js';
import { type FakeChatWebhooks, startFakeChatWebhooks } from './helpers/fake-chat-webhooks.js';
import { clearRedisPrefix, createTestDatabase, createTestRedis, TEST_REDIS_URL, type TestDatabase, uniqueRedisPrefix } from './helpers/services.js';

const log = createLogger({ level: process.env.TEST_LOG ?? "silent", pretty: false });
const PUBLIC_URL = 'https://subscout.example';

interface ReceivedMail {
  to: string[];
  raw: string;
}

/** A real SMTP server in-process; recipients starting with "bounce" get a permanent 550. */
async function startSmtp() {
  const mails: ReceivedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onRcptTo(address, _session, callback) {
      if (address.address.startsWith('bounce')) {
        callback(Object.assign(new Error('5.1.1 No such user here'), { responseCode: 550 }));
        return;
      }
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        mails.push({ to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString('utf8') });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return { mails, url: `smtp://127.0.0.1:${port}`, close: () => new Promise<void>((r) => server.close(() => r())) };
}

/** Undoes quoted-printable soft breaks and escapes so assertions read the text as sent. */
function decodeQp(raw: string): string {
  return raw.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_m, h: string) => String.fromCharCode(Number.parseInt(h, 16)));
}

describe('lead alerts on PostgreSQL, with real SMTP and local chat webhooks', () => {
  let t: TestDatabase;
  let fake: FakeChatWebhooks;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let clock = new Date('2024-05-02T10:00:00Z');
  let wiring: ReturnType<typeof createNotifyFromEnv>;
  let seq = 0;

  beforeAll(async () => {
    t = await createTestDatabase();
    fake = await startFakeChatWebhooks({ now: () => clock.getTime() });
    smtp = await startSmtp();
    const env = loadEnv({
      DATABASE_URL: t.url,
      PUBLIC_URL,
      SMTP_URL: smtp.url,
      EMAIL_FROM: 'Subscout <alerts@subscout.example>',
      ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      REDIS_URL: TEST_REDIS_URL,
    });
    wiring = createNotifyFromEnv({
      env,
      db: t.database.db,
      log,
      now: () => clock,
      urlPolicy: { allowAddresses: ['127.0.0.1'] },
    });
  });
  afterAll(async () => {
    await fake?.close();
    await smtp?.close();
    await t?.drop();
  });

  async function newUser(): Promise<{ userId: string; campaignId: string }> {
    const { db } = t.database;
    const [u] = await db.insert(users).values({ email: `u${seq++}-${randomBytes(3).toString('hex')}@example.com` }).returning();
    const [c] = await db.insert(campaigns).values({ userId: u!.id, name: 'CRM hunt', rules: ['crm'], threshold: 60 }).returning();
    return { userId: u!.id, campaignId: c!.id };
  }

  async function seedLead(
    owner: { userId: string; campaignId: string },
    score: number,
    opts: { title?: string; body?: string; scoredAt?: Date } = {},
  ): Promise<string> {
    const { db } = t.database;
    const fullname = `t3_n${(seq++).toString(36)}${randomBytes(3).toString('hex')}`;
    await db.insert(redditItems).values({
      fullname,
      kind: 'post',
      subreddit: 'smallbusiness',
      author: 'founder42',
      title: opts.title ?? 'Any recommendations for a simple CRM?',
      body: opts.body ?? 'We are a team of five and outgrew our spreadsheet. What do you use?',
      permalink: `/r/smallbusiness/comments/${fullname.slice(3)}/any_recommendations/`,
      createdUtc: clock,
    });
    const [lead] = await db
      .insert(leads)
      .values({
        userId: owner.userId,
        campaignId: owner.campaignId,
        itemId: fullname,
        scoring: 'scored',
        score,
        intent: 'recommendation_request',
        reasons: ['Asks for a CRM recommendation', 'Team of five'],
        matchedTerms: ['crm'],
        scoredAt: opts.scoredAt ?? clock,
      })
      .returning({ id: leads.id });
    return lead!.id;
  }

  async function addChannel(userId: string, body: Parameters<typeof wiring.channels.create>[1]) {
    const created = await wiring.channels.create(userId, body);
    if (created.secret && body.kind === 'webhook') fake.setWebhookSecret(body.target.split('/').at(-1)!, created.secret);
    return created;
  }

  const channelBody = (kind: 'email' | 'slack' | 'discord' | 'webhook', target: string, extra: { mode?: 'instant' | 'digest'; min_score?: number | null } = {}) => ({
    kind,
    target,
    mode: extra.mode ?? 'instant',
    min_score: extra.min_score ?? null,
    enabled: true,
  });

  async function deliveriesOf(channelId: string) {
    return t.database.db.select().from(deliveries).where(eq(deliveries.channelId, channelId));
  }

  it('when a lead clears the threshold, then Slack, Discord, email and the signed webhook each get one message in their own format', async () => {
    const owner = await newUser();
    const slack = await addChannel(owner.userId, channelBody('slack', fake.slackUrl('all-slack')));
    const discord = await addChannel(owner.userId, channelBody('discord', fake.discordUrl('all-discord')));
    const hook = await addChannel(owner.userId, channelBody('webhook', fake.webhookUrl('all-hook')));
    await addChannel(owner.userId, channelBody('email', 'sales@acme.example'));
    const leadId = await seedLead(owner, 82, { title: 'Any recommendations for a simple CRM? <b>&</b>' });

    await wiring.job.process({ leadIds: [leadId] }, { jobId: 'j1', attempt: 1, log });

    const dashboard = `${PUBLIC_URL}/leads/${leadId}`;
    const [s] = fake.received({ name: 'all-slack', accepted: true });
    const slackJson = s!.json as { text: string; blocks: { type: string; text?: { text: string } }[] };
    expect(slackJson.text).toContain('New lead (82) in r/smallbusiness');
    const section = slackJson.blocks.find((b) => b.type === 'section')!.text!.text;
    expect(section).toContain(`<${dashboard}|Any recommendations for a simple CRM? &lt;b&gt;&amp;&lt;/b&gt;>`);
    expect(section).toContain('recommendation request');
    expect(s!.body).toContain('https://www.reddit.com/r/smallbusiness/comments/');

    const [d] = fake.received({ name: 'all-discord', accepted: true });
    const discordJson = d!.json as { content: string; embeds: { url: string; fields: { name: string; value: string }[] }[]; allowed_mentions: { parse: string[] } };
    expect(discordJson.embeds[0]!.url).toBe(dashboard);
    expect(discordJson.embeds[0]!.fields).toContainEqual({ name: 'Score', value: '82', inline: true });
    expect(discordJson.allowed_mentions.parse).toEqual([]);

    const [w] = fake.received({ name: 'all-hook' });
    expect(w!.signatureValid).toBe(true);
    const event = w!.json as { type: string; delivery_id: string; leads: { id: string; score: number; reasons: string[]; reddit_url: string }[] };
    expect(event.type).toBe('leads.alert');
    expect(event.leads[0]).toMatchObject({ id: leadId, score: 82, reasons: ['Asks for a CRM recommendation', 'Team of five'] });
    const [hookDelivery] = await deliveriesOf(hook.id);
    expect(event.delivery_id).toBe(hookDelivery!.id);

    const mail = smtp.mails.find((m) => m.to.includes('sales@acme.example'));
    const text = decodeQp(mail!.raw);
    expect(text).toMatch(/Subject: New lead \(82\) in r\/smallbusiness/);
    expect(text).toContain(dashboard);
    expect(text).toContain('&lt;b&gt;&amp;&lt;/b&gt;');

    for (const ch of [slack, discord, hook]) {
      const rows = await deliveriesOf(ch.id);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ status: 'sent', attempts: 1, error: null, leadIds: [leadId] });
    }
    const [lead] = await t.database.db.select({ notifiedAt: leads.notifiedAt }).from(leads).where(eq(leads.id, leadId));
    expect(lead!.notifiedAt).toEqual(clock);
  });

  it('when the notify job runs twice, and twice at once, then every channel still gets exactly one message', async () => {
    const owner = await newUser();
    const slack = await addChannel(owner.userId, channelBody('slack', fake.slackUrl('twice-slack')));
    const hook = await addChannel(owner.userId, channelBody('webhook', fake.webhookUrl('twice-hook')));
    const ids = [await seedLead(owner, 70), await seedLead(owner, 90)];
    const ctx = { jobId: 'j2', attempt: 1, log };

    await Promise.all([wiring.job.process({ leadIds: ids }, ctx), wiring.job.process({ leadIds: [...ids].reverse() }, ctx)]);
    await wiring.job.process({ leadIds: ids }, ctx);

    expect(fake.received({ name: 'twice-slack' })).toHaveLength(1);
    expect(fake.received({ name: 'twice-hook' })).toHaveLength(1);
    const event = fake.received({ name: 'twice-hook' })[0]!.json as { leads: { score: number }[] };
    expect(event.leads.map((l) => l.score)).toEqual([90, 70]);
    expect(await deliveriesOf(slack.id)).toHaveLength(1);
    expect(await deliveriesOf(hook.id)).toHaveLength(1);
  });

  it('when a channel asks for a higher score or a lead is under its campaign threshold, then nothing is sent for it', async () => {
    const owner = await newUser();
    await addChannel(owner.userId, channelBody('slack', fake.slackUrl('picky-slack'), { min_score: 85 }));
    await addChannel(owner.userId, channelBody('discord', fake.discordUrl('any-discord')));
    const middling = await seedLead(owner, 75);
    const weak = await seedLead(owner, 40);

    const summary = await wiring.notify.notifyLeads([middling, weak]);

    expect(summary).toMatchObject({ leads: 1, sent: 1, retrying: 0, failed: 0, notified: 1 });
    expect(fake.received({ name: 'picky-slack' })).toHaveLength(0);
    const [d] = fake.received({ name: 'any-discord' });
    expect((d!.json as { embeds: unknown[] }).embeds).toHaveLength(1);
    const rows = await t.database.db.select({ id: leads.id, notifiedAt: leads.notifiedAt }).from(leads).where(inArray(leads.id, [middling, weak]));
    expect(rows.find((r) => r.id === weak)!.notifiedAt).toBeNull();
  });

  it('when Slack answers 5xx, then the job throws to be retried, keeps the delivery pending, and the retry sends once', async () => {
    const owner = await newUser();
    const slack = await addChannel(owner.userId, channelBody('slack', fake.slackUrl('flaky-slack')));
    const discord = await addChannel(owner.userId, channelBody('discord', fake.discordUrl('steady-discord')));
    const leadId = await seedLead(owner, 88);
    fake.script('flaky-slack', [503]);
    const ctx = { jobId: 'j3', attempt: 1, log };

    const first = wiring.job.process({ leadIds: [leadId] }, ctx);
    await expect(first).rejects.toThrow(/retrying/);
    await expect(first).rejects.not.toBeInstanceOf(UnrecoverableError);
    const [pending] = await deliveriesOf(slack.id);
    expect(pending).toMatchObject({ status: 'pending', attempts: 1 });
    expect(pending!.error).toContain('slack answered 503');
    expect(pending!.error).not.toContain(fake.origin);
    const [notYet] = await t.database.db.select({ n: leads.notifiedAt }).from(leads).where(eq(leads.id, leadId));
    expect(notYet!.n).toBeNull();

    await wiring.job.process({ leadIds: [leadId] }, { ...ctx, attempt: 2 });

    expect((await deliveriesOf(slack.id))[0]).toMatchObject({ status: 'sent', attempts: 2, error: null });
    expect(fake.received({ name: 'flaky-slack', accepted: true })).toHaveLength(1);
    expect(fake.received({ name: 'steady-discord' })).toHaveLength(1);
    expect((await deliveriesOf(discord.id))[0]).toMatchObject({ status: 'sent', attempts: 1 });
  });

  it('when deliveries to a channel keep failing, then the channel shows the error and since when, until one goes through', async () => {
    const owner = await newUser();
    const slack = await addChannel(owner.userId, channelBody('slack', fake.slackUrl('sulking-slack')));
    const leadId = await seedLead(owner, 91);
    fake.script('sulking-slack', [503, 502]);
    const healthOf = async () => (await wiring.channels.list(owner.userId)).find((c) => c.id === slack.id)!;
    expect(await healthOf()).toMatchObject({ last_error: null, failing_since: null });

    const started = clock;
    await expect(wiring.job.process({ leadIds: [leadId] }, { jobId: 'h1', attempt: 1, log })).rejects.toThrow(/retrying/);
    expect(await healthOf()).toMatchObject({ failing_since: started.toISOString() });
    expect((await healthOf()).last_error).toContain('slack answered 503');

    clock = new Date(clock.getTime() + 60_000);
    await expect(wiring.job.process({ leadIds: [leadId] }, { jobId: 'h1', attempt: 2, log })).rejects.toThrow(/retrying/);
    // Still failing since the first failure; the error is the latest one.
    expect(await healthOf()).toMatchObject({ failing_since: started.toISOString() });
    expect((await healthOf()).last_error).toContain('slack answered 502');

    await wiring.job.process({ leadIds: [leadId] }, { jobId: 'h1', attempt: 3, log });
    expect(await healthOf()).toMatchObject({ last_error: null, failing_since: null });
  });

  it('when a webhook answers 4xx, then the job fails as unrecoverable and a rerun does not call it again', async () => {
    const owner = await newUser();
    const gone = await addChannel(owner.userId, channelBody('discord', fake.discordUrl('deleted')));
    const leadId = await seedLead(owner, 91);
    const ctx = { jobId: 'j4', attempt: 1, log };

    await expect(wiring.job.process({ leadIds: [leadId] }, ctx)).rejects.toBeInstanceOf(UnrecoverableError);
    const [row] = await deliveriesOf(gone.id);
    expect(row).toMatchObject({ status: 'failed', attempts: 1 });
    expect(row!.error).toContain('Unknown Webhook');

    await wiring.job.process({ leadIds: [leadId] }, ctx);
    expect(fake.received({ name: 'deleted' })).toHaveLength(1);
  });

  it('when the mail server refuses the recipient for good (550), then the email delivery fails without retries', async () => {
    const owner = await newUser();
    const mail = await addChannel(owner.userId, channelBody('email', 'bounce@acme.example'));
    const leadId = await seedLead(owner, 77);

    await expect(wiring.notify.notifyLeads([leadId])).resolves.toMatchObject({ failed: 1, retrying: 0 });
    const [row] = await deliveriesOf(mail.id);
    expect(row).toMatchObject({ status: 'failed', attempts: 1 });
    expect(row!.error).toMatch(/^smtp 550/);
  });

  it('when a webhook URL points at a private address, then the SSRF guard refuses it and the delivery fails for good', async () => {
    const owner = await newUser();
    const [row] = await t.database.db
      .insert(notificationChannels)
      .values({ userId: owner.userId, kind: 'slack', target: 'http://169.254.169.254/latest/meta-data/', mode: 'instant' })
      .returning();
    const leadId = await seedLead(owner, 80);

    await expect(wiring.notify.notifyLeads([leadId])).resolves.toMatchObject({ failed: 1, sent: 0 });
    const [d] = await deliveriesOf(row!.id);
    expect(d).toMatchObject({ status: 'failed' });
    expect(d!.error).toContain('private, local or reserved');
  });

  it('when leads arrive over two hours on a digest channel, then each hour window is one message, sent once', async () => {
    const owner = await newUser();
    clock = new Date('2024-05-02T09:00:00Z');
    const digest = await addChannel(owner.userId, channelBody('slack', fake.slackUrl('digest-slack'), { mode: 'digest', min_score: 70 }));
    const early = [
      await seedLead(owner, 72, { scoredAt: new Date('2024-05-02T09:10:00Z'), title: 'Early one' }),
      await seedLead(owner, 95, { scoredAt: new Date('2024-05-02T09:50:00Z'), title: 'Early two' }),
      await seedLead(owner, 65, { scoredAt: new Date('2024-05-02T09:20:00Z'), title: 'Under the channel bar' }),
    ];
    const late = await seedLead(owner, 81, { scoredAt: new Date('2024-05-02T10:15:00Z'), title: 'Late one' });

    // Instant jobs leave digest channels alone.
    await wiring.notify.notifyLeads([...early, late]);
    expect(fake.received({ name: 'digest-slack' })).toHaveLength(0);

    clock = new Date('2024-05-02T10:05:00Z');
    expect(await wiring.notify.sendDigests(clock)).toMatchObject({ sent: 1 });
    await wiring.notify.sendDigests(new Date('2024-05-02T10:55:00Z'));
    const [first] = fake.received({ name: 'digest-slack' });
    expect(fake.received({ name: 'digest-slack' })).toHaveLength(1);
    const firstText = first!.body;
    expect(firstText).toContain('2 new leads');
    expect(firstText.indexOf('Early two')).toBeLessThan(firstText.indexOf('Early one'));
    expect(firstText).not.toContain('Under the channel bar');
    expect(firstText).not.toContain('Late one');

    clock = new Date('2024-05-02T11:01:00Z');
    await wiring.sendDigests();
    const all = fake.received({ name: 'digest-slack' });
    expect(all).toHaveLength(2);
    expect(all[1]!.body).toContain('Late one');
    expect(all[1]!.body).not.toContain('Early');

    const keys = (await deliveriesOf(digest.id)).map((d) => d.dedupKey).sort();
    expect(keys).toEqual([`digest:${digest.id}:2024-05-02T10:00:00.000Z`, `digest:${digest.id}:2024-05-02T11:00:00.000Z`]);
    const notified = await t.database.db.select({ n: leads.notifiedAt }).from(leads).where(eq(leads.id, late));
    expect(notified[0]!.n).toEqual(clock);
  });

  it('when a digest send fails with 5xx, then the next run retries the same window instead of starting a new one', async () => {
    const owner = await newUser();
    clock = new Date('2024-06-01T08:00:00Z');
    const digest = await addChannel(owner.userId, channelBody('webhook', fake.webhookUrl('digest-hook'), { mode: 'digest' }));
    await seedLead(owner, 66, { scoredAt: new Date('2024-06-01T08:30:00Z') });
    fake.script('digest-hook', [500]);

    expect(await wiring.notify.sendDigests(new Date('2024-06-01T09:02:00Z'))).toMatchObject({ retrying: 1, sent: 0 });
    expect(await wiring.notify.sendDigests(new Date('2024-06-01T09:07:00Z'))).toMatchObject({ sent: 1 });

    const rows = await deliveriesOf(digest.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ status: 'sent', attempts: 2, dedupKey: `digest:${digest.id}:2024-06-01T09:00:00.000Z` });
    const accepted = fake.received({ name: 'digest-hook', accepted: true });
    expect(accepted).toHaveLength(1);
    expect(accepted[0]!.signatureValid).toBe(true);
    expect((accepted[0]!.json as { mode: string }).mode).toBe('digest');
  });

  it('when a webhook channel is stored, then the database holds only ciphertext of its secret', async () => {
    const owner = await newUser();
    const created = await addChannel(owner.userId, channelBody('webhook', fake.webhookUrl('at-rest')));
    const rows = await queryRows<Record<string, unknown>>(
      t.database.db,
      sql`select * from notification_channels where id = ${created.id}`,
    );
    const stored = JSON.stringify(rows[0]);
    expect(created.secret).toMatch(/^whsec_/);
    expect(stored).not.toContain(created.secret!);
    expect(stored).not.toContain(created.secret!.slice(6, 20));
    expect(wiring.secretBox.open(rows[0]!.secret_enc as string)).toBe(created.secret);
  });
});

describe('notify job on BullMQ (real Redis)', () => {
  let t: TestDatabase;
  let fake: FakeChatWebhooks;
  const prefix = uniqueRedisPrefix('notify');

  beforeAll(async () => {
    t = await createTestDatabase();
    fake = await startFakeChatWebhooks();
  });
  afterAll(async () => {
    const redis = createTestRedis();
    await clearRedisPrefix(redis, prefix);
    redis.disconnect();
    await fake?.close();
    await t?.drop();
  });

  async function until(check: () => Promise<boolean>, what: string): Promise<void> {
    for (let i = 0; i < 400; i++) {
      if (await check()) return;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error(`gave up waiting for ${what}`);
  }

  it('when Slack fails twice then recovers and Discord is gone, then the queue retries Slack to one delivery and fails the Discord job without retries', async () => {
    const { db } = t.database;
    const env = loadEnv({ DATABASE_URL: t.url, PUBLIC_URL, ENCRYPTION_KEY: randomBytes(32).toString('hex'), REDIS_URL: TEST_REDIS_URL });
    const wiring = createNotifyFromEnv({ env, db, log, urlPolicy: { allowAddresses: ['127.0.0.1'] } });
    const [u] = await db.insert(users).values({ email: 'queue@example.com' }).returning();
    const [u2] = await db.insert(users).values({ email: 'queue2@example.com' }).returning();
    const leadIds: string[] = [];
    for (const [i, owner] of [u!, u2!].entries()) {
      const [c] = await db.insert(campaigns).values({ userId: owner.id, name: 'c', threshold: 50 }).returning();
      await db.insert(redditItems).values({
        fullname: `t3_q${i}`,
        kind: 'post',
        subreddit: 'saas',
        author: 'a',
        title: `Queue lead ${i}`,
        permalink: `/r/saas/comments/q${i}/x/`,
        createdUtc: new Date(),
      });
      const [l] = await db
        .insert(leads)
        .values({ userId: owner.id, campaignId: c!.id, itemId: `t3_q${i}`, scoring: 'scored', score: 90, scoredAt: new Date() })
        .returning();
      leadIds.push(l!.id);
    }
    const slack = await wiring.channels.create(u!.id, { kind: 'slack', target: fake.slackUrl('queue-slack'), mode: 'instant', min_score: null, enabled: true });
    const discord = await wiring.channels.create(u2!.id, { kind: 'discord', target: fake.discordUrl('deleted'), mode: 'instant', min_score: null, enabled: true });
    fake.script('queue-slack', [500, 502]);

    const queue = createBullmqQueueSystem({
      redisUrl: TEST_REDIS_URL,
      prefix,
      log,
      concurrency: { ingest: 1, match: 1, score: 1, notify: 2, reply: 1, scrape: 1, maintenance: 1 },
      policy: { attempts: 5, backoffBaseMs: 20 },
    });
    try {
      await queue.startWorkers([wiring.job], ['notify']);
      await queue.enqueue('notify', { leadIds: [leadIds[0]] }, { jobId: 'notify-slack' });
      await queue.enqueue('notify', { leadIds: [leadIds[1]] }, { jobId: 'notify-discord' });

      const statusOf = async (channelId: string) => (await db.select().from(deliveries).where(eq(deliveries.channelId, channelId)))[0];
      await until(async () => (await statusOf(slack.id))?.status === 'sent', 'the slack delivery');
      await until(async () => (await queue.counts()).notify.failed === 1, 'the discord job to fail');

      expect(await statusOf(slack.id)).toMatchObject({ status: 'sent', attempts: 3 });
      expect(fake.received({ name: 'queue-slack' }).map((r) => r.status)).toEqual([500, 502, 200]);
      expect(await statusOf(discord.id)).toMatchObject({ status: 'failed', attempts: 1 });
      expect(fake.received({ name: 'deleted' })).toHaveLength(1);
    } finally {
      await queue.close(2_000);
    }
  });
});
