import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/client.ts';

/**
 * Transaction-scoped advisory locks that serialise decisions about who the staff are:
 * first-run setup (exactly one first admin) and anything that could remove the last active admin.
 * Both use the same lock, so a setup can never interleave with a role change either.
 */
export async function lockStaffRoster(tx: DbOrTx): Promise<void> {
  await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtext('seva:staff-roster'))`);
}
