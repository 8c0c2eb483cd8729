import { and, eq, isNull, lt, or, sql } from 'drizzle-orm';
import { type Db, queryRows } from '../../platform/db/client.js';
import { apiKeys, users } from '../../platform/db/schema.js';

export interface KeyOwner {
  keyId: string;
  kind: 'api' | 'session';
  expiresAt: Date | null;
  lastUsedAt: Date | null;
  userId: string;
  email: string;
  role: 'owner' | 'admin' | 'member';
}

/** A live (not revoked) key and its user, by hash. Expiry is the caller's to judge (it owns the clock). */
export async function findKeyOwner(db: Db, keyHash: string): Promise<KeyOwner | undefined> {
  const [row] = await db
    .select({
      keyId: apiKeys.id,
      kind: apiKeys.kind,
      expiresAt: apiKeys.expiresAt,
      lastUsedAt: apiKeys.lastUsedAt,
      userId: users.id,
      email: users.email,
      role: users.role,
    })
    .from(apiKeys)
    .innerJoin(users, eq(users.id, apiKeys.userId))
    .where(and(eq(apiKeys.keyHash, keyHash), isNull(apiKeys.revokedAt)))
    .limit(1);
  return row;
}

/** Records use at most once per minute per key, so hot keys do not write on every request. */
export async function touchKey(db: Db, keyId: string, now: Date): Promise<void> {
  const minuteAgo = new Date(now.getTime() - 60_000);
  await db
    .update(apiKeys)
    .set({ lastUsedAt: now })
    .where(and(eq(apiKeys.id, keyId), or(isNull(apiKeys.lastUsedAt), lt(apiKeys.lastUsedAt, minuteAgo))));
}

export async function insertSessionKey(
  db: Db,
  row: { userId: string; prefix: string; keyHash: string; expiresAt: Date },
): Promise<void> {
  await db.insert(apiKeys).values({ ...row, kind: 'session', name: 'dashboard session' });
}

export async function revokeSessionByHash(db: Db, keyHash: string, now: Date): Promise<void> {
  await db
    .update(apiKeys)
    .set({ revokedAt: now })
    .where(and(eq(apiKeys.keyHash, keyHash), eq(apiKeys.kind, 'session'), isNull(apiKeys.revokedAt)));
}

export async function findUserByEmail(db: Db, email: string) {
  const [row] = await db.select().from(users).where(eq(users.email, email)).limit(1);
  return row;
}

export async function findOwner(db: Db) {
  const [row] = await db.select().from(users).where(eq(users.role, 'owner')).orderBy(users.createdAt).limit(1);
  return row;
}

/** Creates the owner unless one exists; safe when two processes start together. */
export async function insertOwnerIfNone(db: Db, email: string, passwordHash: string | null): Promise<boolean> {
  const rows = await queryRows<{ id: string }>(
    db,
    sql`insert into users (email, role, password_hash)
        select ${email}, 'owner', ${passwordHash}
        where not exists (select 1 from users where role = 'owner')
        on conflict (email) do nothing
        returning id`,
  );
  return rows.length > 0;
}

/** Find-or-create by Clerk id in one statement (concurrent first requests create one user). */
export async function upsertExternalUser(
  db: Db,
  u: { externalId: string; email: string; name: string | null },
): Promise<{ id: string; email: string; role: 'owner' | 'admin' | 'member' }> {
  const [row] = await db
    .insert(users)
    .values({ externalId: u.externalId, email: u.email, name: u.name })
    .onConflictDoUpdate({ target: users.externalId, set: { externalId: sql`excluded.external_id` } })
    .returning({ id: users.id, email: users.email, role: users.role });
  return row!;
}

export async function findUserByExternalId(db: Db, externalId: string) {
  const [row] = await db
    .select({ id: users.id, email: users.email, role: users.role })
    .from(users)
    .where(eq(users.externalId, externalId))
    .limit(1);
  return row;
}
