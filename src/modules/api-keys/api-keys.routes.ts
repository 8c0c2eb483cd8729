import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { callerOf } from '../auth/auth.hook.js';
import { apiKeyIdParams, apiKeyList, createApiKeyBody, createdApiKey } from './api-keys.schemas.js';
import type { ApiKeyService } from './api-keys.service.js';

export async function apiKeyRoutes(app: FastifyInstance, deps: { apiKeys: ApiKeyService }): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post(
    '/api-keys',
    {
      schema: {
        tags: ['api-keys'],
        summary: 'Create an API key (the key is shown in this answer only)',
        body: createApiKeyBody,
        response: { 201: createdApiKey },
      },
    },
    async (request, reply) => reply.code(201).send(await deps.apiKeys.create(callerOf(request).userId, request.body.name)),
  );

  r.get(
    '/api-keys',
    { schema: { tags: ['api-keys'], summary: 'List API keys', response: { 200: apiKeyList } } },
    async (request) => ({ items: await deps.apiKeys.list(callerOf(request).userId) }),
  );

  r.delete(
    '/api-keys/:id',
    {
      schema: { tags: ['api-keys'], summary: 'Revoke an API key', params: apiKeyIdParams, response: { 204: z.null() } },
    },
    async (request, reply) => {
      await deps.apiKeys.revoke(callerOf(request).userId, request.params.id);
      return reply.code(204).send(null);
    },
  );
}
