/**
 * Work that must happen inside a transaction but as late as possible: just before COMMIT. Used for writes to shared
 * hot rows (the hourly insight rollups every new ticket adds to), so that the row lock is held for the commit only
 * instead of for the rest of the transaction — otherwise every concurrent ticket write queues behind it.
 *
 * `db.transaction` (connectDatabase) and withClientTransaction open a queue for their transaction; when a handle
 * has no queue (a plain `db`, a nested savepoint, a test calling a hook directly) the work runs at once, as before.
 * A failing action fails the transaction, exactly as if it had run inline.
 */
type Action = () => Promise<void>;

const queues = new WeakMap<object, Action[]>();

/** Marks `tx` as a transaction whose owner will call runBeforeCommit(tx) before it commits. */
export function openBeforeCommitQueue(tx: object): void {
  queues.set(tx, []);
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
