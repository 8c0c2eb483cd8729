import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import type { Queue } from 'bullmq';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { problem, sendProblem } from './problem.js';

export interface QueueDashboardOptions {
  queues: readonly Queue[];
  /** Where the dashboard lives; default /admin/queues. */
  basePath?: string;
  /** The admin gate, run after the app's own authentication hooks. */
  isAdmin(request: FastifyRequest): boolean | Promise<boolean>;
}

/**
 * Mounts the bull-board queue dashboard for admins only. Anyone else gets the same 404 as
 * an unknown route, so the dashboard's existence is not revealed.
 */
export async function registerQueueDashboard(app: FastifyInstance, opts: QueueDashboardOptions): Promise<void> {
  const basePath = opts.basePath ?? '/admin/queues';
  const serverAdapter = new FastifyAdapter();
  serverAdapter.setBasePath(basePath);
  createBullBoard({
    queues: opts.queues.map((q) => new BullMQAdapter(q)),
    serverAdapter,
    options: { uiConfig: { boardTitle: 'Subscout jobs' } },
  });
  await app.register(async (scope) => {
    scope.addHook('preHandler', async (request, reply) => {
      if (await opts.isAdmin(request)) return;
      return sendProblem(reply, problem(404, 'route_not_found', `No route ${request.method} ${request.url.split('?')[0]}.`));
    });
    await scope.register(serverAdapter.registerPlugin(), { prefix: basePath });
  });
}
