import { and, desc, eq, isNull } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.js';
import { apiKeys } from '../../platform/db/schema.js';

const columns = {
  id: apiKeys.id,
  name: apiKeys.name,
  prefix: apiKeys.prefix,
  lastUsedAt: apiKeys.lastUsedAt,
  revokedAt: apiKeys.revokedAt,
  createdAt: apiKeys.createdAt,
};

export type ApiKeyRow = { id: string; name: string; prefix: string; lastUsedAt: Date | null; revokedAt: Date | null; createdAt: Date };

export async function insertApiKey(
  db: Db,
  row: { userId: string; name: string; prefix: string; keyHash: string },
): Promise<ApiKeyRow> {
  const [created] = await db
    .insert(apiKeys)
    .values({ ...row, kind: 'api' })
    .returning(columns);
  return created!;
}

export async function listApiKeys(db: Db, userId: string): Promise<ApiKeyRow[]> {
  return db
    .select(columns)
    .from(apiKeys)
    .where(and(eq(apiKeys.userId, userId), eq(apiKeys.kind, 'api')))
    .orderBy(desc(apiKeys.createdAt));
}

/** True when the caller's live key was revoked now. */
export async function revokeApiKey(db: Db, userId: string, id: string, now: Date): Promise<boolean> {
  const rows = await db
    .update(apiKeys)
    .set({ revokedAt: now })
    .where(and(eq(apiKeys.id, id), eq(apiKeys.userId, userId), eq(apiKeys.kind, 'api'), isNull(apiKeys.revokedAt)))
    .returning({ id: apiKeys.id });
  return rows.length > 0;
}
