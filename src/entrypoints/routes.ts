import cookie from '@fastify/cookie';
import type { Queue } from 'bullmq';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { apiKeyRoutes } from '../modules/api-keys/api-keys.routes.js';
import { createApiKeyService } from '../modules/api-keys/api-keys.service.js';
import { adminCheck, installAuthHook } from '../modules/auth/auth.hook.js';
import { authRoutes } from '../modules/auth/auth.routes.js';
import { createAuthService } from '../modules/auth/auth.service.js';
import { createClerkVerifier } from '../modules/auth/clerk.js';
import { type RevocationBus, type RevokedRef, startRevocationBus } from '../modules/auth/revocation-bus.js';
import { campaignRoutes } from '../modules/campaigns/campaigns.routes.js';
import { type CampaignServiceDeps, createCampaignService } from '../modules/campaigns/campaigns.service.js';
import { leadRoutes } from '../modules/leads/leads.routes.js';
import { createLeadService } from '../modules/leads/leads.service.js';
import type { LeadDraftWriter } from '../modules/leads/leads.types.js';
import { previewRules } from '../modules/matching/preview.service.js';
import { validateKeywords, validateRules } from '../modules/matching/rule-parser.js';
import { createDraftWriter } from '../modules/replies/drafts.js';
import { addUsage } from '../modules/scoring/scoring.repo.js';
import { userRoutes } from '../modules/users/users.routes.js';
import { createUserService } from '../modules/users/users.service.js';
import { registerQueueDashboard } from '../platform/http/bull-board.js';
import { registerOpenApi } from '../platform/http/openapi.js';
import { rateLimitHook } from '../platform/ratelimit/rate-limit.hook.js';
import { createRateLimiter } from '../platform/ratelimit/rate-limiter.js';
import type { Env } from '../config/env.js';
import type { Db } from '../platform/db/client.js';
import type { Infrastructure } from './infrastructure.js';

/**
 * /api/v1 routes (JSON fields snake_case; every error is problem+json with a stable `code`):
 *
 *   POST   /auth/login                 public; local mode sign-in, sets the session cookie
 *   POST   /auth/logout                public; clears the session
 *   GET    /auth/session               public; who is signed in (localhost auto-login of the owner)
 *   GET    /me                         profile, plan limits, usage
 *   PATCH  /admin/users/{id}/plan      admin; per-user plan overrides
 *   POST   /api-keys                   create (key shown once)
 *   GET    /api-keys                   list
 *   DELETE /api-keys/{id}              revoke
 *   POST   /campaigns                  create
 *   GET    /campaigns                  list (?include_deleted=true for restorable ones)
 *   POST   /campaigns/preview          expensive; run rules over recent items
 *   GET    /campaigns/{id}             get
 *   PATCH  /campaigns/{id}             update
 *   POST   /campaigns/{id}/pause       pause
 *   POST   /campaigns/{id}/resume      resume
 *   DELETE /campaigns/{id}             soft delete (restorable 30 days)
 *   POST   /campaigns/{id}/restore     restore
 *   GET    /campaigns/{id}/stats       leads per day, score histogram, intents, top subreddits
 *   GET    /leads                      inbox: filters, sort, keyset cursor
 *   GET    /leads/export.csv           expensive; streamed CSV for any filter
 *   POST   /leads/bulk-status          status of many leads
 *   GET    /leads/{id}                 one lead with item, score, reasons, drafts
 *   PATCH  /leads/{id}                 status
 *   POST   /leads/{id}/feedback        good / bad lead
 *   POST   /leads/{id}/draft           expensive; AI reply draft
 *   GET    /openapi.json, /docs        public; the OpenAPI 3.1 document and its docs page
 */

