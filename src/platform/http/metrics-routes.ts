import type { FastifyInstance } from 'fastify';
import { AppError } from '../errors.js';
import type { Metrics } from '../metrics.js';
import { metricsAuthorized } from './metrics-token.js';

/**
 * Times every request by its route pattern (not its URL, to keep label cardinality bounded)
 * and serves /metrics, behind `token` when one is set (see metricsAuthorized).
 */
export function registerMetrics(app: FastifyInstance, metrics: Metrics, token?: string): void {
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    if (route === '/metrics') return;
    metrics.httpDuration.observe(
      { method: request.method, route, status: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
  });
  app.get('/metrics', { logLevel: 'warn' }, async (request, reply) => {
    if (!metricsAuthorized(token, request.headers.authorization)) {
      throw new AppError(401, 'metrics_token_required', 'Send the metrics token (METRICS_TOKEN) as a Bearer token.');
    }
    reply.type(metrics.registry.contentType);
    return metrics.registry.metrics();
  });
}
