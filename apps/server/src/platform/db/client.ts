import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import { type AutoPrepareStats, enableAutoPrepare } from './auto-prepare.ts';
import { withClientTransaction } from './client-transaction.ts';

/**
 * Drizzle without the relational query API (`db.query.*`, unused here): given the schema, drizzle builds a query
 * builder per table for every transaction it opens, which was a measurable share of a ticket write's CPU.
 */
export type Db = NodePgDatabase;
/** A transaction handle; services accept `Db | Tx` so they compose inside a caller's transaction. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
export type DbOrTx = Db | Tx;

export interface Database {
  pool: pg.Pool;
  db: Db;
  url: string;
  /** how many query texts this process runs as prepared statements (none when they are off) */
  preparedStatements(): AutoPrepareStats;
  close(): Promise<void>;
}

// 64-bit integers (count(*), bigserial) come back as strings by default; our counts fit in a JS number.
pg.types.setTypeParser(20, (v) => Number(v));

export interface ConnectOptions {
  max?: number;
  /**
   * prepare repeated queries on the server (platform/db/auto-prepare.ts; default true). Off for a connection pooler
   * in transaction mode that cannot keep prepared statements (SEVA_DB_PREPARED_STATEMENTS=off).
   */
  preparedStatements?: boolean;
  /** how long a pooled connection may sit unused before it is closed (default POOL_IDLE_MS) */
  idleTimeoutMillis?: number;
}

/**
 * Pooled connections are kept through a lull of up to five minutes. node-postgres closes them after 10 s idle by
 * default, and a pool that has to grow again makes the next burst wait: each new connection is a backend to fork,
 * a SCRAM exchange, empty catalogue caches and every statement prepared and planned anew. On the 1M benchmark
 * database, the inbox paced at 280 requests/s right after 12 s of one-connection traffic had p95 176–420 ms with the
 * default and 9–11 ms with connections kept (docs/performance.md, tenth session). An agent's inbox refreshes often
 * enough to keep a working desk's pool warm; a desk quiet for five minutes gives its connections back.
 */
export const POOL_IDLE_MS = 300_000;

/**
 * Planner costs for a database that lives in memory or on SSD, sent with every new connection (PostgreSQL's
 * defaults assume spinning disks, where a random page read costs 4 sequential ones). With the default, the inbox
 * filtered by one status walked the tickets in update order skipping the other statuses — cheap-looking sequential
 * reads — instead of reading that status's tickets from its own index: at 1M tickets, where the newest tickets were
 * mostly new, an "open" inbox read 60,000 index entries for 50 rows (16 ms; 0.5 ms with this). 1.1 is the usual
 * setting for SSDs. See docs/decisions/0008-planner-costs-per-connection.md.
 *
 * No parallel workers: a Gather starts its worker processes on every execution, which cost ~40 ms on the 2-core
 * benchmark VM — a rare-word search that read 17 buffers took 56 ms because a word-prefix match's row estimate
 * (thousands, for one hit) made the planner parallelise it. Seva runs many short queries side by side, so the other
 * core is already busy; the dashboards were as fast or faster without. See docs/decisions/0015-no-parallel-workers.md.
 */
const PLANNER_SETTINGS = '-c random_page_cost=1.1 -c max_parallel_workers_per_gather=0';

export function connectDatabase(url: string, opts: ConnectOptions = {}): Database {
  const pool = new pg.Pool({
    connectionString: url,
    max: opts.max ?? 20,
    idleTimeoutMillis: opts.idleTimeoutMillis ?? POOL_IDLE_MS,
    application_name: 'seva',
    // as a startup parameter: no statement of its own. Not behind a pooler in transaction mode (prepared statements
    // off), which may refuse startup options; there the server's own setting applies. An `options` in the URL wins.
    ...(opts.preparedStatements === false ? {} : { options: PLANNER_SETTINGS }),
  });
  const preparedStatements =
    opts.preparedStatements === false ? () => ({ prepared: 0, tracked: 0 }) : enableAutoPrepare(pool);
  pool.on('error', () => {
    // idle client errors (server restart) are retried by the pool on next checkout
  });
  // A checked-out client that is between queries (inside a transaction) when the server goes away emits 'error'
  // with no listener, which would end the process; the error also fails the next query on it, which is enough.
  pool.on('connect', (client) => {
    client.on('error', () => {});
  });
  const db = drizzle(pool);
  // every top-level transaction is a transaction on one pooled client (client-transaction.ts): its before-commit
  // actions run as its last statements, the NOTIFY of its events goes out with its COMMIT, nested transactions are
  // savepoints
  db.transaction = ((run: (tx: Db) => Promise<unknown>) =>
    withClientTransaction(pool, ({ tx }) => run(tx))) as unknown as Db['transaction'];
  return { pool, db, url, preparedStatements, close: () => pool.end() };
}

/** Fails loudly when the database cannot hold Bengali/Hindi search (needs UTF-8 and a UTF-8 ctype). */
export async function checkDatabaseEncoding(pool: pg.Pool): Promise<void> {
  const { rows } = await pool.query<{ enc: string; ctype: string }>(
    `SELECT pg_encoding_to_char(encoding) AS enc, datctype AS ctype FROM pg_database WHERE datname = current_database()`,
  );
  const row = rows[0];
  if (!row) throw new Error('could not read the database encoding');
  const okCtype = /utf-?8/i.test(row.ctype);
  if (row.enc !== 'UTF8' || !okCtype) {
    throw new Error(
      `The database must use encoding UTF8 and a UTF-8 ctype (found ${row.enc}, ctype ${row.ctype}). ` +
        `Create it with: CREATE DATABASE seva ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8' TEMPLATE template0;`,
    );
  }
}
