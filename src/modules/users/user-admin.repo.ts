import { eq } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.js';
import { users } from '../../platform/db/schema.js';

/** Operator commands (subscout user ...): create a user or reset a password by email. */
export async function insertUser(
  db: Db,
  u: { email: string; role: 'owner' | 'admin' | 'member'; passwordHash: string | null },
): Promise<{ id: string } | undefined> {
  const [row] = await db
    .insert(users)
    .values({ email: u.email, role: u.role, passwordHash: u.passwordHash })
    .onConflictDoNothing()
    .returning({ id: users.id });
  return row;
}

export async function setPasswordHash(db: Db, email: string, passwordHash: string): Promise<boolean> {
  const rows = await db
    .update(users)
    .set({ passwordHash, updatedAt: new Date() })
    .where(eq(users.email, email))
    .returning({ id: users.id });
  return rows.length > 0;
}

export async function listUsers(db: Db): Promise<{ email: string; role: string; createdAt: Date }[]> {
  return db.select({ email: users.email, role: users.role, createdAt: users.createdAt }).from(users).orderBy(users.createdAt);
}
