import { z } from 'zod';
import { appFormRequest } from './app-auth.js';
import { RedditAuthError, RedditProtocolError, RedditRequestError } from './errors.js';
import { parseUserAgent } from './user-agent.js';

/**
 * The calls made for a user's own Reddit account (authorisation code flow, scope
 * `identity read submit`): consent URL, code exchange, refresh, revoke and /api/v1/me.
 * Posting itself goes through the shared client (`RedditClient.postComment`).
 */
export interface UserOAuthOptions {
  /** REDDIT_AUTH_URL: consent page and token endpoint (https://www.reddit.com). */
  authUrl: string;
  /** REDDIT_API_URL: where /api/v1/me lives (https://oauth.reddit.com). */
  apiUrl: string;
  clientId: string;
  /** Absent or '' for an installed app. */
  clientSecret?: string | undefined;
  /** Must equal the redirect URI registered with the Reddit app. */
  redirectUri: string;
  userAgent: string;
  timeoutMs?: number;
  fetch?: typeof fetch;
}

export const USER_SCOPES = ['identity', 'read', 'submit'] as const;

export interface UserTokens {
  accessToken: string;
  /** Only the code exchange returns one (duration=permanent). */
  refreshToken: string;
  expiresInS: number;
  scope: string;
}

export interface AccessToken {
  accessToken: string;
  expiresInS: number;
  scope: string;
}

export interface RedditIdentity {
  name: string;
  createdUtc: Date | null;
  /** link + comment karma; null when Reddit does not say. */
  karma: number | null;
}

export interface RedditUserOAuth {
  authorizeUrl(state: string): string;
  exchangeCode(code: string): Promise<UserTokens>;
  refresh(refreshToken: string): Promise<AccessToken>;
  /** Revokes a refresh token (and the access tokens it issued). */
  revoke(refreshToken: string): Promise<void>;
  me(accessToken: string): Promise<RedditIdentity>;
}

const tokenAnswer = z.object({
  access_token: z.string().min(1),
  refresh_token: z.string().min(1).optional(),
  expires_in: z.coerce.number().positive(),
  scope: z.string().default(''),
});

const meAnswer = z.object({
  name: z.string().min(1),
  created_utc: z.number().optional(),
  link_karma: z.number().optional(),
  comment_karma: z.number().optional(),
});

/** Reddit answered the grant with an OAuth error such as `invalid_grant` (revoked or used code). */
export function oauthErrorOf(err: unknown): string | null {
  if (!(err instanceof RedditAuthError)) return null;
  const e = err.details?.error;
  return typeof e === 'string' ? e : null;
}

