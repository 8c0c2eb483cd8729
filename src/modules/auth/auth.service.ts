import { LRUCache } from 'lru-cache';
import { UnauthorizedError } from '../../platform/errors.js';
import type { Db } from '../../platform/db/client.js';
import {
  findKeyOwner,
  findOwner,
  findUserByEmail,
  findUserByExternalId,
  insertSessionKey,
  revokeSessionByHash,
  touchKey,
  upsertExternalUser,
} from './auth.repo.js';
import type { ClerkVerifier } from './clerk.js';
import type { RevokedRef } from './revocation-bus.js';
import { verifyPassword } from './password.js';
import { hashKey, issueKey, looksLikeKey } from './tokens.js';

/** Who is calling, as every service sees it. */
export interface Caller {
  userId: string;
  email: string;
  role: 'owner' | 'admin' | 'member';
  via: 'api_key' | 'session' | 'clerk';
  /** The API or session key used, for per-key rate limits. */
  keyId?: string;
}

export interface Credentials {
  bearer?: string | undefined;
  sessionCookie?: string | undefined;
  /** Clerk's own `__session` cookie (same-site dashboards). */
  clerkCookie?: string | undefined;
}

export const SESSION_TTL_MS = 30 * 86_400_000;

export interface AuthServiceDeps {
  db: Db;
  mode: 'local' | 'clerk';
  /** Required in clerk mode. */
  clerk?: ClerkVerifier | undefined;
  now: () => Date;
  onError?: (err: unknown) => void;
  /**
   * How long a resolved key is trusted without asking the database again (0: always ask).
   * Revocation and sign-out take effect at once on this instance, on the others when they
   * hear of it (onRevoked, revocation-bus.ts) or at the latest after this time. It saves
   * one database round trip on nearly every request.
   */
  cacheTtlMs?: number;
  /** Called after a sign-out, to tell other instances. */
  onRevoked?: (ref: RevokedRef) => void;
}

export function createAuthService(deps: AuthServiceDeps) {
  const { db, now } = deps;
  const ttl = deps.cacheTtlMs ?? 0;
  const cache =
    ttl > 0
      ? new LRUCache<string, { caller: Caller; kind: 'api' | 'session'; expiresAt: number }>({ max: 10_000, ttl })
      : undefined;

  async function byKey(token: string, expectKind: 'api' | 'session' | 'any'): Promise<Caller | undefined> {
    if (!looksLikeKey(token)) return undefined;
    const hash = hashKey(token);
    const hit = cache?.get(hash);
    if (hit && (expectKind === 'any' || hit.kind === expectKind) && hit.expiresAt > now().getTime()) return hit.caller;
    const row = await findKeyOwner(db, hash);
    if (!row) return undefined;
    if (expectKind !== 'any' && row.kind !== expectKind) return undefined;
    const at = now();
    if (row.expiresAt && row.expiresAt.getTime() <= at.getTime()) return undefined;
    if (!row.lastUsedAt || at.getTime() - row.lastUsedAt.getTime() > 60_000) {
      touchKey(db, row.keyId, at).catch((e: unknown) => deps.onError?.(e));
    }
    const caller: Caller = {
      userId: row.userId,
      email: row.email,
      role: row.role,
      via: row.kind === 'api' ? 'api_key' : 'session',
      keyId: row.keyId,
    };
    cache?.set(hash, { caller, kind: row.kind, expiresAt: row.expiresAt?.getTime() ?? Number.POSITIVE_INFINITY });
    return caller;
  }

  async function byClerk(token: string): Promise<Caller | undefined> {
    if (deps.mode !== 'clerk' || !deps.clerk) return undefined;
    const identity = await deps.clerk(token);
    if (!identity) return undefined;
    const known = await findUserByExternalId(db, identity.externalId);
    const user =
      known ??
      (await upsertExternalUser(db, {
        externalId: identity.externalId,
        email: identity.email ?? placeholderEmail(identity.externalId),
        name: identity.name ?? null,
      }).catch(() =>
        // The claimed email belongs to another account: never merge on email alone.
        upsertExternalUser(db, {
          externalId: identity.externalId,
          email: placeholderEmail(identity.externalId),
          name: identity.name ?? null,
        }),
      ));
    return { userId: user.id, email: user.email, role: user.role, via: 'clerk' };
  }

  async function createSession(userId: string): Promise<{ token: string; expiresAt: Date }> {
    const issued = issueKey('session');
    const expiresAt = new Date(now().getTime() + SESSION_TTL_MS);
    await insertSessionKey(db, { userId, prefix: issued.prefix, keyHash: issued.hash, expiresAt });
    return { token: issued.key, expiresAt };
  }

  return {
    /**
     * Resolves the caller from, in order: a Bearer API/session key, a Bearer Clerk token,
     * the session cookie, Clerk's cookie. Undefined when none is valid.
     */
    async authenticate(creds: Credentials): Promise<Caller | undefined> {
      if (creds.bearer) {
        const caller = creds.bearer.startsWith('sk_') || creds.bearer.startsWith('ss_')
          ? await byKey(creds.bearer, 'any')
          : await byClerk(creds.bearer);
        // A wrong Authorization header is an error even if a cookie would work: scripts must notice.
        if (!caller) throw new UnauthorizedError('The API key or token is not valid.');
        return caller;
      }
      if (creds.sessionCookie) {
        const caller = await byKey(creds.sessionCookie, 'session');
        if (caller) return caller;
      }
      if (creds.clerkCookie) return byClerk(creds.clerkCookie);
      return undefined;
    },

    /** Local mode sign-in; the same answer for an unknown email and a wrong password. */
    async login(email: string, password: string) {
      if (deps.mode !== 'local') throw new UnauthorizedError('Sign in through Clerk.');
      const user = await findUserByEmail(db, email);
      const ok = await verifyPassword(password, user?.passwordHash ?? null);
      if (!user || !ok) throw new UnauthorizedError('Wrong email or password.');
      return { user, session: await createSession(user.id) };
    },

    /** Signs the owner in (localhost quick start); undefined when there is no owner yet. */
    async loginOwner() {
      const owner = await findOwner(db);
      if (!owner) return undefined;
      return { user: owner, session: await createSession(owner.id) };
    },

    async logout(sessionToken: string | undefined): Promise<void> {
      if (!sessionToken || !looksLikeKey(sessionToken)) return;
      const hash = hashKey(sessionToken);
      cache?.delete(hash);
      await revokeSessionByHash(db, hash, now());
      deps.onRevoked?.({ keyHash: hash });
    },

    /** Drops a revoked key or closed session from this instance's cache. */
    forget(ref: RevokedRef): void {
      if (!cache) return;
      if ('keyHash' in ref) {
        cache.delete(ref.keyHash);
        return;
      }
      for (const [hash, entry] of cache.entries()) if (entry.caller.keyId === ref.keyId) cache.delete(hash);
    },
  };
}

export type AuthService = ReturnType<typeof createAuthService>;

function placeholderEmail(externalId: string): string {
  return `${externalId.toLowerCase()}@clerk.invalid`;
}
