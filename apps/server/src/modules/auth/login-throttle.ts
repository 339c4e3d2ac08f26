import { eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/client.ts';
import { loginThrottles } from '../../platform/db/schema/index.ts';

/** Five failed sign-ins for one email, each within 15 minutes of the previous, lock that email for 15 minutes. */
export const MAX_LOGIN_FAILURES = 5;
export const FAILURE_WINDOW_MS = 15 * 60 * 1000;
export const LOCKOUT_MS = 15 * 60 * 1000;

/** Seconds until the lock on this email lifts, or 0 when it is not locked. Works the same for unknown emails. */
export async function lockedForSeconds(db: DbOrTx, emailKey: string, now: Date): Promise<number> {
  const [row] = await db
    .select({ lockedUntil: loginThrottles.lockedUntil })
    .from(loginThrottles)
    .where(eq(loginThrottles.emailKey, emailKey));
  if (!row?.lockedUntil || row.lockedUntil.getTime() <= now.getTime()) return 0;
  return Math.ceil((row.lockedUntil.getTime() - now.getTime()) / 1000);
}

/**
 * Counts one failure atomically (one upsert, safe under concurrent attempts). The count starts over when the
 * previous failure is older than the window; reaching the limit sets the lock.
 */
export async function recordLoginFailure(
  db: DbOrTx,
  emailKey: string,
  now: Date,
): Promise<{ failures: number; locked: boolean }> {
  const windowStart = new Date(now.getTime() - FAILURE_WINDOW_MS);
  const lockUntil = new Date(now.getTime() + LOCKOUT_MS);
  const next = sql`CASE WHEN ${loginThrottles.updatedAt} < ${windowStart} THEN 1 ELSE ${loginThrottles.failures} + 1 END`;
  const [row] = await db
    .insert(loginThrottles)
    .values({ emailKey, failures: 1, lockedUntil: null, updatedAt: now })
    .onConflictDoUpdate({
      target: loginThrottles.emailKey,
      set: {
        failures: next,
        lockedUntil: sql`CASE WHEN ${next} >= ${MAX_LOGIN_FAILURES} THEN ${lockUntil}::timestamptz ELSE NULL END`,
        updatedAt: now,
      },
    })
    .returning({ failures: loginThrottles.failures, lockedUntil: loginThrottles.lockedUntil });
  return { failures: row?.failures ?? 1, locked: row?.lockedUntil != null };
}

export async function clearLoginFailures(db: DbOrTx, emailKey: string): Promise<void> {
  await db.delete(loginThrottles).where(eq(loginThrottles.emailKey, emailKey));
}
