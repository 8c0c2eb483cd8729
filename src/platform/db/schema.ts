import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  date,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';

/**
 * The whole data model. The same SQL migrations (generated from this file by drizzle-kit)
 * run on PostgreSQL and on PGlite. Indexes follow the queries that use them.
 */

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();
const updatedAt = () => timestamp('updated_at', { withTimezone: true }).notNull().defaultNow();

export const users = pgTable('users', {
  id: uuid('id').primaryKey().defaultRandom(),
  email: text('email').notNull().unique(),
  name: text('name'),
  role: text('role', { enum: ['owner', 'admin', 'member'] }).notNull().default('member'),
  /** scrypt hash for local-mode sign-in; null for users who only use API keys or Clerk. */
  passwordHash: text('password_hash'),
  /** Clerk's user id in clerk auth mode. */
  externalId: text('external_id').unique(),
  /** Per-user plan overrides; null fields fall back to the PLAN_* settings. */
  maxCampaigns: integer('max_campaigns'),
  maxRulesPerCampaign: integer('max_rules_per_campaign'),
  aiTokensPerMonth: integer('ai_tokens_per_month'),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

export const apiKeys = pgTable(
  'api_keys',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    /** `api` keys are made by the user; `session` keys back a signed-in dashboard (cookie) and expire. */
    kind: text('kind', { enum: ['api', 'session'] })
      .notNull()
      .default('api'),
    expiresAt: timestamp('expires_at', { withTimezone: true }),
    /** First characters of the key, shown in lists so a user can tell keys apart. */
    prefix: text('prefix').notNull(),
    /** SHA-256 of the whole key; the key itself is shown once and never stored. */
    keyHash: text('key_hash').notNull().unique(),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [index('api_keys_user_idx').on(t.userId)],
);

export const campaigns = pgTable(
  'campaigns',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    productName: text('product_name').notNull().default(''),
    productDescription: text('product_description').notNull().default(''),
    productUrl: text('product_url'),
    /** Who is a good lead, in the user's words; given to the scorer. */
    leadContext: text('lead_context').notNull().default(''),
    /** Keyword rules in the rule language of docs/rules.md; a campaign matches when any rule does. */
    rules: jsonb('rules').$type<string[]>().notNull().default([]),
    negativeKeywords: jsonb('negative_keywords').$type<string[]>().notNull().default([]),
    /** Subreddits to watch (lower case, no r/). Empty with watchAll=false watches nothing. */
    subreddits: jsonb('subreddits').$type<string[]>().notNull().default([]),
    /** Watch all of Reddit (r/all streams). */
    watchAll: boolean('watch_all').notNull().default(false),
    subredditDeny: jsonb('subreddit_deny').$type<string[]>().notNull().default([]),
    authorDeny: jsonb('author_deny').$type<string[]>().notNull().default(['automoderator']),
    minScore: integer('min_score'),
    includeNsfw: boolean('include_nsfw').notNull().default(false),
    /** Leads scoring at or above this (0-100) trigger alerts. */
    threshold: smallint('threshold').notNull().default(60),
    status: text('status', { enum: ['active', 'paused'] }).notNull().default('active'),
    /** Bumped on every change; part of the scoring cache key. */
    version: integer('version').notNull().default(1),
    deletedAt: timestamp('deleted_at', { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('campaigns_user_idx').on(t.userId, t.createdAt),
    index('campaigns_active_idx')
      .on(t.status)
      .where(sql`${t.deletedAt} is null`),
  ],
);

export const redditItems = pgTable(
  'reddit_items',
  {
    /** Reddit fullname: t3_ for posts, t1_ for comments. */
    fullname: text('fullname').primaryKey(),
    kind: text('kind', { enum: ['post', 'comment'] }).notNull(),
    subreddit: text('subreddit').notNull(),
    author: text('author').notNull(),
    /** A post's title, or for a comment the title of its thread when Reddit sends it. */
    title: text('title').notNull().default(''),
    body: text('body').notNull().default(''),
    permalink: text('permalink').notNull(),
    url: text('url'),
    /** A comment's post (t3_...); null for posts. */
    linkId: text('link_id'),
    score: integer('score').notNull().default(0),
    over18: boolean('over_18').notNull().default(false),
    /** Demo items ship with the project and are labelled as such in the UI. */
    source: text('source', { enum: ['reddit', 'demo', 'import'] }).notNull().default('reddit'),
    createdUtc: timestamp('created_utc', { withTimezone: true }).notNull(),
    ingestedAt: timestamp('ingested_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('reddit_items_ingested_idx').on(t.ingestedAt),
    index('reddit_items_subreddit_idx').on(t.subreddit, t.createdUtc),
  ],
);

export const LEAD_STATUSES = ['new', 'contacted', 'dismissed', 'converted'] as const;
export const SCORING_STATES = ['pending', 'scored', 'unscored'] as const;
export const INTENTS = [
  'recommendation_request',
  'alternative_search',
  'pain_point',
  'competitor_complaint',
  'comparison',
  'question',
  'other',
] as const;

export const leads = pgTable(
  'leads',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** Denormalised owner so every inbox query is scoped without a join. */
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    campaignId: uuid('campaign_id')
      .notNull()
      .references(() => campaigns.id, { onDelete: 'cascade' }),
    itemId: text('item_id')
      .notNull()
      .references(() => redditItems.fullname),
    /** The user's triage state. */
    status: text('status', { enum: LEAD_STATUSES }).notNull().default('new'),
    /** Where scoring stands: pending (queued), scored (final), unscored (local score kept; rescore later). */
    scoring: text('scoring', { enum: SCORING_STATES }).notNull().default('pending'),
    score: smallint('score'),
    intent: text('intent', { enum: INTENTS }),
    reasons: jsonb('reasons').$type<string[]>().notNull().default([]),
    matchedTerms: jsonb('matched_terms').$type<string[]>().notNull().default([]),
    /** Provider and model, e.g. "local" or "openai:gpt-4o-mini". */
    scoredBy: text('scored_by'),
    scoredAt: timestamp('scored_at', { withTimezone: true }),
    notifiedAt: timestamp('notified_at', { withTimezone: true }),
    statusChangedAt: timestamp('status_changed_at', { withTimezone: true }),
    feedback: text('feedback', { enum: ['good', 'bad'] }),
    feedbackAt: timestamp('feedback_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('leads_campaign_item_uq').on(t.campaignId, t.itemId),
    // Keyset inbox per campaign and across a user's campaigns.
    index('leads_inbox_campaign_idx').on(t.campaignId, t.status, t.createdAt.desc(), t.id.desc()),
    index('leads_inbox_user_idx').on(t.userId, t.status, t.createdAt.desc(), t.id.desc()),
    index('leads_user_score_idx').on(t.userId, t.score.desc(), t.id.desc()),
    index('leads_item_idx').on(t.itemId),
    index('leads_scoring_idx')
      .on(t.scoring, t.createdAt)
      .where(sql`${t.scoring} <> 'scored'`),
  ],
);

export const streamCursors = pgTable('stream_cursors', {
  /** e.g. "comments:r/a+b+c" or "posts:r/all". */
  streamKey: text('stream_key').primaryKey(),
  kind: text('kind', { enum: ['posts', 'comments'] }).notNull(),
  subreddits: jsonb('subreddits').$type<string[]>().notNull().default([]),
  /** Newest fullname stored, the before= anchor. */
  newestFullname: text('newest_fullname'),
  newestCreatedUtc: timestamp('newest_created_utc', { withTimezone: true }),
  /** Fullnames seen in the overlap window, to drop re-reads without touching the database. */
  recentFullnames: jsonb('recent_fullnames').$type<string[]>().notNull().default([]),
  pollIntervalMs: integer('poll_interval_ms').notNull().default(30_000),
  itemsPerMinute: doublePrecision('items_per_minute').notNull().default(0),
  lastPolledAt: timestamp('last_polled_at', { withTimezone: true }),
  lastError: text('last_error'),
  active: boolean('active').notNull().default(true),
  updatedAt: updatedAt(),
});

export const redditAccounts = pgTable(
  'reddit_accounts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    username: text('username').notNull(),
    /** AES-256-GCM ciphertext (iv:tag:data, base64) of the refresh token. */
    refreshTokenEnc: text('refresh_token_enc').notNull(),
    scope: text('scope').notNull().default(''),
    accountCreatedUtc: timestamp('account_created_utc', { withTimezone: true }),
    karma: integer('karma'),
    /** Reddit's RATELIMIT answer parks the account until then. */
    pausedUntil: timestamp('paused_until', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('reddit_accounts_user_name_uq').on(t.userId, t.username)],
);

export const replies = pgTable(
  'replies',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    leadId: uuid('lead_id')
      .notNull()
      .references(() => leads.id, { onDelete: 'cascade' }),
    accountId: uuid('account_id').references(() => redditAccounts.id, { onDelete: 'set null' }),
    draft: text('draft').notNull(),
    draftedBy: text('drafted_by').notNull(),
    text: text('text'),
    status: text('status', { enum: ['draft', 'queued', 'posted', 'failed'] })
      .notNull()
      .default('draft'),
    redditFullname: text('reddit_fullname'),
    error: text('error'),
    postedAt: timestamp('posted_at', { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('replies_lead_idx').on(t.leadId),
    // At most one live reply per lead, whatever the code above does: Reddit gets one answer.
    uniqueIndex('replies_one_live_per_lead').on(t.leadId).where(sql`${t.status} in ('queued', 'posted')`),
  ],
);

export const notificationChannels = pgTable(
  'notification_channels',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: ['email', 'slack', 'discord', 'webhook'] }).notNull(),
    /** Email address or webhook URL. */
    target: text('target').notNull(),
    /** Encrypted HMAC secret for signed webhooks. */
    secretEnc: text('secret_enc'),
    mode: text('mode', { enum: ['instant', 'digest'] })
      .notNull()
      .default('instant'),
    minScore: smallint('min_score'),
    enabled: boolean('enabled').notNull().default(true),
    /** The last delivery's error while the channel keeps failing; cleared by the next success. */
    lastError: text('last_error'),
    /** When the current run of failed deliveries began (null: the last delivery worked). */
    failingSince: timestamp('failing_since', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [index('notification_channels_user_idx').on(t.userId)],
);

export const deliveries = pgTable(
  'deliveries',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    channelId: uuid('channel_id')
      .notNull()
      .references(() => notificationChannels.id, { onDelete: 'cascade' }),
    /** Deterministic key (channel + lead or digest window) so a retried job sends once. */
    dedupKey: text('dedup_key').notNull().unique(),
    leadIds: jsonb('lead_ids').$type<string[]>().notNull().default([]),
    status: text('status', { enum: ['pending', 'sent', 'failed'] })
      .notNull()
      .default('pending'),
    attempts: integer('attempts').notNull().default(0),
    error: text('error'),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    /** A sender's lease: while it is in the future, no other run sends this delivery. */
    lockedUntil: timestamp('locked_until', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [index('deliveries_channel_idx').on(t.channelId, t.createdAt)],
);

export const aiUsage = pgTable(
  'ai_usage',
  {
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    campaignId: uuid('campaign_id')
      .notNull()
      .references(() => campaigns.id, { onDelete: 'cascade' }),
    day: date('day').notNull(),
    model: text('model').notNull(),
    requests: integer('requests').notNull().default(0),
    inputTokens: bigint('input_tokens', { mode: 'number' }).notNull().default(0),
    outputTokens: bigint('output_tokens', { mode: 'number' }).notNull().default(0),
    costUsd: doublePrecision('cost_usd').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.userId, t.campaignId, t.day, t.model] }), index('ai_usage_day_idx').on(t.day)],
);

export const auditLog = pgTable(
  'audit_log',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id').references(() => users.id, { onDelete: 'set null' }),
    action: text('action').notNull(),
    subjectType: text('subject_type').notNull(),
    subjectId: text('subject_id'),
    meta: jsonb('meta').$type<Record<string, unknown>>().notNull().default({}),
    createdAt: createdAt(),
  },
  (t) => [index('audit_log_user_idx').on(t.userId, t.createdAt)],
);

export type User = typeof users.$inferSelect;
export type Campaign = typeof campaigns.$inferSelect;
export type RedditItem = typeof redditItems.$inferSelect;
export type NewRedditItem = typeof redditItems.$inferInsert;
export type Lead = typeof leads.$inferSelect;
export type StreamCursor = typeof streamCursors.$inferSelect;
