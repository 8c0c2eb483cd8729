import { randomBytes } from 'node:crypto';
import type { Cache } from '../../platform/cache/cache.js';
import type { Db } from '../../platform/db/client.js';
import { AppError, NotFoundError, ServiceUnavailableError } from '../../platform/errors.js';
import type { Logger } from '../../platform/logger.js';
import { oauthErrorOf, type RedditUserOAuth } from '../../reddit/user-oauth.js';
import {
  deleteAccount,
  findAccount,
  listAccounts,
  pauseAccount,
  type RedditAccountInfo,
  sealedTokenOf,
  takePostingSlot,
  upsertAccount,
} from './accounts.repo.js';
import type { CallbackQuery, RedditAccountView } from './accounts.schemas.js';

/** Seals refresh tokens at rest (AES-256-GCM in production: the notify module's SecretBox). */
export interface TokenSealer {
  seal(plain: string): string;
  open(sealed: string): string;
}

export interface AccountServiceDeps {
  db: Db;
  /** Holds the OAuth `state` between the consent redirect and the callback. */
  cache: Cache;
  /** Absent when REDDIT_CLIENT_ID (and a redirect URI) are not configured. */
  oauth: RedditUserOAuth | undefined;
  sealer: TokenSealer;
  log: Logger;
  now?: () => Date;
  randomState?: () => string;
  /** The dashboard page the callback sends the browser back to. */
  settingsPath?: string;
}

/** The account's refresh token no longer works (revoked at Reddit, app removed); reconnecting fixes it. */
export class AccountAccessRevokedError extends AppError {
  override name = 'AccountAccessRevokedError';
  constructor(username: string) {
    super(409, 'reddit_account_revoked', `Reddit no longer accepts the connection to u/${username}; connect it again.`);
  }
}

export const CONNECT_STATE_TTL_S = 600;
const stateKey = (state: string) => `reddit-connect:${state}`;
const STATE_SHAPE = /^[A-Za-z0-9_-]{16,128}$/;

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);

export function accountView(a: RedditAccountInfo): RedditAccountView {
  return {
    id: a.id,
    username: a.username,
    scope: a.scope,
    karma: a.karma,
    account_created_utc: iso(a.accountCreatedUtc),
    paused_until: iso(a.pausedUntil),
    created_at: new Date(a.createdAt).toISOString(),
  };
}

