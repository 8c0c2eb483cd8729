import type { FastifyInstance } from 'fastify';
import type { Infrastructure } from './infrastructure.js';

/** Mounts every feature's routes under /api/v1. */
export async function registerRoutes(app: FastifyInstance, _infra: Infrastructure): Promise<void> {
  await app.register(
    async (v1) => {
      v1.get('/', async () => ({ name: 'subscout', apiVersion: 'v1' }));
    },
    { prefix: '/api/v1' },
  );
}
