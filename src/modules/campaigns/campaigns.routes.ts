import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { callerOf } from '../auth/auth.hook.js';
import {
  campaign,
  campaignIdParams,
  campaignInput,
  campaignList,
  campaignListQuery,
  campaignPatch,
  campaignStats,
  previewBody,
  previewResult,
  statsQuery,
} from './campaigns.schemas.js';
import type { CampaignService } from './campaigns.service.js';

export async function campaignRoutes(app: FastifyInstance, deps: { campaigns: CampaignService }): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const svc = deps.campaigns;
  const tags = ['campaigns'];

  r.post(
    '/campaigns',
    { schema: { tags, summary: 'Create a campaign', body: campaignInput, response: { 201: campaign } } },
    async (request, reply) => reply.code(201).send(await svc.create(callerOf(request).userId, request.body)),
  );

  r.get(
    '/campaigns',
    { schema: { tags, summary: 'List campaigns', querystring: campaignListQuery, response: { 200: campaignList } } },
    async (request) => ({ items: await svc.list(callerOf(request).userId, request.query.include_deleted) }),
  );

  r.post(
    '/campaigns/preview',
    {
      config: { rateLimit: 'expensive' },
      schema: {
        tags,
        summary: 'Run rules over recent items without saving',
        body: previewBody,
        response: { 200: previewResult },
      },
    },
    async (request) => svc.preview(callerOf(request).userId, request.body),
  );

  r.get(
    '/campaigns/:id',
    { schema: { tags, summary: 'Get a campaign', params: campaignIdParams, response: { 200: campaign } } },
    async (request) => svc.get(callerOf(request).userId, request.params.id),
  );

  r.patch(
    '/campaigns/:id',
    {
      schema: { tags, summary: 'Update a campaign', params: campaignIdParams, body: campaignPatch, response: { 200: campaign } },
    },
    async (request) => svc.update(callerOf(request).userId, request.params.id, request.body),
  );

  r.post(
    '/campaigns/:id/pause',
    { schema: { tags, summary: 'Pause a campaign', params: campaignIdParams, response: { 200: campaign } } },
    async (request) => svc.pause(callerOf(request).userId, request.params.id),
  );

  r.post(
    '/campaigns/:id/resume',
    { schema: { tags, summary: 'Resume a campaign', params: campaignIdParams, response: { 200: campaign } } },
    async (request) => svc.resume(callerOf(request).userId, request.params.id),
  );

  r.delete(
    '/campaigns/:id',
    {
      schema: {
        tags,
        summary: 'Delete a campaign (restorable for 30 days)',
        params: campaignIdParams,
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      await svc.remove(callerOf(request).userId, request.params.id);
      return reply.code(204).send(null);
    },
  );

  r.post(
    '/campaigns/:id/restore',
    { schema: { tags, summary: 'Restore a deleted campaign', params: campaignIdParams, response: { 200: campaign } } },
    async (request) => svc.restore(callerOf(request).userId, request.params.id),
  );

  r.get(
    '/campaigns/:id/stats',
    {
      schema: {
        tags,
        summary: 'Leads per day, score histogram, intents, top subreddits',
        params: campaignIdParams,
        querystring: statsQuery,
        response: { 200: campaignStats },
      },
    },
    async (request) => svc.stats(callerOf(request).userId, request.params.id, request.query.days),
  );
}
