import type { FastifyInstance } from 'fastify';

/** A dependency the process needs to serve traffic; `check` throws when it is unreachable. */
export interface ReadinessCheck {
  name: string;
  check(): Promise<void>;
}

const CHECK_TIMEOUT_MS = 1_500;

function withTimeout(p: Promise<void>, ms: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    p.then(
      () => {
        clearTimeout(timer);
        resolve();
      },
      (e: unknown) => {
        clearTimeout(timer);
        reject(e);
      },
    );
  });
}

/** /healthz: the process is alive. /readyz: every dependency answers; 503 names the ones that don't. */
export function registerHealthRoutes(app: FastifyInstance, checks: readonly ReadinessCheck[]): void {
  app.get('/healthz', { logLevel: 'warn' }, async () => ({ status: 'ok' }));
  app.get('/readyz', { logLevel: 'warn' }, async (request, reply) => {
    const results = await Promise.all(
      checks.map(async (c) => {
        try {
          await withTimeout(c.check(), CHECK_TIMEOUT_MS);
          return { name: c.name, ok: true as const };
        } catch (e) {
          request.log.warn({ dependency: c.name, err: e }, 'readiness check failed');
          return { name: c.name, ok: false as const };
        }
      }),
    );
    const failed = results.filter((r) => !r.ok).map((r) => r.name);
    const checksBody = Object.fromEntries(results.map((r) => [r.name, r.ok ? 'ok' : 'unreachable']));
    if (failed.length === 0) return { status: 'ready', checks: checksBody };
    return reply
      .code(503)
      .type('application/problem+json')
      .send({
        type: 'https://subscout.dev/problems/not_ready',
        title: 'Service Unavailable',
        status: 503,
        code: 'not_ready',
        detail: `Not ready: ${failed.join(', ')} unreachable.`,
        failed,
        checks: checksBody,
      });
  });
}
