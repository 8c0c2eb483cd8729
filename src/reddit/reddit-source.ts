import { ConfigError, type Env } from '../config/env.js';
import type { Logger } from '../platform/logger.js';
import type { Redis } from '../platform/redis.js';
import { createMemoryBudgetGovernor, createRedisBudgetGovernor } from './budget-governor.js';
import { createRedditClient, type RedditClient } from './client.js';
import { createMemoryTokenProvider, createRedisTokenProvider, createTokenFetcher } from './token-provider.js';
import { requireUserAgent } from './user-agent.js';

type RedditEnv = Pick<
  Env,
  | 'REDDIT_CLIENT_ID'
  | 'REDDIT_CLIENT_SECRET'
  | 'REDDIT_APP_TYPE'
  | 'REDDIT_USER_AGENT'
  | 'REDDIT_API_URL'
  | 'REDDIT_AUTH_URL'
  | 'REDDIT_REQUEST_TIMEOUT_MS'
  | 'REDIS_PREFIX'
>;

/**
 * The OAuth Reddit client for REDDIT_SOURCE=reddit, with a token and budget shared through
 * Redis when there is one. Refuses to build without a proper User-Agent and credentials.
 */
export function createRedditSource(env: RedditEnv, deps: { log: Logger; redis?: Redis | undefined }): RedditClient {
  const userAgent = requireUserAgent(env.REDDIT_USER_AGENT);
  const clientId = env.REDDIT_CLIENT_ID;
  if (!clientId) throw new ConfigError('REDDIT_CLIENT_ID: required for the Reddit source');
  if (env.REDDIT_APP_TYPE !== 'installed' && !env.REDDIT_CLIENT_SECRET) {
    throw new ConfigError('REDDIT_CLIENT_SECRET: required for web and script apps (or set REDDIT_APP_TYPE=installed)');
  }
  const log = deps.log.child({ component: 'reddit' });
  const fetchToken = createTokenFetcher({
    authUrl: env.REDDIT_AUTH_URL,
    userAgent,
    credentials: { clientId, clientSecret: env.REDDIT_CLIENT_SECRET, appType: env.REDDIT_APP_TYPE },
    timeoutMs: env.REDDIT_REQUEST_TIMEOUT_MS,
  });
  const tokens = deps.redis
    ? createRedisTokenProvider({ redis: deps.redis, prefix: env.REDIS_PREFIX, clientId, fetchToken, log })
    : createMemoryTokenProvider({ fetchToken, log });
  const governor = deps.redis
    ? createRedisBudgetGovernor({ redis: deps.redis, prefix: env.REDIS_PREFIX, clientId, log })
    : createMemoryBudgetGovernor({ log });
  return createRedditClient({
    apiUrl: env.REDDIT_API_URL,
    userAgent,
    tokens,
    governor,
    log,
    timeoutMs: env.REDDIT_REQUEST_TIMEOUT_MS,
  });
}
