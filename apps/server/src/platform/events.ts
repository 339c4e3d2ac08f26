import { sql } from 'drizzle-orm';
import type { Actor } from './auth/permissions.ts';
import { escapeLiteral } from 'pg';
import { afterCommitStatement, defersToCommit } from './db/before-commit.ts';
import type { DbOrTx } from './db/client.ts';
import { reusableQuery } from './db/reusable-query.ts';
import { events } from './db/schema/index.ts';

/** PostgreSQL channel carrying `{ id, type, ticketId, customerId }` for every event, once it has committed. */
export const EVENTS_CHANNEL = 'seva_events';

export interface NewEvent {
  type: string;
  actor: Actor;
  ticketId?: string | null;
  customerId?: string | null;
  payload?: Record<string, unknown>;
  at?: Date;
}

export function actorColumns(actor: Actor): { actorType: string; actorId: string | null } {
  if (actor.kind === 'system') return { actorType: 'system', actorId: null };
  return { actorType: actor.via === 'token' ? 'token' : 'staff', actorId: actor.userId };
}

const pendingNotes = new WeakMap<object, string[]>();

/**
 * Appends an event inside the caller's transaction (the outbox) and announces it on `seva_events` as
 * `{ id, type, ticketId, customerId }` once the transaction has committed, so realtime never announces something
 * that was rolled back.
 *
 * Inside a top-level transaction (db.transaction, the email worker's client transactions) the event is inserted
 * alone and its note sent after COMMIT, with the transaction's other notes in one statement that goes out in
 * the COMMIT's own query (platform/db/before-commit.ts afterCommitStatement, decision 0011). A NOTIFY inside the transaction would be delivered at its commit
 * too, but PostgreSQL serialises the commits of notifying transactions (a lock held until the commit record is
 * flushed, to keep the queue in commit order): measured under concurrent ticket creates, writers queued for it one
 * WAL flush at a time. Announced after the commit, the NOTIFY is a statement that writes nothing and flushes
 * nothing. If the process dies between the commit and the NOTIFY, the event is still in the log: listeners replay
 * from the log when they reconnect, and browsers when they resubscribe (decision 0003).
 *
 * Elsewhere (a plain handle, a savepoint) the insert and the NOTIFY go together in one statement, as before.
 */
export async function recordEvent(tx: DbOrTx, e: NewEvent): Promise<number> {
  const { actorType, actorId } = actorColumns(e.actor);
  const ticketId = e.ticketId ?? null;
  const customerId = e.customerId ?? null;
  // the note without its leading id, which only the insert knows: `,"type":…,"ticketId":…,"customerId":…}`
  const rest = JSON.stringify({ type: e.type, ticketId, customerId }).slice(1);
  const payload = JSON.stringify(e.payload ?? {});
  const at = e.at ? e.at.toISOString() : null;
  if (defersToCommit(tx)) {
    const [row] = await insertEvent(tx, { type: e.type, ticketId, customerId, actorType, actorId, payload, at });
    if (!row) throw new Error('event insert returned nothing');
    const id = Number(row.id);
    queueNote(tx, `{"id":${id},${rest}`);
    return id;
  }
  const r = await tx.execute<{ id: number }>(sql`
    WITH e AS (
      INSERT INTO events (type, ticket_id, customer_id, actor_type, actor_id, payload, created_at)
      VALUES (${e.type}, ${ticketId}, ${customerId}, ${actorType}, ${actorId}, ${payload}::jsonb,
              coalesce(${at}::timestamptz, now()))
      RETURNING id)
    SELECT e.id, pg_notify(${EVENTS_CHANNEL}, '{"id":' || e.id || ',' || ${rest}) FROM e`);
  const row = r.rows[0];
  if (!row) throw new Error('event insert returned nothing');
  return Number(row.id);
}

/**
 * pg_notify refuses a payload of 8000 bytes or more. A note is an id, a type and two UUIDs, well under; a longer
 * one is a bug, refused inside the transaction (it would otherwise fail after the COMMIT, unseen).
 */
const MAX_NOTE_BYTES = 7999;

/** The NOTIFY of a transaction's notes, in order, as complete SQL with literals (it goes out with the COMMIT). */
function notifyStatement(notes: readonly string[]): string {
  return `SELECT pg_notify(${escapeLiteral(EVENTS_CHANNEL)}, n) FROM unnest(ARRAY[${notes.map((n) => escapeLiteral(n)).join(', ')}]::text[]) WITH ORDINALITY AS x(n, i) ORDER BY i`;
}

/**
 * Queues an event's note for the NOTIFY that follows the transaction's COMMIT, all its notes in one statement, sent
 * with the COMMIT itself (db/client-transaction.ts).
 */
function queueNote(tx: DbOrTx, note: string): void {
  if (Buffer.byteLength(note) > MAX_NOTE_BYTES)
    throw new Error(`event note too long for NOTIFY: ${note.slice(0, 200)}`);
  let notes = pendingNotes.get(tx);
  if (!notes) {
    const queued: string[] = [];
    notes = queued;
    pendingNotes.set(tx, queued);
    // every transaction that defers to its commit (db/client-transaction.ts) sends statements with its COMMIT
    if (!afterCommitStatement(tx, () => notifyStatement(queued)))
      throw new Error('an event was recorded in a transaction that sends nothing with its COMMIT');
  }
  notes.push(note);
}

/**
 * Announces an event whose row the writer inserted itself, in the same statement as the data it describes (see
 * tickets/append-message-row.ts): exactly as recordEvent announces its own — after the COMMIT inside a top-level
 * transaction, at once elsewhere (where recordEvent's insert carries its NOTIFY).
 */
export async function announceEvent(
  tx: DbOrTx,
  e: { id: number; type: string; ticketId?: string | null; customerId?: string | null },
): Promise<void> {
  const note = JSON.stringify({
    id: e.id,
    type: e.type,
    ticketId: e.ticketId ?? null,
    customerId: e.customerId ?? null,
  });
  if (defersToCommit(tx)) queueNote(tx, note);
  else await tx.execute(sql`SELECT pg_notify(${EVENTS_CHANNEL}, ${note})`);
}

/** An event row on its own (its NOTIFY follows the commit); built once: platform/db/reusable-query.ts. */
const insertEvent = reusableQuery((db) =>
  db
    .insert(events)
    .values({
      type: sql.placeholder('type'),
      ticketId: sql.placeholder('ticketId'),
      customerId: sql.placeholder('customerId'),
      actorType: sql.placeholder('actorType'),
      actorId: sql.placeholder('actorId'),
      payload: sql`${sql.placeholder('payload')}::jsonb`,
      createdAt: sql`coalesce(${sql.placeholder('at')}::timestamptz, now())`,
    })
    .returning({ id: events.id }),
);