/** What the composition root may plug in beyond the infrastructure. */
export interface ApiExtras {
  /** Bumps the matcher version and syncs ingest streams after a campaign change. */
  onCampaignsChanged?: () => Promise<void>;
  /** Defaults to the replies module's writer for AI_PROVIDER. */
  draftWriter?: LeadDraftWriter;
  /** Defaults to the matching module's preview over recent stored items. */
  previewRules?: CampaignServiceDeps['previewRules'];
  /** BullMQ queues for the admin queue dashboard at /admin/queues (distributed mode only). */
  adminQueues?: readonly Queue[];
  /**
   * More feature routes (replies, accounts, notification channels, scrapes), mounted in the
   * signed-in scope: they get the auth gate, rate limits and the OpenAPI document.
   */
  mount?: (scope: FastifyInstance) => Promise<void>;
  now?: () => Date;
}

/** The matching module's preview, in this API's wire format. */
function defaultPreview(db: Db): NonNullable<CampaignServiceDeps['previewRules']> {
  return async (_userId, input) => {
    const result = await previewRules(
      { db },
      {
        rules: input.rules,
        negativeKeywords: input.negative_keywords,
        subreddits: input.subreddits,
        subredditDeny: input.subreddit_deny,
        authorDeny: input.author_deny,
        minScore: input.min_score,
        includeNsfw: input.include_nsfw,
      },
      { maxMatches: input.limit },
    );
    return {
      scanned: result.scanned,
      matches: result.matches.map(({ item, matchedTerms }) => ({
        fullname: item.fullname,
        kind: item.kind,
        subreddit: item.subreddit,
        author: item.author,
        title: item.title,
        excerpt: item.body.slice(0, 300),
        permalink: item.permalink,
        created_utc: item.createdUtc.toISOString(),
        matched_terms: matchedTerms,
      })),
    };
  };
}

/**
 * The replies module's writer behind the lead service's port. Tokens a model spends on a
 * draft go to the same ai_usage ledger as scoring, so drafts count toward the plan limit.
 */
function defaultDraftWriter(env: Env, db: Db, now: () => Date): LeadDraftWriter {
  const writer = createDraftWriter(
    env.AI_PROVIDER === 'openai'
      ? { provider: 'openai', baseUrl: env.AI_BASE_URL, apiKey: env.AI_API_KEY, model: env.AI_MODEL, timeoutMs: env.AI_TIMEOUT_MS }
      : { provider: 'local' },
  );
  return {
    async draft(req) {
      const d = await writer.draft({
        item: { kind: req.item.kind, subreddit: req.item.subreddit, title: req.item.title, body: req.item.body },
        campaign: {
          id: req.campaignId,
          productName: req.product.name,
          productDescription: req.product.description,
          productUrl: req.product.url,
        },
        disclosure: env.REPLY_DISCLOSURE,
      });
      if (d.usage) {
        const { inputTokens, outputTokens } = d.usage;
        await addUsage(db, [
          {
            userId: req.userId,
            campaignId: req.campaignId,
            day: now().toISOString().slice(0, 10),
            model: env.AI_MODEL,
            requests: 1,
            inputTokens,
            outputTokens,
            costUsd: (inputTokens * env.AI_COST_PER_1M_INPUT + outputTokens * env.AI_COST_PER_1M_OUTPUT) / 1_000_000,
          },
        ]);
      }
      return { text: d.text, draftedBy: d.draftedBy };
    },
  };
}

export const API_PREFIX = '/api/v1';
/**
 * How long an API instance trusts a resolved key. Revocations are announced to every
 * instance at once (revocation-bus.ts); this bounds one whose announcement was lost.
 */
const AUTH_CACHE_TTL_MS = 10_000;

function createAuth(infra: Infrastructure, now: () => Date, cacheTtlMs: number, onRevoked?: (ref: RevokedRef) => void) {
  const { env, log } = infra;
  return createAuthService({
    db: infra.database.db,
    mode: env.AUTH_MODE,
    clerk:
      env.AUTH_MODE === 'clerk' && env.CLERK_JWT_KEY
        ? createClerkVerifier({ jwtKey: env.CLERK_JWT_KEY, authorizedParties: env.CLERK_AUTHORIZED_PARTIES })
        : undefined,
    now,
    onError: (err) => log.warn({ err }, 'could not record key use'),
    cacheTtlMs,
    onRevoked,
  });
}

/**
 * For `registerQueueDashboard(app, { isAdmin })`: true when the request is signed in (API
 * key, session cookie or Clerk token) as an owner or admin. Works outside /api/v1.
 */
