import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { callerOf } from '../auth/auth.hook.js';
import type { ChannelService } from './channels.service.js';
import {
  channelIdParams,
  channelList,
  channelWithSecret,
  createChannelBody,
  testResult,
  updateChannelBody,
} from './notify.schemas.js';

/** Notification channels of the signed-in caller; mount inside the authenticated /api/v1 scope. */
export async function notifyRoutes(app: FastifyInstance, deps: { channels: ChannelService }): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const svc = deps.channels;
  const tags = ['notifications'];

  r.get(
    '/notification-channels',
    { schema: { tags, summary: 'List alert channels', response: { 200: channelList } } },
    async (request) => ({ items: await svc.list(callerOf(request).userId) }),
  );

  r.post(
    '/notification-channels',
    {
      schema: {
        tags,
        summary: 'Add an alert channel (a webhook signing secret is shown in this answer only)',
        body: createChannelBody,
        response: { 201: channelWithSecret },
      },
    },
    async (request, reply) => reply.code(201).send(await svc.create(callerOf(request).userId, request.body)),
  );

  r.patch(
    '/notification-channels/:id',
    {
      schema: {
        tags,
        summary: 'Change an alert channel (rotate_secret answers with the new secret, once)',
        params: channelIdParams,
        body: updateChannelBody,
        response: { 200: channelWithSecret },
      },
    },
    async (request) => svc.update(callerOf(request).userId, request.params.id, request.body),
  );

  r.delete(
    '/notification-channels/:id',
    { schema: { tags, summary: 'Remove an alert channel', params: channelIdParams, response: { 204: z.null() } } },
    async (request, reply) => {
      await svc.remove(callerOf(request).userId, request.params.id);
      return reply.code(204).send(null);
    },
  );

  r.post(
    '/notification-channels/:id/test',
    {
      config: { rateLimit: 'expensive' },
      schema: {
        tags,
        summary: 'Send a sample alert to the channel now',
        params: channelIdParams,
        response: { 200: testResult },
      },
    },
    async (request) => svc.test(callerOf(request).userId, request.params.id),
  );
}
