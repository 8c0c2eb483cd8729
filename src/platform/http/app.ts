import { randomUUID } from 'node:crypto';
import cors from '@fastify/cors';
import helmet from '@fastify/helmet';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Logger } from '../logger.js';
import { registerHealthRoutes, type ReadinessCheck } from './health.js';
import { installNulGuard } from './nul-guard.js';
import { installErrorHandling, problem, sendProblem } from './problem.js';


export interface HttpAppOptions {
  log: Logger;
  bodyLimit: number;
  requestTimeoutMs: number;
  corsOrigins: readonly string[];
  readiness: readonly ReadinessCheck[];
  trustProxy?: boolean;
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * The Fastify instance every HTTP process shares: request ids on every log line, problem+json
 * errors, zod validation (NUL characters refused first), security headers, CORS allow-list,
 * health routes. Feature routes are registered by the caller under /api/v1.
 */
export async function createHttpApp(opts: HttpAppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    // pino's Logger is a FastifyBaseLogger; the cast keeps the app's type the default one plugins expect.
    loggerInstance: opts.log as FastifyBaseLogger,
    bodyLimit: opts.bodyLimit,
    requestTimeout: opts.requestTimeoutMs,
    connectionTimeout: opts.requestTimeoutMs,
    // Only behind a proxy that sets X-Forwarded-For may it be believed (per-IP limits, localhost sign-in).
    trustProxy: opts.trustProxy ?? false,
    // Errors Fastify raises before routing (a malformed URL, an over-long path segment) get a problem body too.
    frameworkErrors: (error, _request, reply) => {
      const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 400;
      const code = status === 414 ? 'uri_too_long' : 'bad_request';
      void sendProblem(reply, problem(status, code, 'The request URL is not valid.'));
    },
    // Accept a caller's id (a load balancer's) when it is sane, so one id follows a request across hops.
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    routerOptions: { ignoreTrailingSlash: true },
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installErrorHandling(app);
  installNulGuard(app);
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });

  await app.register(helmet, {
    // TLS ends at the load balancer or reverse proxy; forcing HTTPS here would break plain-HTTP self-hosting.
    hsts: false,
    contentSecurityPolicy: {
      directives: {
        upgradeInsecureRequests: null,
        defaultSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        styleSrc: ["'self'", "'unsafe-inline'"],
        scriptSrc: ["'self'"],
        connectSrc: ["'self'"],
      },
    },
  });
  await app.register(cors, {
    origin: opts.corsOrigins.length > 0 ? [...opts.corsOrigins] : false,
    credentials: true,
    exposedHeaders: ['x-request-id', 'ratelimit-limit', 'ratelimit-remaining', 'ratelimit-reset', 'retry-after'],
  });
  registerHealthRoutes(app, opts.readiness);
  return app;
}
