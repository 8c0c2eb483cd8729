import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Env, loadEnv } from '../src/config/env.js';
import { createApiKeyService } from '../src/modules/api-keys/api-keys.service.js';
import { createNotifyFromEnv } from '../src/modules/notify/notify-from-env.js';
import { notifyRoutes } from '../src/modules/notify/notify.routes.js';
import { notificationChannels, users } from '../src/platform/db/schema.js';
import { createLogger } from '../src/platform/logger.js';
import { type FakeChatWebhooks, startFakeChatWebhooks } from './helpers/fake-chat-webhooks.js';
import { createTestDatabase, TEST_REDIS_URL, type TestDatabase } from './helpers/services.js';
import { createSignedInApp } from './helpers/signed-in-app.js';

const log = createLogger({ level: 'silent', pretty: false });

async function buildApp(t: TestDatabase, env: Env): Promise<{ app: FastifyInstance; wiring: ReturnType<typeof createNotifyFromEnv> }> {
  const { db } = t.database;
  const wiring = createNotifyFromEnv({ env, db, log, urlPolicy: { allowAddresses: ['127.0.0.1'] } });
  const app = await createSignedInApp(db, log, (signedIn) => notifyRoutes(signedIn, { channels: wiring.channels }));
  return { app, wiring };
}

