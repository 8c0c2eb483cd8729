import cookie from '@fastify/cookie';
import type { FastifyInstance } from 'fastify';
import { installAuthHook } from '../../src/modules/auth/auth.hook.js';
import { createAuthService } from '../../src/modules/auth/auth.service.js';
import type { Db } from '../../src/platform/db/client.js';
import { createHttpApp } from '../../src/platform/http/app.js';
import type { Logger } from '../../src/platform/logger.js';

/** An app with `routes` mounted as the API mounts them: inside the signed-in scope of /api/v1 (local auth). */
export async function createSignedInApp(
  db: Db,
  log: Logger,
  routes: (signedIn: FastifyInstance) => Promise<void>,
): Promise<FastifyInstance> {
  const auth = createAuthService({ db, mode: 'local', now: () => new Date() });
  const app = await createHttpApp({ log, bodyLimit: 1_048_576, requestTimeoutMs: 10_000, corsOrigins: [], readiness: [] });
  await app.register(
    async (v1) => {
      await v1.register(cookie);
      await v1.register(async (signedIn) => {
        installAuthHook(signedIn, auth);
        await routes(signedIn);
      });
    },
    { prefix: '/api/v1' },
  );
  await app.ready();
  return app;
}
