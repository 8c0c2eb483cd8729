import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiKeyCommand, UsageError, userCommand } from '../src/entrypoints/admin-commands.js';
import { findKeyOwner, findUserByEmail } from '../src/modules/auth/auth.repo.js';
import { verifyPassword } from '../src/modules/auth/password.js';
import { hashKey } from '../src/modules/auth/tokens.js';
import { createTestDatabase, type TestDatabase } from './helpers/services.js';

function capture(): { out: PassThrough; text: () => string } {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  return { out, text: () => Buffer.concat(chunks).toString('utf8') };
}

describe('operator commands (subscout user / apikey)', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(async () => {
    await t?.drop();
  });

  it('when a user is created without a password, then one is generated, printed once and accepted at sign-in', async () => {
    const { db } = t.database;
    const c = capture();
    await userCommand(db, ['create', 'Ops@Example.com', '--role', 'admin'], c.out);
    const password = /with password (\S+) \(shown once\)/.exec(c.text())?.[1];
    expect(password).toBeDefined();
    const user = await findUserByEmail(db, 'ops@example.com');
    expect(user?.role).toBe('admin');
    expect(await verifyPassword(password!, user?.passwordHash ?? null)).toBe(true);
  });

  it('when the email exists or the role is unknown, then a usage error says so and nothing changes', async () => {
    const { db } = t.database;
    await expect(userCommand(db, ['create', 'ops@example.com'], capture().out)).rejects.toThrow(/already exists/);
    await expect(userCommand(db, ['create', 'x@example.com', '--role', 'god'], capture().out)).rejects.toThrow(UsageError);
    expect(await findUserByEmail(db, 'x@example.com')).toBeUndefined();
  });

  it('when an API key is created for a user, then the printed key authenticates as that user', async () => {
    const { db } = t.database;
    const c = capture();
    await apiKeyCommand(db, ['create', 'ops@example.com', 'nightly', 'export'], c.out);
    const key = c.text().split('\n')[0]!;
    expect(key).toMatch(/^sk_live_/);
    const owner = await findKeyOwner(db, hashKey(key));
    expect(owner).toBeDefined();
    const user = await findUserByEmail(db, 'ops@example.com');
    expect(JSON.stringify(owner)).toContain(user!.id);
  });
});
