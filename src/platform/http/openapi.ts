import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';

/**
 * OpenAPI 3.1 built from the routes' zod schemas, served at `<prefix>/openapi.json`, with an
 * interactive page at `<prefix>/docs`. Register inside the versioned scope before its routes,
 * so the document covers exactly those.
 */
export async function registerOpenApi(
  app: FastifyInstance,
  opts: { prefix: string; title: string; version: string; description?: string },
): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: opts.title, version: opts.version, ...(opts.description ? { description: opts.description } : {}) },
      servers: [{ url: '/' }],
      components: {
        securitySchemes: {
          apiKey: { type: 'http', scheme: 'bearer', description: 'An API key: `Authorization: Bearer sk_live_...`' },
          session: { type: 'apiKey', in: 'cookie', name: 'subscout_session' },
        },
      },
      security: [{ apiKey: [] }, { session: [] }],
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });
  app.get('/openapi.json', { config: { public: true, rateLimit: 'off' }, schema: { hide: true } }, async () =>
    app.swagger(),
  );
  await app.register(swaggerUi, {
    routePrefix: '/docs',
    uiConfig: { url: `${opts.prefix}/openapi.json`, deepLinking: true },
    // The page's scripts are files under /docs, so helmet's script-src 'self' allows them.
    staticCSP: false,
    uiHooks: {},
  });
}