describe('notification channel routes', () => {
  let t: TestDatabase;
  let fake: FakeChatWebhooks;
  let app: FastifyInstance;
  let distributedNoKey: FastifyInstance;
  let wiring: ReturnType<typeof createNotifyFromEnv>;
  let alice: (o: InjectOptions) => Promise<LightMyRequestResponse>;
  let bob: (o: InjectOptions) => Promise<LightMyRequestResponse>;
  let aliceKey: string;

  async function userWithKey(email: string): Promise<string> {
    const [u] = await t.database.db.insert(users).values({ email }).returning();
    return (await createApiKeyService({ db: t.database.db, now: () => new Date() }).create(u!.id, 'k')).key;
  }

  beforeAll(async () => {
    t = await createTestDatabase();
    fake = await startFakeChatWebhooks();
    const base = { DATABASE_URL: t.url, PUBLIC_URL: 'https://subscout.example', LOG_LEVEL: 'silent' };
    ({ app, wiring } = await buildApp(t, loadEnv({ ...base, REDIS_URL: TEST_REDIS_URL, ENCRYPTION_KEY: randomBytes(32).toString('hex') })));
    ({ app: distributedNoKey } = await buildApp(t, loadEnv({ ...base, REDIS_URL: TEST_REDIS_URL })));
    aliceKey = await userWithKey('alice@example.com');
    const bobKey = await userWithKey('bob@example.com');
    const as = (target: FastifyInstance, key: string) => (o: InjectOptions) =>
      target.inject({ ...o, headers: { ...(o.headers ?? {}), authorization: `Bearer ${key}` } });
    alice = as(app, aliceKey);
    bob = as(app, bobKey);
  });
  afterAll(async () => {
    await app?.close();
    await distributedNoKey?.close();
    await fake?.close();
    await t?.drop();
  });

  it('when a webhook channel is created, then its secret is answered once, stored encrypted, and never listed', async () => {
    const res = await alice({ method: 'POST', url: '/api/v1/notification-channels', payload: { kind: 'webhook', target: fake.webhookUrl('routes-hook') } });
    expect(res.statusCode).toBe(201);
    const created = res.json<{ id: string; secret: string; has_secret: boolean; mode: string; target: string }>();
    expect(created).toMatchObject({ has_secret: true, mode: 'instant' });
    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(created.target).not.toContain('routes-hook');

    const [row] = await t.database.db.select().from(notificationChannels).where(eq(notificationChannels.id, created.id));
    expect(row!.secretEnc).not.toContain(created.secret);
    expect(wiring.secretBox.open(row!.secretEnc!)).toBe(created.secret);

    const list = await alice({ method: 'GET', url: '/api/v1/notification-channels' });
    expect(list.statusCode).toBe(200);
    expect(list.body).not.toContain(created.secret);
    expect(list.json<{ items: { id: string }[] }>().items.map((c) => c.id)).toContain(created.id);
  });

  it("when another user's channel is read, changed, tested or deleted, then the answer is 404 as for a missing one", async () => {
    const res = await alice({ method: 'POST', url: '/api/v1/notification-channels', payload: { kind: 'slack', target: fake.slackUrl('alice-only') } });
    const id = res.json<{ id: string }>().id;

    const attempts = [
      bob({ method: 'PATCH', url: `/api/v1/notification-channels/${id}`, payload: { enabled: false } }),
      bob({ method: 'POST', url: `/api/v1/notification-channels/${id}/test` }),
      bob({ method: 'DELETE', url: `/api/v1/notification-channels/${id}` }),
    ];
    for (const r of await Promise.all(attempts)) {
      expect(r.statusCode).toBe(404);
      expect(r.json()).toMatchObject({ code: 'notification_channel_not_found' });
    }
    const bobs = await bob({ method: 'GET', url: '/api/v1/notification-channels' });
    expect(bobs.json<{ items: unknown[] }>().items).toEqual([]);
    expect(fake.received({ name: 'alice-only' })).toHaveLength(0);
    const [row] = await t.database.db.select().from(notificationChannels).where(eq(notificationChannels.id, id));
    expect(row!.enabled).toBe(true);
  });

  it('when a channel URL is private, not http(s), or an email is malformed, then creation is refused with invalid_target', async () => {
    for (const payload of [
      { kind: 'slack', target: 'http://169.254.169.254/latest/meta-data/' },
      { kind: 'discord', target: 'http://10.0.0.7/api/webhooks/1/x' },
      { kind: 'webhook', target: 'file:///etc/passwd' },
      { kind: 'webhook', target: 'not a url' },
    ]) {
      const res = await alice({ method: 'POST', url: '/api/v1/notification-channels', payload });
      expect(res.statusCode, payload.target).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.json()).toMatchObject({ code: 'invalid_target' });
    }
  });

  it('when SMTP is not configured, then an email channel is refused with 503 email_not_configured', async () => {
    const res = await alice({ method: 'POST', url: '/api/v1/notification-channels', payload: { kind: 'email', target: 'me@example.com' } });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toMatchObject({ code: 'email_not_configured' });
  });

  it('when Redis is configured without ENCRYPTION_KEY, then webhook channels are refused with 503 and chat channels still work', async () => {
    const call = (payload: object) =>
      distributedNoKey.inject({ method: 'POST', url: '/api/v1/notification-channels', payload, headers: { authorization: `Bearer ${aliceKey}` } });
    const hook = await call({ kind: 'webhook', target: fake.webhookUrl('no-key') });
    expect(hook.statusCode).toBe(503);
    expect(hook.json()).toMatchObject({ code: 'encryption_key_missing' });
    const slack = await call({ kind: 'slack', target: fake.slackUrl('no-key-slack') });
    expect(slack.statusCode).toBe(201);
  });

  it('when a channel is tested, then the receiver gets a sample alert; a revoked Slack hook reports a permanent failure', async () => {
    const good = await alice({ method: 'POST', url: '/api/v1/notification-channels', payload: { kind: 'discord', target: fake.discordUrl('tested'), mode: 'digest' } });
    const ok = await alice({ method: 'POST', url: `/api/v1/notification-channels/${good.json<{ id: string }>().id}/test` });
    expect(ok.json()).toEqual({ delivered: true, error: null, permanent: false });
    const [sample] = fake.received({ name: 'tested', accepted: true });
    expect((sample!.json as { content: string }).content).toContain('test alert');

    const bad = await alice({ method: 'POST', url: '/api/v1/notification-channels', payload: { kind: 'slack', target: fake.slackUrl('revoked') } });
    const failed = await alice({ method: 'POST', url: `/api/v1/notification-channels/${bad.json<{ id: string }>().id}/test` });
    expect(failed.statusCode).toBe(200);
    expect(failed.json()).toEqual({ delivered: false, error: 'slack answered 403: invalid_token', permanent: true });
  });

  it('when a webhook secret is rotated and the channel changed, then the new secret is answered once and signs the next test', async () => {
    const created = await alice({ method: 'POST', url: '/api/v1/notification-channels', payload: { kind: 'webhook', target: fake.webhookUrl('rotating') } });
    const { id, secret: first } = created.json<{ id: string; secret: string }>();
    const rotated = await alice({
      method: 'PATCH',
      url: `/api/v1/notification-channels/${id}`,
      payload: { rotate_secret: true, min_score: 75, mode: 'digest' },
    });
    expect(rotated.statusCode).toBe(200);
    const body = rotated.json<{ secret: string; min_score: number; mode: string }>();
    expect(body).toMatchObject({ min_score: 75, mode: 'digest' });
    expect(body.secret).not.toBe(first);

    fake.setWebhookSecret('rotating', first);
    await alice({ method: 'POST', url: `/api/v1/notification-channels/${id}/test` });
    fake.setWebhookSecret('rotating', body.secret);
    await alice({ method: 'POST', url: `/api/v1/notification-channels/${id}/test` });
    expect(fake.received({ name: 'rotating' }).map((r) => r.signatureValid)).toEqual([false, true]);

    const empty = await alice({ method: 'PATCH', url: `/api/v1/notification-channels/${id}`, payload: {} });
    expect(empty.statusCode).toBe(400);
  });

  it('when a channel is deleted, then it is gone from the list and a second delete is 404', async () => {
    const created = await alice({ method: 'POST', url: '/api/v1/notification-channels', payload: { kind: 'slack', target: fake.slackUrl('short-lived') } });
    const id = created.json<{ id: string }>().id;
    expect((await alice({ method: 'DELETE', url: `/api/v1/notification-channels/${id}` })).statusCode).toBe(204);
    expect((await alice({ method: 'DELETE', url: `/api/v1/notification-channels/${id}` })).statusCode).toBe(404);
    const list = await alice({ method: 'GET', url: '/api/v1/notification-channels' });
    expect(list.json<{ items: { id: string }[] }>().items.map((c) => c.id)).not.toContain(id);
  });

  it('when the caller is not signed in, then every channel route answers 401', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/v1/notification-channels' });
    expect(res.statusCode).toBe(401);
  });
});
