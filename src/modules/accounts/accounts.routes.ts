import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { callerOf } from '../auth/auth.hook.js';
import { accountIdParams, callbackQuery, connectAnswer, redditAccountList } from './accounts.schemas.js';
import type { AccountService } from './accounts.service.js';

/**
 * Connected Reddit accounts. Mounted in the signed-in scope: the callback is a top-level
 * navigation back from Reddit, so the session cookie comes with it and binds the state.
 */
export async function accountRoutes(app: FastifyInstance, deps: { accounts: AccountService }): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const svc = deps.accounts;
  const tags = ['reddit-accounts'];

  r.get(
    '/reddit-accounts',
    { schema: { tags, summary: 'Connected Reddit accounts (no tokens)', response: { 200: redditAccountList } } },
    async (request) => ({ items: await svc.list(callerOf(request).userId) }),
  );

  r.post(
    '/reddit-accounts/connect',
    {
      schema: {
        tags,
        summary: "Start connecting a Reddit account: the URL of Reddit's consent page (valid 10 minutes)",
        response: { 200: connectAnswer },
      },
    },
    async (request) => svc.startConnect(callerOf(request).userId),
  );

  r.get(
    '/reddit-accounts/connect',
    { schema: { tags, summary: "The same, as a redirect to Reddit's consent page (for a plain link)" } },
    async (request, reply) => reply.redirect(await svc.connectLocation(callerOf(request).userId), 302),
  );

  r.get(
    '/reddit-accounts/callback',
    {
      // The request line carries Reddit's one-time authorisation code: keep it out of the access log.
      logLevel: 'warn',
      schema: {
        tags,
        summary: "Reddit's redirect after consent; sends the browser back to the settings page",
        querystring: callbackQuery,
      },
    },
    async (request, reply) => reply.redirect(await svc.finishConnect(callerOf(request).userId, request.query), 302),
  );

  r.delete(
    '/reddit-accounts/:id',
    {
      schema: {
        tags,
        summary: 'Disconnect a Reddit account (revokes its token at Reddit)',
        params: accountIdParams,
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      await svc.disconnect(callerOf(request).userId, request.params.id);
      return reply.code(204).send(null);
    },
  );
}
