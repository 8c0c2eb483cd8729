import { and, asc, count, eq } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.js';
import { notificationChannels } from '../../platform/db/schema.js';

export interface ChannelRow {
  id: string;
  kind: 'email' | 'slack' | 'discord' | 'webhook';
  target: string;
  secretEnc: string | null;
  mode: 'instant' | 'digest';
  minScore: number | null;
  enabled: boolean;
  lastError: string | null;
  failingSince: Date | null;
  createdAt: Date;
}

export type NewChannel = Omit<ChannelRow, 'id' | 'createdAt' | 'lastError' | 'failingSince'>;
export type ChannelPatch = Partial<Pick<ChannelRow, 'target' | 'secretEnc' | 'mode' | 'minScore' | 'enabled'>>;

const columns = {
  id: notificationChannels.id,
  kind: notificationChannels.kind,
  target: notificationChannels.target,
  secretEnc: notificationChannels.secretEnc,
  mode: notificationChannels.mode,
  minScore: notificationChannels.minScore,
  enabled: notificationChannels.enabled,
  lastError: notificationChannels.lastError,
  failingSince: notificationChannels.failingSince,
  createdAt: notificationChannels.createdAt,
};

const owned = (userId: string, id: string) => and(eq(notificationChannels.id, id), eq(notificationChannels.userId, userId));

export async function listChannels(db: Db, userId: string): Promise<ChannelRow[]> {
  return db
    .select(columns)
    .from(notificationChannels)
    .where(eq(notificationChannels.userId, userId))
    .orderBy(asc(notificationChannels.createdAt), asc(notificationChannels.id));
}

export async function countChannels(db: Db, userId: string): Promise<number> {
  const [row] = await db.select({ n: count() }).from(notificationChannels).where(eq(notificationChannels.userId, userId));
  return row?.n ?? 0;
}

export async function findChannel(db: Db, userId: string, id: string): Promise<ChannelRow | undefined> {
  const [row] = await db.select(columns).from(notificationChannels).where(owned(userId, id));
  return row;
}

export async function insertChannel(db: Db, userId: string, row: NewChannel, at: Date): Promise<ChannelRow> {
  const [created] = await db
    .insert(notificationChannels)
    .values({ ...row, userId, createdAt: at })
    .returning(columns);
  return created!;
}

export async function updateChannel(db: Db, userId: string, id: string, patch: ChannelPatch): Promise<ChannelRow | undefined> {
  if (Object.keys(patch).length === 0) return findChannel(db, userId, id);
  // A new address starts with a clean record: the old one's failures say nothing about it.
  const health = patch.target !== undefined ? { lastError: null, failingSince: null } : {};
  const [row] = await db
    .update(notificationChannels)
    .set({ ...patch, ...health })
    .where(owned(userId, id))
    .returning(columns);
  return row;
}

/** Deliveries go with the channel (ON DELETE CASCADE). */
export async function deleteChannel(db: Db, userId: string, id: string): Promise<boolean> {
  const rows = await db.delete(notificationChannels).where(owned(userId, id)).returning({ id: notificationChannels.id });
  return rows.length > 0;
}
