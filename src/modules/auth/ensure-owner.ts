import { randomBytes } from 'node:crypto';
import type { Env } from '../../config/env.js';
import type { Db } from '../../platform/db/client.js';
import { insertOwnerIfNone } from './auth.repo.js';
import { hashPassword } from './password.js';

/**
 * Creates the owner account (OWNER_EMAIL) on first run. Returns the generated password the
 * one time it is created, so the caller can print it once; later runs return `created: false`.
 */
export async function ensureOwner(
  db: Db,
  env: Pick<Env, 'OWNER_EMAIL' | 'AUTH_MODE'>,
): Promise<{ created: boolean; email: string; password?: string }> {
  const email = env.OWNER_EMAIL.toLowerCase();
  if (env.AUTH_MODE === 'clerk') {
    const created = await insertOwnerIfNone(db, email, null);
    return { created, email };
  }
  const password = randomBytes(12).toString('base64url');
  const created = await insertOwnerIfNone(db, email, await hashPassword(password));
  return created ? { created, email, password } : { created, email };
}
