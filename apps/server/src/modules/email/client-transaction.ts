import { drizzle } from 'drizzle-orm/node-postgres';
import type pg from 'pg';
import { openBeforeCommitQueue, runAfterCommit, runBeforeCommit } from '../../platform/db/before-commit.ts';
import type { Db } from '../../platform/db/client.ts';

/**
 * A transaction on one pooled connection, exposed both as Drizzle (`tx`) and as the raw client, so that a
 * pg-boss job can be sent inside the same transaction as the rows that need it (the outbox pattern).
 */
export async function withClientTransaction<T>(
  pool: pg.Pool,
  fn: (t: { tx: Db; client: pg.PoolClient }) => Promise<T>,
): Promise<T> {
  const client = await pool.connect();
  let released = false;
  try {
    await client.query('BEGIN');
    try {
      const tx = drizzle(client) as unknown as Db;
      openBeforeCommitQueue(tx);
      const result = await fn({ tx, client });
      await runBeforeCommit(tx);
      await client.query('COMMIT');
      // the connection is out of the transaction now: after-commit work (NOTIFYs of its events) runs on it
      await runAfterCommit(tx, tx);
      return result;
    } catch (err) {
      try {
        await client.query('ROLLBACK');
      } catch (rollbackErr) {
        // the connection is broken (server restart): throw it away rather than returning it to the pool
        client.release(rollbackErr as Error);
        released = true;
      }
      throw err;
    }
  } finally {
    if (!released) client.release();
  }
}
