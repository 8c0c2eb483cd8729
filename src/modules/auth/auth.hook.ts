import { fastifyCookie } from '@fastify/cookie';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ForbiddenError, UnauthorizedError } from '../../platform/errors.js';
import type { AuthService, Caller, Credentials } from './auth.service.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the auth hook; read it through `callerOf(request)`. */
    caller: Caller | undefined;
  }
  interface FastifyContextConfig {
    /** Reachable without signing in (sign-in itself, the OpenAPI document). */
    public?: boolean;
    /** Owner and admin accounts only. The one place admin-only routes are declared. */
    admin?: boolean;
  }
}

export const SESSION_COOKIE = 'subscout_session';
const CLERK_COOKIE = '__session';

export function isAdmin(caller: Caller | undefined): boolean {
  return caller?.role === 'owner' || caller?.role === 'admin';
}

/** The signed-in caller; routes that are not public always have one. */
export function callerOf(request: FastifyRequest): Caller {
  if (!request.caller) throw new UnauthorizedError();
  return request.caller;
}

function bearerOf(request: FastifyRequest): string | undefined {
  const h = request.headers.authorization;
  if (typeof h !== 'string') return undefined;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(h);
  if (!m) throw new UnauthorizedError('Use `Authorization: Bearer <key>`.');
  return m[1];
}

/** The credentials a request carries; works outside the API scope too (cookies parsed here if needed). */
export function credentialsOf(request: FastifyRequest): Credentials {
  const header = request.headers.cookie;
  const cookies = request.cookies ?? (typeof header === 'string' ? fastifyCookie.parse(header) : {});
  return { bearer: bearerOf(request), sessionCookie: cookies[SESSION_COOKIE], clerkCookie: cookies[CLERK_COOKIE] };
}

/**
 * For admin pages mounted outside /api/v1 (the queue dashboard): true when the request is
 * signed in as an owner or admin, by any of the API's credentials.
 */
export function adminCheck(auth: AuthService): (request: FastifyRequest) => Promise<boolean> {
  return async (request) => {
    try {
      return isAdmin(request.caller ?? (await auth.authenticate(credentialsOf(request))));
    } catch {
      return false;
    }
  };
}

/**
 * The one authentication and authorisation gate for /api/v1: resolves `request.caller`,
 * refuses anonymous calls to non-public routes (401) and non-admins on admin routes (403).
 * Ownership of each row is the repos' job: every query carries the caller's user id.
 */
export function installAuthHook(app: FastifyInstance, auth: AuthService): void {
  app.decorateRequest('caller', undefined);
  app.addHook('onRequest', async (request) => {
    const config = request.routeOptions.config;
    // Unknown routes fall through to the 404 handler without touching the database.
    if (!request.routeOptions.url) return;
    request.caller = await auth.authenticate(credentialsOf(request));
    if (config.public) return;
    if (!request.caller) throw new UnauthorizedError();
    if (config.admin && !isAdmin(request.caller)) {
      throw new ForbiddenError('admin_only', 'This route is for administrators.');
    }
  });
}

export function setSessionCookie(
  request: FastifyRequest,
  reply: FastifyReply,
  session: { token: string; expiresAt: Date },
): void {
  reply.setCookie(SESSION_COOKIE, session.token, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: request.protocol === 'https',
    expires: session.expiresAt,
  });
}

export function clearSessionCookie(reply: FastifyReply): void {
  reply.clearCookie(SESSION_COOKIE, { path: '/' });
}

/** A request straight from this machine: loopback peer and no proxy hop from elsewhere. */
export function isLocalRequest(request: FastifyRequest): boolean {
  const peer = request.raw.socket.remoteAddress ?? '';
  const loopback = (a: string) => a === '::1' || a.startsWith('127.') || a.startsWith('::ffff:127.');
  if (!loopback(peer)) return false;
  const forwarded = request.headers['x-forwarded-for'];
  if (forwarded === undefined) return true;
  const hops = (Array.isArray(forwarded) ? forwarded.join(',') : forwarded).split(',').map((s) => s.trim());
  return hops.every(loopback);
}
