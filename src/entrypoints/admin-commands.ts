import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { createApiKeyService } from '../modules/api-keys/api-keys.service.js';
import { findUserByEmail } from '../modules/auth/auth.repo.js';
import { hashPassword } from '../modules/auth/password.js';
import { insertUser, listUsers, setPasswordHash } from '../modules/users/user-admin.repo.js';
import type { Db } from '../platform/db/client.js';

export class UsageError extends Error {
  override name = 'UsageError';
}

const ROLES = ['owner', 'admin', 'member'] as const;

/** `subscout user create|list|password` */
export async function userCommand(db: Db, args: string[], out: NodeJS.WritableStream): Promise<void> {
  const { positionals, values } = parseArgs({
    args,
    allowPositionals: true,
    options: { role: { type: 'string', default: 'member' }, password: { type: 'string' } },
  });
  const [action, emailArg] = positionals;
  if (action === 'list') {
    for (const u of await listUsers(db)) out.write(`${u.email}\t${u.role}\t${u.createdAt.toISOString()}\n`);
    return;
  }
  if (!emailArg || (action !== 'create' && action !== 'password')) {
    throw new UsageError('usage: subscout user create <email> [--role admin|member] [--password P] | user password <email> | user list');
  }
  const email = emailArg.toLowerCase();
  const role = values.role as (typeof ROLES)[number];
  if (!ROLES.includes(role)) throw new UsageError(`--role must be one of ${ROLES.join(', ')}`);
  const password = values.password ?? randomBytes(12).toString('base64url');
  const hash = await hashPassword(password);
  if (action === 'create') {
    const created = await insertUser(db, { email, role, passwordHash: hash });
    if (!created) throw new UsageError(`a user with email ${email} already exists`);
    out.write(`Created ${role} ${email}${values.password ? '' : ` with password ${password} (shown once)`}\n`);
  } else {
    if (!(await setPasswordHash(db, email, hash))) throw new UsageError(`no user with email ${email}`);
    out.write(`Password of ${email} reset${values.password ? '' : ` to ${password} (shown once)`}\n`);
  }
}

/** `subscout apikey create <email> <name>`: prints the key once. */
export async function apiKeyCommand(db: Db, args: string[], out: NodeJS.WritableStream): Promise<void> {
  const [action, email, ...nameParts] = args;
  if (action !== 'create' || !email || nameParts.length === 0) {
    throw new UsageError('usage: subscout apikey create <email> <name>');
  }
  const user = await findUserByEmail(db, email.toLowerCase());
  if (!user) throw new UsageError(`no user with email ${email}`);
  const key = await createApiKeyService({ db, now: () => new Date() }).create(user.id, nameParts.join(' '));
  out.write(`${key.key}\n(shown once; send it as "Authorization: Bearer <key>")\n`);
}
