import { verifyToken } from '@clerk/backend';

export interface ClerkIdentity {
  externalId: string;
  email: string | undefined;
  name: string | undefined;
}

export type ClerkVerifier = (token: string) => Promise<ClerkIdentity | undefined>;

/**
 * Verifies Clerk session tokens locally with the instance's PEM public key (CLERK_JWT_KEY):
 * no network call per request. `email`/`name` are read when the Clerk session token template
 * adds them as claims.
 */
export function createClerkVerifier(opts: { jwtKey: string; authorizedParties: readonly string[] }): ClerkVerifier {
  return async (token) => {
    try {
      const payload = await verifyToken(token, {
        jwtKey: opts.jwtKey,
        ...(opts.authorizedParties.length > 0 ? { authorizedParties: [...opts.authorizedParties] } : {}),
      });
      if (typeof payload.sub !== 'string' || payload.sub === '') return undefined;
      const claims = payload as Record<string, unknown>;
      return {
        externalId: payload.sub,
        email: typeof claims.email === 'string' ? claims.email.toLowerCase() : undefined,
        name: typeof claims.name === 'string' ? claims.name : undefined,
      };
    } catch {
      return undefined;
    }
  };
}