export function createRedditUserOAuth(opts: UserOAuthOptions): RedditUserOAuth {
  const doFetch = opts.fetch ?? fetch;
  const timeoutMs = opts.timeoutMs ?? 15_000;

  async function send(url: string, init: RequestInit): Promise<Response> {
    try {
      return await doFetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
    } catch (err) {
      throw new RedditAuthError(`Reddit is unreachable: ${(err as Error).message}`, { transient: true });
    }
  }

  async function tokenRequest(form: URLSearchParams): Promise<z.infer<typeof tokenAnswer>> {
    const res = await send(new URL('/api/v1/access_token', opts.authUrl).toString(), appFormRequest(opts, form));
    const text = await res.text();
    let body: unknown = null;
    try {
      body = JSON.parse(text);
    } catch {
      body = null;
    }
    const error =
      typeof body === 'object' && body !== null && 'error' in body && typeof body.error === 'string' ? body.error : null;
    if (error) throw new RedditAuthError(`Reddit refused the grant: ${error}.`, { error, status: res.status });
    if (!res.ok) {
      throw new RedditAuthError(`Reddit's token endpoint answered HTTP ${res.status}.`, {
        status: res.status,
        transient: res.status >= 500,
      });
    }
    const parsed = tokenAnswer.safeParse(body);
    if (!parsed.success) throw new RedditAuthError('Reddit did not issue a token.', { error: 'no_access_token' });
    return parsed.data;
  }

  return {
    authorizeUrl(state) {
      const url = new URL('/api/v1/authorize', opts.authUrl);
      url.search = new URLSearchParams({
        client_id: opts.clientId,
        response_type: 'code',
        state,
        redirect_uri: opts.redirectUri,
        duration: 'permanent',
        scope: USER_SCOPES.join(' '),
      }).toString();
      return url.toString();
    },

    async exchangeCode(code) {
      const t = await tokenRequest(
        new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: opts.redirectUri }),
      );
      if (!t.refresh_token) throw new RedditAuthError('Reddit issued no refresh token (duration must be permanent).');
      return { accessToken: t.access_token, refreshToken: t.refresh_token, expiresInS: t.expires_in, scope: t.scope };
    },

    async refresh(refreshToken) {
      const t = await tokenRequest(new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken }));
      return { accessToken: t.access_token, expiresInS: t.expires_in, scope: t.scope };
    },

    async revoke(refreshToken) {
      const res = await send(
        new URL('/api/v1/revoke_token', opts.authUrl).toString(),
        appFormRequest(opts, new URLSearchParams({ token: refreshToken, token_type_hint: 'refresh_token' })),
      );
      await res.text();
      // Reddit answers 204; it also answers 2xx for a token it no longer knows, which is what we want.
      if (!res.ok) throw new RedditRequestError(res.status, '/api/v1/revoke_token');
    },

    async me(accessToken) {
      const res = await send(new URL('/api/v1/me', opts.apiUrl).toString(), {
        headers: { authorization: `bearer ${accessToken}`, 'user-agent': opts.userAgent },
      });
      const text = await res.text();
      if (!res.ok) throw new RedditRequestError(res.status, '/api/v1/me');
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        throw new RedditProtocolError('/api/v1/me', 'not JSON');
      }
      const parsed = meAnswer.safeParse(body);
      if (!parsed.success) throw new RedditProtocolError('/api/v1/me', 'no account name');
      const m = parsed.data;
      const karma =
        m.link_karma === undefined && m.comment_karma === undefined ? null : (m.link_karma ?? 0) + (m.comment_karma ?? 0);
      return {
        name: m.name,
        createdUtc: m.created_utc === undefined ? null : new Date(m.created_utc * 1000),
        karma,
      };
    },
  };
}

/** The callback path under the API, the redirect URI's default when PUBLIC_URL is set. */
export const CALLBACK_PATH = '/api/v1/reddit-accounts/callback';

/**
 * User OAuth from the settings, or undefined when connecting accounts is not configured
 * (no client id, no valid User-Agent, or no redirect URI and no PUBLIC_URL to derive it from).
 */
export function userOAuthFromEnv(env: {
  REDDIT_CLIENT_ID?: string | undefined;
  REDDIT_CLIENT_SECRET?: string | undefined;
  REDDIT_USER_AGENT?: string | undefined;
  REDDIT_AUTH_URL: string;
  REDDIT_API_URL: string;
  REDDIT_REDIRECT_URI?: string | undefined;
  PUBLIC_URL?: string | undefined;
  REDDIT_REQUEST_TIMEOUT_MS: number;
}): RedditUserOAuth | undefined {
  const redirectUri = env.REDDIT_REDIRECT_URI ?? (env.PUBLIC_URL ? new URL(CALLBACK_PATH, env.PUBLIC_URL).toString() : undefined);
  if (!env.REDDIT_CLIENT_ID || !redirectUri || !env.REDDIT_USER_AGENT || !parseUserAgent(env.REDDIT_USER_AGENT)) return undefined;
  return createRedditUserOAuth({
    authUrl: env.REDDIT_AUTH_URL,
    apiUrl: env.REDDIT_API_URL,
    clientId: env.REDDIT_CLIENT_ID,
    clientSecret: env.REDDIT_CLIENT_SECRET,
    redirectUri,
    userAgent: env.REDDIT_USER_AGENT.trim(),
    timeoutMs: env.REDDIT_REQUEST_TIMEOUT_MS,
  });
}
