/**
 * Work that must happen inside a transaction but as late as possible: just before COMMIT. Used for writes to shared
 * hot rows (the hourly insight rollups every new ticket adds to), so that the row lock is held for the commit only
 * instead of for the rest of the transaction — otherwise every concurrent ticket write queues behind it.
 *
 * `db.transaction` (connectDatabase) and withClientTransaction open a queue for their transaction; when a handle
 * has no queue (a plain `db`, a nested savepoint, a test calling a hook directly) the work runs at once, as before.
 * A failing action fails the transaction, exactly as if it had run inline.
 */
import type { DbOrTx } from './client.ts';

type Action = () => Promise<void>;
/** Runs after COMMIT, outside the transaction, on the handle the transaction's owner gives it. */
type AfterAction = (db: DbOrTx) => Promise<void>;

const queues = new WeakMap<object, Action[]>();
const afterQueues = new WeakMap<object, AfterAction[]>();
const commitFollowers = new WeakMap<object, Array<() => string>>();

/**
 * Marks `tx` as a transaction whose owner will call runBeforeCommit(tx) before it commits, and
 * runAfterCommit(tx, db) once it has committed.
 */
export function openBeforeCommitQueue(tx: object): void {
  queues.set(tx, []);
  afterQueues.set(tx, []);
  commitFollowers.set(tx, []);
}

/**
 * Queues a statement to go out with the COMMIT of `tx`, in the same simple query, after it (client-transaction.ts):
 * it runs once the transaction has committed, in a transaction of its own, without a round trip of its own. The
 * text is complete SQL with its values as escaped literals (no parameters), built when the COMMIT goes out. False
 * when `tx` has no such queue (a plain handle, a savepoint): then use afterCommit or do the work inline.
 */
export function afterCommitStatement(tx: object, text: () => string): boolean {
  const queue = commitFollowers.get(tx);
  if (!queue) return false;
  queue.push(text);
  return true;
}

/** The statements to send after the COMMIT of `tx` (once: the queue is closed). */
export function takeCommitStatements(tx: object): string[] {
  const queue = commitFollowers.get(tx) ?? [];
  commitFollowers.delete(tx);
  return queue.map((text) => text());
}

/**
 * Queues `action` to run once `tx` has committed (never if it rolls back); false when `tx` has no such queue (a
 * plain handle, a savepoint), and the caller must do the work inside the transaction instead.
 */
export function afterCommit(tx: object, action: AfterAction): boolean {
  const queue = afterQueues.get(tx);
  if (!queue) return false;
  queue.push(action);
  return true;
}

let reportAfterCommitError: (err: unknown) => void = (err) => {
  process.emitWarning(`after-commit work failed: ${err instanceof Error ? err.message : String(err)}`);
};

/** Reports a failure of a statement that followed a COMMIT that succeeded (client-transaction.ts). */
export function reportFollowerFailure(err: unknown): void {
  reportAfterCommitError(err);
}

/** Where failures of after-commit work are reported (the server's logger). */
export function onAfterCommitError(report: (err: unknown) => void): void {
  reportAfterCommitError = report;
}

/**
 * Runs what was queued to follow the commit of `tx`, on `db` (outside any transaction). The transaction has
 * committed, so a failing action cannot undo it: the error is reported (onAfterCommitError) and the others still run.
 */
export async function runAfterCommit(tx: object, db: DbOrTx): Promise<void> {
  const queue = afterQueues.get(tx);
  afterQueues.delete(tx);
  if (!queue) return;
  for (const action of queue) {
    try {
      await action(db);
    } catch (err) {
      reportAfterCommitError(err);
    }
  }
}

/** Whether actions for `tx` are deferred to its commit. */
export function defersToCommit(tx: object): boolean {
  return queues.has(tx);
}

/** Runs `action` just before `tx` commits, or now when `tx` is not a transaction that defers. Actions run in order. */
export async function beforeCommit(tx: object, action: Action): Promise<void> {
  const queue = queues.get(tx);
  if (queue) queue.push(action);
  else await action();
}

/** Runs the queued actions (including any they queue themselves), then closes the queue. */
export async function runBeforeCommit(tx: object): Promise<void> {
  const queue = queues.get(tx);
  if (!queue) return;
  try {
    for (let action = queue.shift(); action; action = queue.shift()) await action();
  } finally {
    queues.delete(tx);
  }
}
