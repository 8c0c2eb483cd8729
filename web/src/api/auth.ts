import { ApiError, request } from './client.js';
import { z } from 'zod';
import { type Me, meSchema, sessionSchema, type User, userSchema } from './schemas.js';

export type AuthMode = 'local' | 'clerk';

export interface SignedOut {
  mode: AuthMode;
  clerkPublishableKey?: string;
}

const sessionAnswer = z.object({
  mode: z.enum(['local', 'clerk']).catch('local'),
  authenticated: z.boolean(),
  user: userSchema.nullish(),
  clerkPublishableKey: z.string().nullish(),
});

/** The signed-in user, or how to sign in. In local mode from localhost the server signs the owner in here. */
export async function getSession(): Promise<{ user: User } | { signedOut: SignedOut }> {
  try {
    const s = await request('/auth/session', { schema: sessionAnswer });
    if (s.authenticated && s.user) return { user: s.user };
    return { signedOut: { mode: s.mode, clerkPublishableKey: s.clerkPublishableKey ?? undefined } };
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) return { signedOut: { mode: 'local' } };
    throw e;
  }
}

export const login = (email: string, password: string) =>
  request('/auth/login', { method: 'POST', body: { email, password }, schema: sessionSchema });

export const logout = () => request('/auth/logout', { method: 'POST' });

export const getMe = (): Promise<Me> => request('/me', { schema: meSchema });

/** Clerk's hosted sign-in page (Account Portal), derived from the publishable key's frontend API host. */
export function clerkSignInUrl(publishableKey: string, returnTo: string): string | undefined {
  const encoded = publishableKey.split('_')[2];
  if (!encoded) return undefined;
  let host: string;
  try {
    host = atob(encoded).replace(/\$$/, '');
  } catch {
    return undefined;
  }
  // clerk.example.com -> accounts.example.com; foo-12.clerk.accounts.dev -> foo-12.accounts.dev
  const portal = host.startsWith('clerk.') ? `accounts.${host.slice('clerk.'.length)}` : host.replace('.clerk.', '.');
  return `https://${portal}/sign-in?redirect_url=${encodeURIComponent(returnTo)}`;
}
