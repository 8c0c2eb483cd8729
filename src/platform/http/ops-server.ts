import http from 'node:http';
import type { Metrics } from '../metrics.js';
import { metricsAuthorized } from './metrics-token.js';
import type { ReadinessCheck } from './health.js';

/** The small private port of worker and scraper processes: /metrics, /healthz, /readyz. No public API. */
export async function startOpsServer(
  port: number,
  host: string,
  metrics: Metrics,
  checks: readonly ReadinessCheck[],
  metricsToken?: string,
): Promise<{ port: number; close(): Promise<void> }> {
  const server = http.createServer(async (req, res) => {
    try {
      if (req.url === '/metrics' && !metricsAuthorized(metricsToken, req.headers.authorization)) {
        res.writeHead(401, { 'content-type': 'application/problem+json' });
        res.end('{"status":401,"code":"metrics_token_required","title":"Unauthorized"}');
      } else if (req.url === '/metrics') {
        res.writeHead(200, { 'content-type': metrics.registry.contentType });
        res.end(await metrics.registry.metrics());
      } else if (req.url === '/healthz') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{"status":"ok"}');
      } else if (req.url === '/readyz') {
        const failed: string[] = [];
        for (const c of checks) await c.check().catch(() => failed.push(c.name));
        res.writeHead(failed.length === 0 ? 200 : 503, { 'content-type': 'application/json' });
        res.end(JSON.stringify(failed.length === 0 ? { status: 'ready' } : { status: 'not_ready', failed }));
      } else {
        res.writeHead(404, { 'content-type': 'application/problem+json' });
        res.end('{"status":404,"code":"route_not_found","title":"Not Found"}');
      }
    } catch {
      res.writeHead(500).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(port, host, resolve));
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
