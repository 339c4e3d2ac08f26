import { sql } from 'drizzle-orm';
import { PgTransaction } from 'drizzle-orm/pg-core';
import { defersToCommit } from './db/before-commit.ts';
import type { DbOrTx } from './db/client.ts';
import { reusableQuery } from './db/reusable-query.ts';
import { configVersions } from './db/schema/index.ts';

/**
 * Configuration the ticket write path reads on every change — custom field definitions, routing rules, SLA
 * policies, triggers — kept in process memory and checked, not re-read. Every change to one of these tables bumps
 * its row in `config_versions` in the same transaction (statement triggers, migration 0031), so a transaction reads
 * the small versions table once and uses the rows this process already holds for every table whose version it
 * has seen; only a changed table is read again. With several processes on one database each notices another's
 * change at its next transaction, with no messages between them; a change is visible to the transaction after the
 * one that committed it, exactly as if the rows had been read again.
 *
 * Versions come from a sequence, so a number is never reused: rows read inside a transaction that changed them and
 * then rolled back carry a version no committed state will have, and are never used again. A miss reads the
 * table's version again (not the transaction's first reading) just before its rows, so the rows are always tagged
 * with a version at least as old as they are.
 *
 * Within one transaction the versions are read once, at its first cached lookup: a transaction that changes one of
 * these tables after that lookup keeps seeing the configuration as it was when it started using it (the services
 * that change configuration do so in transactions of their own, which run no ticket hooks).
 *
 * The cached values are shared by every caller: treat them as read-only.
 */
export type ConfigTable = 'custom_fields' | 'routing_rules' | 'sla_policies' | 'automation_rules';

interface Versions {
  database: string;
  byTable: Map<string, number>;
}

const readVersions = reusableQuery((db) =>
  db
    .select({
      database: sql<string>`current_database()`,
      table: configVersions.tableName,
      version: configVersions.version,
    })
    .from(configVersions),
);

/** One read of the versions per transaction (the first cached lookup in it); outside a transaction, per lookup. */
const versionsOfTx = new WeakMap<object, Promise<Versions>>();

async function loadVersions(db: DbOrTx): Promise<Versions> {
  const rows = await readVersions(db, {});
  const database = rows[0]?.database ?? '';
  return { database, byTable: new Map(rows.map((r) => [r.table, r.version])) };
}

/**
 * A transaction's handle: Drizzle's, or a Drizzle instance on one client inside BEGIN … COMMIT (the email
 * worker's withClientTransaction), which opens a before-commit queue as every top-level transaction does.
 */
function isTransaction(db: DbOrTx): boolean {
  return db instanceof PgTransaction || defersToCommit(db);
}

/**
 * The versions as a column of another statement: `[current_database(), [[table, version], …]]`. The statements
 * that open a ticket write (a message's, in tickets/append-message-row.ts) carry it, and `primeConfigVersions`
 * hands what they read to the transaction's first cached lookup, which then needs no read of its own — one round
 * trip fewer on every message of every channel. Read by that statement, in that transaction, before any lookup:
 * the same versions the lookup would have read, as long as nothing in between changes configuration (the services
 * that change it run no ticket writes, see above).
 */
export const CONFIG_VERSIONS_COLUMN = sql<[string, [string, number][]]>`(
  SELECT json_build_array(current_database(),
           coalesce(json_agg(json_build_array(cv.table_name, cv.version)), '[]'::json))
    FROM config_versions cv)`;

/** Hands a statement's CONFIG_VERSIONS_COLUMN to the transaction (ignored outside one, or when it has read them). */
export function primeConfigVersions(db: DbOrTx, column: [string, [string, number][]] | null | undefined): void {
  if (!column || !isTransaction(db) || versionsOfTx.has(db)) return;
  const [database, rows] = column;
  versionsOfTx.set(db, Promise.resolve({ database, byTable: new Map(rows.map(([t, v]) => [t, Number(v)])) }));
}

function versionsFor(db: DbOrTx): Promise<Versions> {
  if (!isTransaction(db)) return loadVersions(db);
  let v = versionsOfTx.get(db);
  if (!v) {
    v = loadVersions(db);
    versionsOfTx.set(db, v);
    // a failed read must not stick to the transaction
    v.catch(() => versionsOfTx.delete(db));
  }
  return v;
}

interface Entry {
  version: number;
  value: Promise<unknown>;
}

const entries = new Map<string, Entry>();

/**
 * `load` reads one configuration table; the returned function answers from memory while the table's version is
 * the one the value was read at. Several loaders may cache the same table (different selections): each keeps its
 * own value, all invalidated by the table's version.
 */
export function cachedConfig<T>(table: ConfigTable, name: string, load: (db: DbOrTx) => Promise<T>) {
  return async (db: DbOrTx): Promise<T> => {
    const versions = await versionsFor(db);
    const key = `${versions.database}\u0000${table}\u0000${name}`;
    const hit = entries.get(key);
    if (hit && hit.version === versions.byTable.get(table)) return hit.value as Promise<T>;
    // a miss: the version as of now (this transaction's own change included), then the rows
    const fresh = await loadVersions(db);
    const version = fresh.byTable.get(table);
    if (version === undefined) return load(db);
    if (isTransaction(db)) versionsOfTx.set(db, Promise.resolve(fresh));
    // a real promise, settled once (Drizzle's query builders are thenables that run again at every await)
    const value = Promise.resolve().then(() => load(db));
    const entry = { version, value };
    entries.set(key, entry);
    // a failed read is not remembered
    value.catch(() => {
      if (entries.get(key) === entry) entries.delete(key);
    });
    return value;
  };
}
