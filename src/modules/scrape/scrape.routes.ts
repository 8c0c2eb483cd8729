import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { callerOf } from '../auth/auth.hook.js';
import { scrapeAccepted, scrapeBody, scrapeIdParams, scrapeRequest, toWire } from './scrape.schemas.js';
import type { ScrapeService } from './scrape.service.js';

/** Registered inside the signed-in scope of /api/v1. */
export async function scrapeRoutes(app: FastifyInstance, deps: { scrapes: ScrapeService }): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const svc = deps.scrapes;
  const tags = ['scrapes'];

  r.post(
    '/scrapes',
    {
      config: { rateLimit: 'expensive' },
      schema: {
        tags,
        summary: 'Read a product website and draft a campaign from it (asynchronous)',
        body: scrapeBody,
        response: { 202: scrapeAccepted },
      },
    },
    async (request, reply) => reply.code(202).send(await svc.requestScrape(callerOf(request).userId, request.body.url)),
  );

  r.get(
    '/scrapes/:id',
    {
      schema: {
        tags,
        summary: 'Status of a scrape and, once done, the suggested campaign',
        params: scrapeIdParams,
        response: { 200: scrapeRequest },
      },
    },
    async (request) => toWire(await svc.getScrape(callerOf(request).userId, request.params.id)),
  );
}
