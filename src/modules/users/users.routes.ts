import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { callerOf } from '../auth/auth.hook.js';
import { me, planOverrideBody, planOverrideResult, userIdParams } from './users.schemas.js';
import type { UserService } from './users.service.js';

export async function userRoutes(app: FastifyInstance, deps: { users: UserService }): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/me',
    { schema: { tags: ['me'], summary: 'Profile, plan limits and usage', response: { 200: me } } },
    async (request) => deps.users.me(callerOf(request).userId),
  );

  r.patch(
    '/admin/users/:id/plan',
    {
      config: { admin: true },
      schema: {
        tags: ['admin'],
        summary: "Set a user's plan overrides (null: back to the defaults)",
        params: userIdParams,
        body: planOverrideBody,
        response: { 200: planOverrideResult },
      },
    },
    async (request) => deps.users.setPlan(request.params.id, request.body),
  );
}
