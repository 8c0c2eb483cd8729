import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { callerOf } from '../auth/auth.hook.js';
import {
  bulkStatusBody,
  bulkStatusResult,
  draftBody,
  feedbackBody,
  inboxPage,
  inboxQuery,
  leadDetail,
  leadFilters,
  leadIdParams,
  reply,
  statusBody,
} from './leads.schemas.js';
import type { LeadService } from './leads.service.js';

export async function leadRoutes(app: FastifyInstance, deps: { leads: LeadService }): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const svc = deps.leads;
  const tags = ['leads'];

  r.get(
    '/leads',
    {
      schema: {
        tags,
        summary: 'Inbox: filtered, sorted, keyset-paginated leads',
        querystring: inboxQuery,
        response: { 200: inboxPage },
      },
    },
    async (request) => svc.inbox(callerOf(request).userId, request.query),
  );

  r.get(
    '/leads/export.csv',
    {
      config: { rateLimit: 'expensive' },
      schema: {
        tags,
        summary: 'Every lead matching the filters, as CSV (streamed)',
        querystring: leadFilters,
        produces: ['text/csv'],
      },
    },
    async (request, reply) => {
      const stream = await svc.exportCsv(callerOf(request).userId, request.query);
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', 'attachment; filename="subscout-leads.csv"')
        .send(stream);
    },
  );

  r.post(
    '/leads/bulk-status',
    {
      schema: {
        tags,
        summary: 'Set the status of many leads at once',
        body: bulkStatusBody,
        response: { 200: bulkStatusResult },
      },
    },
    async (request) => svc.setStatusBulk(callerOf(request).userId, request.body.ids, request.body.status),
  );

  r.get(
    '/leads/:id',
    {
      schema: {
        tags,
        summary: 'A lead with its Reddit item, score, reasons and drafts',
        params: leadIdParams,
        response: { 200: leadDetail },
      },
    },
    async (request) => svc.get(callerOf(request).userId, request.params.id),
  );

  r.patch(
    '/leads/:id',
    {
      schema: {
        tags,
        summary: "Set a lead's status",
        params: leadIdParams,
        body: statusBody,
        response: { 200: leadDetail },
      },
    },
    async (request) => svc.setStatus(callerOf(request).userId, request.params.id, request.body.status),
  );

  r.post(
    '/leads/:id/feedback',
    {
      schema: {
        tags,
        summary: 'Good lead / bad lead, kept for tuning',
        params: leadIdParams,
        body: feedbackBody,
        response: { 200: leadDetail },
      },
    },
    async (request) =>
      svc.feedback(callerOf(request).userId, request.params.id, request.body.feedback, request.body.note),
  );

  r.post(
    '/leads/:id/draft',
    {
      config: { rateLimit: 'expensive' },
      schema: {
        tags,
        summary: 'Write an AI reply draft for a lead (nothing is posted)',
        params: leadIdParams,
        body: draftBody,
        response: { 201: reply },
      },
    },
    async (request, res) =>
      res.code(201).send(await svc.draft(callerOf(request).userId, request.params.id, request.body.instructions)),
  );
}
