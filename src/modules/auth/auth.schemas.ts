import { z } from 'zod';
import { profile } from '../users/users.schemas.js';

export const loginBody = z.object({
  email: z.string().trim().toLowerCase().max(320).pipe(z.email()),
  password: z.string().min(1).max(1000),
});

export const sessionView = z.object({
  mode: z.enum(['local', 'clerk']),
  authenticated: z.boolean(),
  user: profile.nullable(),
});
export type SessionView = z.infer<typeof sessionView>;
