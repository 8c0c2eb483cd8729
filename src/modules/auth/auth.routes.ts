import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { profileView, type UserService } from '../users/users.service.js';
import { clearSessionCookie, isLocalRequest, SESSION_COOKIE, setSessionCookie } from './auth.hook.js';
import { loginBody, sessionView } from './auth.schemas.js';
import type { AuthService } from './auth.service.js';

export interface AuthRouteDeps {
  auth: AuthService;
  users: UserService;
  mode: 'local' | 'clerk';
  autoLoginLocalhost: boolean;
}

export async function authRoutes(app: FastifyInstance, deps: AuthRouteDeps): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post(
    '/auth/login',
    {
      config: { public: true },
      schema: { tags: ['auth'], summary: 'Sign in (local mode)', body: loginBody, response: { 200: sessionView } },
    },
    async (request, reply) => {
      const { user, session } = await deps.auth.login(request.body.email, request.body.password);
      setSessionCookie(request, reply, session);
      return { mode: deps.mode, authenticated: true, user: profileView(user) };
    },
  );

  r.post(
    '/auth/logout',
    { config: { public: true }, schema: { tags: ['auth'], summary: 'Sign out', response: { 204: z.null() } } },
    async (request, reply) => {
      await deps.auth.logout(request.cookies[SESSION_COOKIE]);
      clearSessionCookie(reply);
      return reply.code(204).send(null);
    },
  );

  r.get(
    '/auth/session',
    {
      config: { public: true },
      schema: {
        tags: ['auth'],
        summary: 'Who is signed in; on localhost in local mode, signs the owner in',
        response: { 200: sessionView },
      },
    },
    async (request, reply) => {
      if (request.caller) {
        const user = await deps.users.profile(request.caller.userId);
        return { mode: deps.mode, authenticated: user !== undefined, user: user ?? null };
      }
      if (deps.mode === 'local' && deps.autoLoginLocalhost && isLocalRequest(request)) {
        const signedIn = await deps.auth.loginOwner();
        if (signedIn) {
          setSessionCookie(request, reply, signedIn.session);
          return { mode: deps.mode, authenticated: true, user: profileView(signedIn.user) };
        }
      }
      return { mode: deps.mode, authenticated: false, user: null };
    },
  );
}