export function adminRequestCheck(infra: Infrastructure): (request: FastifyRequest) => Promise<boolean> {
  // No cache here: admin pages are rare, and a revoked key must not linger in a second cache.
  return adminCheck(createAuth(infra, () => new Date(), 0));
}

/** Mounts every feature's routes under /api/v1. */
export async function registerRoutes(app: FastifyInstance, infra: Infrastructure, extras: ApiExtras = {}): Promise<void> {
  const { env, log } = infra;
  const { db, readDb } = infra.database;
  const now = extras.now ?? (() => new Date());

  const users = createUserService({ db, plan: env, now });
  // With Redis, a revocation on any instance empties every instance's auth cache of that key.
  let bus: RevocationBus | undefined;
  const auth = createAuth(infra, now, AUTH_CACHE_TTL_MS, (ref) => bus?.publish(ref));
  if (infra.redis && env.REDIS_URL) {
    bus = startRevocationBus({
      redisUrl: env.REDIS_URL,
      publisher: infra.redis,
      channel: `${env.REDIS_PREFIX}auth:revoked`,
      log,
      onRevoked: (ref) => auth.forget(ref),
    });
    const started = bus;
    app.addHook('onClose', () => started.close());
  }
  const apiKeys = createApiKeyService({
    db,
    now,
    onRevoked: (keyId) => {
      auth.forget({ keyId });
      bus?.publish({ keyId });
    },
  });
  const campaigns = createCampaignService({
    db,
    planOf: (userId) => users.planOf(userId),
    validateRules,
    validateKeywords,
    previewRules: extras.previewRules ?? defaultPreview(readDb),
    onCampaignsChanged: extras.onCampaignsChanged ?? (async () => {}),
    now,
  });
  const leads = createLeadService({
    db,
    readDb,
    draftWriter: extras.draftWriter ?? defaultDraftWriter(env, db, now),
    assertAiTokensLeft: (userId) => users.assertAiTokensLeft(userId),
    assertCampaignVisible: async (userId, campaignId) => {
      await campaigns.get(userId, campaignId);
    },
    now,
  });

  const limiter = createRateLimiter({
    redis: infra.redis,
    prefix: env.REDIS_PREFIX,
    log,
    tiers: {
      ip: { points: env.RATE_LIMIT_IP_PER_MINUTE, durationSeconds: 60 },
      caller: { points: env.RATE_LIMIT_PER_MINUTE, durationSeconds: 60 },
      expensive: { points: env.RATE_LIMIT_EXPENSIVE_PER_MINUTE, durationSeconds: 60 },
    },
  });

  await app.register(
    async (v1) => {
      await v1.register(cookie);
      v1.addHook('onRequest', rateLimitHook(limiter, { tier: 'ip', keyOf: (r) => r.ip }));
      await registerOpenApi(v1, { prefix: API_PREFIX, title: 'Subscout API', version: '1' });
      v1.get('/', { schema: { hide: true } }, async () => ({ name: 'subscout', apiVersion: 'v1' }));

      await v1.register(async (signedIn) => {
        installAuthHook(signedIn, auth);
        signedIn.addHook(
          'onRequest',
          rateLimitHook(limiter, {
            tier: 'caller',
            expensiveTier: 'expensive',
            keyOf: (r) => (r.caller ? (r.caller.keyId && r.caller.via === 'api_key' ? `key:${r.caller.keyId}` : `user:${r.caller.userId}`) : undefined),
          }),
        );
        await authRoutes(signedIn, { auth, users, mode: env.AUTH_MODE, autoLoginLocalhost: env.AUTO_LOGIN_LOCALHOST });
        await userRoutes(signedIn, { users });
        await apiKeyRoutes(signedIn, { apiKeys });
        await campaignRoutes(signedIn, { campaigns });
        await leadRoutes(signedIn, { leads });
        await extras.mount?.(signedIn);
      });
    },
    { prefix: API_PREFIX },
  );
  if (extras.adminQueues) {
    await registerQueueDashboard(app, { queues: extras.adminQueues, isAdmin: adminCheck(auth) });
  }
}
