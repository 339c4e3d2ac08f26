import { is, Param, Placeholder } from 'drizzle-orm';
import type { DbOrTx } from './client.ts';

/**
 * A Drizzle query built once per process and run many times, on whatever database handle or transaction the caller
 * has, with its varying values given as placeholders (`sql.placeholder('ticketId')`).
 *
 * Why: Drizzle turns a query builder into SQL text on every run, and for the wide selects and inserts of the ticket
 * write path that was the largest single cost in the server — profiled on ticket create, about 40% of the process's
 * CPU went to building SQL (`is()` checks on every chunk of every column), more than sending, parsing and mapping
 * the results together. A reusable query keeps Drizzle's typed builder, its column mapping and its value encoding
 * (dates, JSON), and skips the rebuilding: the first run prepares the query (Drizzle's `prepare()`, which builds the
 * text and the parameter list with placeholders), later runs only fill the placeholders and run the same text. The
 * text is then the same every time, so `auto-prepare.ts` makes it a server-side prepared statement too.
 *
 * Only for queries whose shape never depends on the values (no optional conditions, no lists of varying length in
 * the SQL): anything that varies must be a placeholder. A query that needs an `IN` list passes an array and uses
 * `= ANY(...)`.
 *
 * How it runs on the caller's handle: Drizzle's prepared query for node-postgres runs on the `client` it was built
 * with (the pool, or a transaction's connection). Each run uses a copy of the prepared query whose `client` is the
 * caller's — the text, parameters and result mapping are shared. `reusable-query.test.ts` checks the results match
 * the same query built the ordinary way, inside and outside a transaction, so a Drizzle upgrade that changes these
 * internals fails a test rather than production.
 */
interface PreparedLike<R> {
  execute(values?: Record<string, unknown>): Promise<R>;
}

interface Preparable<R> {
  prepare(name?: string): PreparedLike<R>;
}

/**
 * Drizzle encodes a placeholder's value with its column's encoder even when the value is null (a nullable timestamp
 * would throw on `null.toISOString()`); an ordinary query never encodes a null. Same here: null stays null.
 */
function nullSafeParams(params: unknown[]): unknown[] {
  return params.map((p) => {
    if (!is(p, Param) || !is(p.value, Placeholder)) return p;
    const encoder = p.encoder;
    return new Param(p.value, {
      mapToDriverValue: (v: unknown) => (v === null || v === undefined ? null : encoder.mapToDriverValue(v)),
    });
  });
}

function clientOf(db: DbOrTx): unknown {
  const session = (db as unknown as { session?: { client?: unknown } }).session;
  if (!session?.client) throw new Error('reusableQuery: this database handle has no node-postgres client');
  return session.client;
}

export function reusableQuery<V extends Record<string, unknown>, R>(
  build: (db: DbOrTx) => Preparable<R>,
): (db: DbOrTx, values: V) => Promise<R> {
  let template: PreparedLike<R> | undefined;
  return (db, values) => {
    const client = clientOf(db);
    if (!template) {
      const prepared = build(db).prepare() as PreparedLike<R> & { params: unknown[] };
      prepared.params = nullSafeParams(prepared.params);
      template = prepared;
    }
    const run = Object.create(template) as PreparedLike<R> & { client: unknown };
    run.client = client;
    return run.execute(values);
  };
}
