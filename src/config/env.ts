import { z } from 'zod';

/**
 * Every setting Subscout reads, in one schema. Parsed once at boot by the entry point;
 * tests build their own with `loadEnv({...})`. `.env.example` documents each variable.
 */

const bool = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no'])
    .default(fallback ? 'true' : 'false')
    .transform((v) => v === 'true' || v === '1' || v === 'yes');

const int = (fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER) =>
  z.coerce.number().int().min(min).max(max).default(fallback);

const list = z
  .string()
  .default('')
  .transform((v) =>
    v
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  );

const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

export const QUEUE_NAMES = ['ingest', 'match', 'score', 'notify', 'reply', 'scrape', 'maintenance'] as const;
export type QueueName = (typeof QUEUE_NAMES)[number];

const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: int(3000, 0, 65535),
  HOST: z.string().default('127.0.0.1'),
  PUBLIC_URL: optionalString,
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DATA_DIR: z.string().default('./data'),

  DATABASE_URL: optionalString,
  DATABASE_READ_URL: optionalString,
  DATABASE_POOL_MAX: int(10, 1, 500),
  MIGRATE_ON_START: bool(true),

  REDIS_URL: optionalString,
  REDIS_PREFIX: z.string().default('{subscout}'),

  ENABLE_WORKERS: bool(true),
  WORKER_QUEUES: list,
  CONCURRENCY_INGEST: int(2, 1, 100),
  CONCURRENCY_MATCH: int(4, 1, 100),
  CONCURRENCY_SCORE: int(2, 1, 100),
  CONCURRENCY_NOTIFY: int(2, 1, 100),
  CONCURRENCY_REPLY: int(1, 1, 100),
  CONCURRENCY_SCRAPE: int(1, 1, 20),
  CONCURRENCY_MAINTENANCE: int(1, 1, 10),
  SHUTDOWN_TIMEOUT_MS: int(15_000, 100, 600_000),
  METRICS_PORT: int(0, 0, 65535),
  METRICS_TOKEN: optionalString,

  AUTH_MODE: z.enum(['local', 'clerk']).default('local'),
  CLERK_JWT_KEY: optionalString,
  CLERK_AUTHORIZED_PARTIES: list,
  CLERK_PUBLISHABLE_KEY: optionalString,
  OWNER_EMAIL: z.string().email().default('owner@localhost'),
  AUTO_LOGIN_LOCALHOST: bool(true),
  CORS_ORIGINS: list,
  TRUST_PROXY: bool(false),
  BODY_LIMIT_BYTES: int(1_048_576, 1024, 50 * 1_048_576),
  REQUEST_TIMEOUT_MS: int(30_000, 1000, 600_000),
  RATE_LIMIT_PER_MINUTE: int(300, 1),
  RATE_LIMIT_IP_PER_MINUTE: int(600, 1),
  RATE_LIMIT_EXPENSIVE_PER_MINUTE: int(20, 1),

  PLAN_MAX_CAMPAIGNS: int(10, 0),
  PLAN_MAX_RULES_PER_CAMPAIGN: int(25, 0),
  PLAN_AI_TOKENS_PER_MONTH: int(2_000_000, 0),
  AI_DAILY_TOKEN_CAP: int(200_000, 0),

  REDDIT_SOURCE: z.enum(['demo', 'reddit', 'none']).default('demo'),
  REDDIT_CLIENT_ID: optionalString,
  REDDIT_CLIENT_SECRET: optionalString,
  REDDIT_APP_TYPE: z.enum(['web', 'script', 'installed']).default('script'),
  REDDIT_USER_AGENT: optionalString,
  REDDIT_API_URL: z.string().url().default('https://oauth.reddit.com'),
  REDDIT_AUTH_URL: z.string().url().default('https://www.reddit.com'),
  REDDIT_REDIRECT_URI: optionalString,
  REDDIT_REQUEST_TIMEOUT_MS: int(15_000, 100),
  INGEST_SUBS_PER_STREAM: int(50, 1, 100),
  INGEST_MIN_INTERVAL_MS: int(5_000, 100),
  INGEST_MAX_INTERVAL_MS: int(120_000, 1000),
  INGEST_LAG_WINDOW_MS: int(30_000, 0, 600_000),
  INGEST_REQUESTS_PER_10MIN: int(900, 10),
  DEMO_ITEMS_PER_MINUTE: int(3, 0, 10_000),
  ITEM_RETENTION_DAYS: int(30, 1),

  AI_PROVIDER: z.enum(['local', 'openai']).default('local'),
  AI_BASE_URL: z.string().url().default('https://api.openai.com/v1'),
  AI_API_KEY: optionalString,
  AI_MODEL: z.string().default('gpt-4o-mini'),
  AI_TIMEOUT_MS: int(20_000, 100),
  AI_BATCH_SIZE: int(10, 1, 50),
  AI_COST_PER_1M_INPUT: z.coerce.number().min(0).default(0.15),
  AI_COST_PER_1M_OUTPUT: z.coerce.number().min(0).default(0.6),
  AI_CACHE_TTL_S: int(30 * 86_400, 60),
  REPLY_DISCLOSURE: z.string().default('(Disclosure: I work on {product}.)'),
  REPLY_MIN_INTERVAL_S: int(60, 0, 86_400),

  ENCRYPTION_KEY: optionalString,

  CHROMIUM_PATH: z.string().default('/usr/bin/chromium'),
  SCRAPE_TIMEOUT_MS: int(20_000, 1000),
  SCRAPE_MAX_BYTES: int(5_000_000, 10_000),

  SMTP_URL: optionalString,
  EMAIL_FROM: z.string().default('Subscout <alerts@localhost>'),
});

