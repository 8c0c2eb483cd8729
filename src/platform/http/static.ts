import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';

export interface DashboardOptions {
  /** The dashboard's build folder (web/dist), holding index.html and assets/. */
  root: string;
}

/** Paths that belong to the server, never to the single-page app. */
const SERVER_PREFIXES = ['/api/', '/healthz', '/readyz', '/metrics', '/docs', '/admin/queues'];

/** The last path segment looks like a file (has an extension): a missing asset, not a page. */
const LOOKS_LIKE_FILE = /\/[^/]+\.[A-Za-z0-9]{1,8}$/;

function isServerPath(pathname: string): boolean {
  return SERVER_PREFIXES.some((p) => pathname === p.replace(/\/$/, '') || pathname.startsWith(p));
}

function isAppRoute(pathname: string): boolean {
  return !isServerPath(pathname) && !LOOKS_LIKE_FILE.test(pathname);
}

/**
 * Serves the dashboard's built files and answers every other GET page route with index.html,
 * so deep links (/leads/123) survive a reload. API paths and missing assets keep the app's
 * problem+json 404. Hashed assets are cached for a year; index.html is revalidated each time
 * so a deploy is picked up at once.
 */
export async function registerDashboard(app: FastifyInstance, opts: DashboardOptions): Promise<void> {
  const indexFile = join(opts.root, 'index.html');
  if (!existsSync(indexFile)) {
    app.log.warn({ root: opts.root }, 'dashboard is not built (npm run build:web); serving a placeholder');
    app.get('/', async (_request, reply) =>
      reply
        .type('text/html; charset=utf-8')
        .send(
          '<!doctype html><title>Subscout</title><p>The dashboard is not built yet. Run <code>npm run build:web</code> and restart.</p>',
        ),
    );
    return;
  }

  await app.register(fastifyStatic, {
    root: opts.root,
    prefix: '/',
    // One route per built file: the catch-all below is ours, for the SPA fallback.
    wildcard: false,
    index: false,
    setHeaders(res, path) {
      const immutable = path.startsWith(join(opts.root, 'assets'));
      res.header('cache-control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });

  const sendIndex = (reply: FastifyReply) => {
    reply.header('cache-control', 'no-cache');
    return reply.sendFile('index.html');
  };

  app.get('/', (_request, reply) => sendIndex(reply));
  app.get('/*', (request, reply) => {
    const pathname = request.url.split('?')[0] ?? '/';
    // A file built after start-up (a rebuild without a restart): send it from the root; send refuses to leave it.
    if (LOOKS_LIKE_FILE.test(pathname) && !isServerPath(pathname)) {
      let file: string;
      try {
        file = decodeURIComponent(pathname.slice(1));
      } catch {
        return reply.callNotFound();
      }
      return reply.sendFile(file);
    }
    if (!isAppRoute(pathname)) return reply.callNotFound();
    return sendIndex(reply);
  });
}
