import { drizzle } from 'drizzle-orm/node-postgres';
import type pg from 'pg';
import {
  openBeforeCommitQueue,
  reportFollowerFailure,
  runAfterCommit,
  runBeforeCommit,
  takeCommitStatements,
} from './before-commit.ts';
import type { Db } from './client.ts';

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
 * The statements that follow a COMMIT are NOTIFYs: their only failure after a successful COMMIT is a full
 * notification queue (program_limit_exceeded, raised when their own implicit transaction commits); a payload too
 * long is refused before it is queued (events.ts). A COMMIT that fails is a serialisation failure, a constraint
 * checked at commit, or a lost connection — never that code, since the committing transaction notifies nothing.
 */
function committedButFollowerFailed(err: unknown): boolean {
  return (err as { code?: string } | null)?.code === '54000';
}

/**
 * A transaction on one pooled connection, exposed both as Drizzle (`tx`) and as the raw client, so that a
 * pg-boss job can be sent inside the same transaction as the rows that need it (the outbox pattern). Every
 * top-level `db.transaction()` is one too (client.ts). Nested `tx.transaction()` calls are savepoints.
 *
 * The COMMIT goes out in one simple query with the statements queued to follow it (before-commit.ts
 * `afterCommitStatement`: the NOTIFY of the transaction's events), which PostgreSQL runs after the COMMIT in a
 * transaction of their own — the NOTIFY stays out of the committing transaction (decision 0007) without a round
 * trip of its own. Only the COMMIT can fail such a query in a way that matters: a failure of what follows it is
 * reported as after-commit work is (the data is committed), see `committedButFollowerFailed`.
 */
export async function withClientTransaction<T>(
  pool: pg.Pool,
  fn: (t: { tx: Db; client: pg.PoolClient; opening: Record<string, unknown>[] }) => Promise<T>,
  opts: {
    /**
     * a statement sent with the BEGIN, in the same simple query (one round trip fewer); its rows come to `fn` as
     * `opening`. It has no parameters, so it must never carry text from outside: only values it has checked (ids,
     * numbers) may be written into it
     */
    opening?: string;
  } = {},
): Promise<T> {
  const client = await pool.connect();
  let released = false;
  try {
    let opening: Record<string, unknown>[] = [];
    if (opts.opening === undefined) await client.query('BEGIN');
    try {
      if (opts.opening !== undefined) {
        // (in this try: an opening statement that fails leaves the transaction open, and the catch rolls it back)
        const results = (await client.query(`BEGIN;\n${opts.opening}`)) as unknown as pg.QueryResult[];
        opening = results[1]?.rows ?? [];
      }
      const tx = clientHandle(client);
      openBeforeCommitQueue(tx);
      const result = await fn({ tx, client, opening });
      await runBeforeCommit(tx);
      const followers = takeCommitStatements(tx);
      if (followers.length === 0) await client.query('COMMIT');
      else {
        try {
          await client.query(['COMMIT', ...followers].join(';\n'));
        } catch (err) {
          if (!committedButFollowerFailed(err)) throw err;
          reportFollowerFailure(err);
        }
      }
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
