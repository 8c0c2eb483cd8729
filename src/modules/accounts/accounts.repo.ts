import { and, desc, eq, sql } from 'drizzle-orm';
import { type Db, queryRows } from '../../platform/db/client.js';
import { redditAccounts } from '../../platform/db/schema.js';

export type RedditAccountRow = typeof redditAccounts.$inferSelect;

/** Every column but the sealed token, for lists and checks. */
const publicColumns = {
  id: redditAccounts.id,
  userId: redditAccounts.userId,
  username: redditAccounts.username,
  scope: redditAccounts.scope,
  accountCreatedUtc: redditAccounts.accountCreatedUtc,
  karma: redditAccounts.karma,
  pausedUntil: redditAccounts.pausedUntil,
  createdAt: redditAccounts.createdAt,
};

export type RedditAccountInfo = Omit<RedditAccountRow, 'refreshTokenEnc'>;

export async function listAccounts(db: Db, userId: string): Promise<RedditAccountInfo[]> {
  return db
    .select(publicColumns)
    .from(redditAccounts)
    .where(eq(redditAccounts.userId, userId))
    .orderBy(desc(redditAccounts.createdAt), redditAccounts.id);
}

export async function findAccount(db: Db, userId: string, id: string): Promise<RedditAccountRow | undefined> {
  const [row] = await db
    .select()
    .from(redditAccounts)
    .where(and(eq(redditAccounts.id, id), eq(redditAccounts.userId, userId)));
  return row;
}

/** Connecting the same Reddit account again replaces its token instead of adding a row. */
export async function upsertAccount(
  db: Db,
  row: {
    userId: string;
    username: string;
    refreshTokenEnc: string;
    scope: string;
    accountCreatedUtc: Date | null;
    karma: number | null;
  },
): Promise<RedditAccountInfo> {
  const [saved] = await db
    .insert(redditAccounts)
    .values(row)
    .onConflictDoUpdate({
      target: [redditAccounts.userId, redditAccounts.username],
      set: {
        refreshTokenEnc: row.refreshTokenEnc,
        scope: row.scope,
        accountCreatedUtc: row.accountCreatedUtc,
        karma: row.karma,
      },
    })
    .returning(publicColumns);
  return saved!;
}

export async function deleteAccount(db: Db, userId: string, id: string): Promise<boolean> {
  const gone = await db
    .delete(redditAccounts)
    .where(and(eq(redditAccounts.id, id), eq(redditAccounts.userId, userId)))
    .returning({ id: redditAccounts.id });
  return gone.length > 0;
}

/**
 * Takes the account's next posting slot: when the account is not paused, parks it until
 * `until` and answers null; otherwise answers when it is free again. One statement, so two
 * workers never take the same slot.
 */
export async function takePostingSlot(db: Db, id: string, now: Date, until: Date): Promise<Date | null | 'missing'> {
  const [row] = await queryRows<{ taken: boolean; paused_until: Date | string | null }>(
    db,
    sql`with target as (
          select id, paused_until from reddit_accounts where id = ${id}
        ), taken as (
          update reddit_accounts set paused_until = ${until.toISOString()}::timestamptz
          where id = ${id} and (paused_until is null or paused_until <= ${now.toISOString()}::timestamptz)
          returning id
        )
        select exists(select 1 from taken) as taken, (select paused_until from target) as paused_until
        from target`,
  );
  if (!row) return 'missing';
  if (row.taken) return null;
  return new Date(row.paused_until ?? now);
}

/** Parks the account until `until` unless it is already parked longer. */
export async function pauseAccount(db: Db, id: string, until: Date): Promise<void> {
  await db
    .update(redditAccounts)
    .set({ pausedUntil: sql`greatest(coalesce(${redditAccounts.pausedUntil}, ${until.toISOString()}::timestamptz), ${until.toISOString()}::timestamptz)` })
    .where(eq(redditAccounts.id, id));
}

export async function sealedTokenOf(db: Db, id: string): Promise<string | undefined> {
  const [row] = await db
    .select({ enc: redditAccounts.refreshTokenEnc })
    .from(redditAccounts)
    .where(eq(redditAccounts.id, id));
  return row?.enc;
}