export function createAccountService(deps: AccountServiceDeps) {
  const { db, cache, sealer, log } = deps;
  const now = deps.now ?? (() => new Date());
  const randomState = deps.randomState ?? (() => randomBytes(24).toString('base64url'));
  const settingsPath = deps.settingsPath ?? '/settings';

  function oauth(): RedditUserOAuth {
    if (!deps.oauth) {
      throw new ServiceUnavailableError(
        'reddit_not_configured',
        'Connecting Reddit accounts needs REDDIT_CLIENT_ID, REDDIT_USER_AGENT and a redirect URI on the server.',
      );
    }
    return deps.oauth;
  }

  const back = (params: Record<string, string>) => `${settingsPath}?${new URLSearchParams(params).toString()}`;
  const failed = (reason: string) => back({ reddit: 'error', reason });

  /** Consumes the state: it is good for one callback, by the user who started the flow. */
  async function checkState(userId: string, state: string | undefined): Promise<boolean> {
    if (!state || !STATE_SHAPE.test(state)) return false;
    const owner = await cache.get(stateKey(state));
    if (owner === undefined) return false;
    await cache.delete(stateKey(state));
    return owner === userId;
  }

  return {
    async list(userId: string): Promise<RedditAccountView[]> {
      return (await listAccounts(db, userId)).map(accountView);
    },

    /** The caller's account, or a 404 for a missing or foreign one. */
    async get(userId: string, id: string): Promise<RedditAccountView> {
      const row = await findAccount(db, userId, id);
      if (!row) throw new NotFoundError('reddit_account');
      const { refreshTokenEnc: _sealed, ...info } = row;
      return accountView(info);
    },

    async startConnect(userId: string): Promise<{ authorize_url: string }> {
      const client = oauth();
      const state = randomState();
      await cache.set(stateKey(state), userId, CONNECT_STATE_TTL_S);
      return { authorize_url: client.authorizeUrl(state) };
    },

    /** Where a plain link should send the browser: Reddit's consent page, or back with the reason it cannot. */
    async connectLocation(userId: string): Promise<string> {
      if (!deps.oauth) return failed('not_configured');
      const state = randomState();
      await cache.set(stateKey(state), userId, CONNECT_STATE_TTL_S);
      return deps.oauth.authorizeUrl(state);
    },

    /** Handles Reddit's redirect and answers where to send the browser (never throws for Reddit's answers). */
    async finishConnect(userId: string, q: CallbackQuery): Promise<string> {
      if (!deps.oauth) return failed('not_configured');
      if (!(await checkState(userId, q.state))) {
        log.warn({ userId }, 'reddit connect callback with an unknown, expired or foreign state');
        return failed('invalid_state');
      }
      if (q.error) return failed(q.error === 'access_denied' ? 'access_denied' : 'reddit_error');
      if (!q.code) return failed('missing_code');
      let saved: RedditAccountInfo;
      try {
        const tokens = await deps.oauth.exchangeCode(q.code);
        const me = await deps.oauth.me(tokens.accessToken);
        saved = await upsertAccount(db, {
          userId,
          username: me.name,
          refreshTokenEnc: sealer.seal(tokens.refreshToken),
          scope: tokens.scope,
          accountCreatedUtc: me.createdUtc,
          karma: me.karma,
        });
      } catch (err) {
        // Reddit's refusals and a missing key go back to the page; anything else is a bug.
        if (!(err instanceof AppError)) throw err;
        log.warn({ userId, code: err.code, oauthError: oauthErrorOf(err) }, 'reddit connect failed');
        return failed(err.code === 'encryption_key_missing' ? 'encryption_key_missing' : 'exchange_failed');
      }
      log.info({ userId, accountId: saved.id, username: saved.username }, 'reddit account connected');
      return back({ reddit: 'connected', account: saved.username });
    },

    /** Revokes the token at Reddit when it can, and forgets the account either way. */
    async disconnect(userId: string, id: string): Promise<{ revoked: boolean }> {
      const row = await findAccount(db, userId, id);
      if (!row) throw new NotFoundError('reddit_account');
      let revoked = false;
      if (deps.oauth) {
        try {
          await deps.oauth.revoke(sealer.open(row.refreshTokenEnc));
          revoked = true;
        } catch (err) {
          // The user asked to disconnect: keeping a token we cannot revoke would be worse than dropping it.
          log.warn({ userId, accountId: id, code: err instanceof AppError ? err.code : 'error' }, 'could not revoke reddit token');
        }
      }
      await deleteAccount(db, userId, id);
      log.info({ userId, accountId: id, revoked }, 'reddit account disconnected');
      return { revoked };
    },

    /** A fresh access token for posting as the account; AccountAccessRevokedError when Reddit refuses it for good. */
    async accessToken(accountId: string, username: string): Promise<string> {
      const sealed = await sealedTokenOf(db, accountId);
      if (sealed === undefined) throw new NotFoundError('reddit_account');
      try {
        return (await oauth().refresh(sealer.open(sealed))).accessToken;
      } catch (err) {
        const oauthError = oauthErrorOf(err);
        if (oauthError === 'invalid_grant' || oauthError === 'unauthorized_client') throw new AccountAccessRevokedError(username);
        throw err;
      }
    },

    /** Takes the account's posting slot for `minIntervalMs`; answers when to come back if it is taken. */
    async takePostingSlot(accountId: string, minIntervalMs: number): Promise<{ ok: true } | { ok: false; until: Date }> {
      const t = now();
      const busy = await takePostingSlot(db, accountId, t, new Date(t.getTime() + minIntervalMs));
      if (busy === 'missing') throw new NotFoundError('reddit_account');
      return busy === null ? { ok: true } : { ok: false, until: busy };
    },

    async pause(accountId: string, until: Date): Promise<void> {
      await pauseAccount(db, accountId, until);
    },
  };
}

export type AccountService = ReturnType<typeof createAccountService>;