type Raw = z.infer<typeof schema>;

export type Env = Readonly<
  Raw & {
    /** Distributed when Redis is configured: BullMQ queues, Redis cache and limits. */
    distributed: boolean;
    /** The queues this process consumes (empty when ENABLE_WORKERS is false). */
    consumedQueues: readonly QueueName[];
  }
>;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

function describeIssue(issue: z.core.$ZodIssue, source: Record<string, string | undefined>): string {
  const key = String(issue.path[0] ?? '');
  const got = source[key];
  const shown = got === undefined ? '' : ` (got ${JSON.stringify(got.length > 40 ? `${got.slice(0, 40)}...` : got)})`;
  return `${key}: ${issue.message}${shown}`;
}

export function loadEnv(source: Record<string, string | undefined> = process.env): Env {
  const parsed = schema.safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => describeIssue(i, source));
    throw new ConfigError(`Invalid configuration: ${lines.join('; ')}`);
  }
  const raw = parsed.data;
  const unknownQueues = raw.WORKER_QUEUES.filter((q) => !(QUEUE_NAMES as readonly string[]).includes(q));
  if (unknownQueues.length > 0) {
    throw new ConfigError(
      `Invalid configuration: WORKER_QUEUES: unknown queue ${unknownQueues.join(', ')} (known: ${QUEUE_NAMES.join(', ')})`,
    );
  }
  if (raw.AUTH_MODE === 'clerk' && !raw.CLERK_JWT_KEY) {
    throw new ConfigError('Invalid configuration: CLERK_JWT_KEY: required when AUTH_MODE=clerk');
  }
  if (raw.INGEST_MIN_INTERVAL_MS > raw.INGEST_MAX_INTERVAL_MS) {
    throw new ConfigError('Invalid configuration: INGEST_MIN_INTERVAL_MS: must not exceed INGEST_MAX_INTERVAL_MS');
  }
  const requested = raw.WORKER_QUEUES.length > 0 ? (raw.WORKER_QUEUES as QueueName[]) : [...QUEUE_NAMES];
  return Object.freeze({
    ...raw,
    distributed: raw.REDIS_URL !== undefined,
    consumedQueues: raw.ENABLE_WORKERS ? requested : [],
  });
}

/**
 * The URL people reach this install at: PUBLIC_URL when set, else this host and port (the
 * port actually bound, when the caller knows it), with wildcard and loopback hosts shown as localhost.
 */
export function publicUrlOf(env: Pick<Env, 'PUBLIC_URL' | 'HOST' | 'PORT'>, port: number | string = env.PORT): string {
  if (env.PUBLIC_URL) return env.PUBLIC_URL;
  const host = ['0.0.0.0', '127.0.0.1', '::'].includes(env.HOST) ? 'localhost' : env.HOST;
  return `http://${host}:${port}`;
}
