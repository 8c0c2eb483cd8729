import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { systemStatus } from './status.schemas.js';
import type { StatusService } from './status.service.js';

export async function statusRoutes(app: FastifyInstance, deps: { status: StatusService }): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/admin/status',
    {
      config: { admin: true },
      schema: {
        tags: ['admin'],
        summary: 'Pipeline health: queue depths, Reddit budget, AI breaker, ingest lag per stream',
        response: { 200: systemStatus },
      },
    },
    async () => deps.status.status(),
  );
}
