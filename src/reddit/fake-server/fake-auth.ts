import type { IncomingHttpHeaders } from 'node:http';

/**
 * The fake token endpoint's rules, as Reddit applies them: HTTP Basic with the app's
 * credentials, `client_credentials` only for apps with a secret, `installed_client` with a
 * 20-30 character device id, and user grants that yield a token tied to a username.
 */
export interface FakeAuthOptions {
  clientId: string;
  /** '' for an installed app (no secret). */
  clientSecret: string;
  tokenTtlS: number;
  /** Authorization codes and refresh tokens that map to a Reddit username. */
  users?: Record<string, string>;
}

export interface IssuedToken {
  token: string;
  expiresAt: number;
  /** null for app-only tokens. */
  username: string | null;
}

export type TokenExchange =
  | { ok: true; status: 200; body: Record<string, unknown> }
  | { ok: false; status: 400 | 401; body: Record<string, unknown> };

export interface FakeAuth {
  exchange(headers: IncomingHttpHeaders, form: URLSearchParams, now: number): TokenExchange;
  check(authorization: string | undefined, now: number): IssuedToken | null;
  revokeAll(): void;
  issued(): number;
}

export function createFakeAuth(opts: FakeAuthOptions): FakeAuth {
  const tokens = new Map<string, IssuedToken>();
  let counter = 0;

  function basicOk(header: string | undefined): boolean {
    if (!header?.startsWith('Basic ')) return false;
    const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
    const sep = decoded.indexOf(':');
    return sep >= 0 && decoded.slice(0, sep) === opts.clientId && decoded.slice(sep + 1) === opts.clientSecret;
  }

  function issue(now: number, username: string | null): TokenExchange {
    counter++;
    const token = `fake-${counter}-${now.toString(36)}`;
    tokens.set(token, { token, expiresAt: now + opts.tokenTtlS * 1000, username });
    const body: Record<string, unknown> = {
      access_token: token,
      token_type: 'bearer',
      expires_in: opts.tokenTtlS,
      scope: username ? 'identity read submit' : '*',
    };
    if (username) body.refresh_token = `refresh-${username}`;
    return { ok: true, status: 200, body };
  }

  return {
    exchange(headers, form, now) {
      if (!basicOk(headers.authorization)) return { ok: false, status: 401, body: { message: 'Unauthorized', error: 401 } };
      const grant = form.get('grant_type');
      if (grant === 'client_credentials') {
        if (opts.clientSecret === '') return { ok: false, status: 400, body: { error: 'unauthorized_client' } };
        return issue(now, null);
      }
      if (grant === 'https://oauth.reddit.com/grants/installed_client') {
        const device = form.get('device_id') ?? '';
        if (device.length < 20 || device.length > 30) return { ok: false, status: 400, body: { error: 'invalid_request' } };
        return issue(now, null);
      }
      if (grant === 'authorization_code' || grant === 'refresh_token') {
        const key = grant === 'authorization_code' ? form.get('code') : form.get('refresh_token');
        const user = key ? opts.users?.[key] : undefined;
        if (!user) return { ok: false, status: 400, body: { error: 'invalid_grant' } };
        return issue(now, user);
      }
      return { ok: false, status: 400, body: { error: 'unsupported_grant_type' } };
    },
    check(authorization, now) {
      if (!authorization?.toLowerCase().startsWith('bearer ')) return null;
      const t = tokens.get(authorization.slice(7).trim());
      return t && t.expiresAt > now ? t : null;
    },
    revokeAll() {
      tokens.clear();
    },
    issued: () => counter,
  };
}
