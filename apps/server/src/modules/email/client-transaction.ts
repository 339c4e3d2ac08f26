import { drizzle } from 'drizzle-orm/node-postgres';
import type pg from 'pg';
import { openBeforeCommitQueue, runAfterCommit, runBeforeCommit } from '../../platform/db/before-commit.ts';
import type { Db } from '../../platform/db/client.ts';

let savepoints = 0;

/**
 * A Drizzle handle on `client` inside a transaction whose `transaction()` is a savepoint, as it is on Drizzle's own
 * transaction objects. Drizzle's `transaction()` on a handle bound to a client would send BEGIN … COMMIT: inside our
 * transaction that COMMIT ends it half-way (PostgreSQL only warns about the BEGIN), and a failure's ROLLBACK throws
 * away everything before it — so a trigger whose actions run in a savepoint (automations/run-rules.ts) committed an
 * email's ticket early, and a failing one lost it. Each savepoint gets a handle of its own, as Drizzle's do, so work
 * keyed by the transaction (before-commit queues, a new ticket's snapshot) does not follow into it.
 */
function clientHandle(client: pg.PoolClient): Db {
  const handle = drizzle(client) as unknown as Db;
  handle.transaction = (async (run: (sp: Db) => Promise<unknown>) => {
    savepoints += 1;
    const name = `seva_sp_${savepoints}`;
    await client.query(`SAVEPOINT ${name}`);
    try {
      const result = await run(clientHandle(client));
      await client.query(`RELEASE SAVEPOINT ${name}`);
      return result;
    } catch (err) {
      await client.query(`ROLLBACK TO SAVEPOINT ${name}`);
      throw err;
    }
  }) as Db['transaction'];
  return handle;
}

/**
 * A transaction on one pooled connection, exposed both as Drizzle (`tx`) and as the raw client, so that a
 * pg-boss job can be sent inside the same transaction as the rows that need it (the outbox pattern). Nested
 * `tx.transaction()` calls are savepoints.
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
      const tx = clientHandle(client);
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
