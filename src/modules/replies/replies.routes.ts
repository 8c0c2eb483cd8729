import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { callerOf } from '../auth/auth.hook.js';
import { leadIdParams } from '../leads/leads.schemas.js';
import { postReplyBody, queuedAnswer, replyList } from './replies.schemas.js';
import type { ReplyService } from './replies.service.js';

export async function replyRoutes(app: FastifyInstance, deps: { replies: ReplyService }): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const svc = deps.replies;
  const tags = ['replies'];

  r.post(
    '/leads/:id/reply',
    {
      schema: {
        tags,
        summary: 'Post the approved text as a reply on Reddit through a connected account (queued)',
        params: leadIdParams,
        body: postReplyBody,
        response: { 202: queuedAnswer },
      },
    },
    async (request, reply) =>
      reply.code(202).send(await svc.queue(callerOf(request).userId, request.params.id, request.body)),
  );

  r.get(
    '/leads/:id/replies',
    {
      schema: {
        tags,
        summary: "A lead's replies: drafts, queued, posted and failed, newest first",
        params: leadIdParams,
        response: { 200: replyList },
      },
    },
    async (request) => ({ items: await svc.list(callerOf(request).userId, request.params.id) }),
  );
}
