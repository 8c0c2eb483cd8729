import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { subredditSuggestions, suggestQuery } from './subreddits.schemas.js';
import type { SubredditService } from './subreddits.service.js';

export async function subredditRoutes(app: FastifyInstance, deps: { subreddits: SubredditService }): Promise<void> {
  app.withTypeProvider<ZodTypeProvider>().get(
    '/subreddits/suggest',
    {
      schema: {
        tags: ['campaigns'],
        summary: 'Subreddit suggestions for a campaign, as the user types',
        querystring: suggestQuery,
        response: { 200: subredditSuggestions },
      },
    },
    async (request) => deps.subreddits.suggest(request.query.q),
  );
}
