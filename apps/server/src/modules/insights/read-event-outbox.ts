import { eq, sql } from 'drizzle-orm';
import type pg from 'pg';
import type { Db } from '../../platform/db/client.ts';
import { eventCursors } from '../../platform/db/schema/index.ts';
import { withClientTransaction } from '../../platform/db/client-transaction.ts';

export interface OutboxEvent {
  id: number;
  type: string;
  ticket_id: string | null;
  customer_id: string | null;
  payload: Record<string, unknown>;
  created_at: Date;
}

/**
 * Event ids are taken before commit, so a slow transaction can commit an event with a lower id after we have read
 * past it: every read looks back this many ids, and handlers are idempotent (unique keys), so a second look is
 * harmless. Reads go forward in bounded windows so a long history is caught up in steps.
 */
const LOOKBACK = 1000;
const WINDOW = 5000;

/**
 * Reads events of the given types past a named cursor (the event log is the outbox) and hands them to `handle`
 * inside one transaction on one connection, so jobs can be sent with the rows that need them. A new cursor starts
 * at the beginning of the log (events no longer worth acting on are skipped by the handler).
 */
export async function readEventOutbox(
  pool: pg.Pool,
  input: {
    cursor: string;
    types: string[];
    handle: (t: { tx: Db; client: pg.PoolClient; events: OutboxEvent[] }) => Promise<void>;
  },
): Promise<number> {
  return withClientTransaction(pool, async ({ tx, client }) => {
    await tx.insert(eventCursors).values({ name: input.cursor, lastEventId: 0 }).onConflictDoNothing();
    const [cursor] = await tx.select().from(eventCursors).where(eq(eventCursors.name, input.cursor)).for('update');
    if (!cursor) return 0;
    const { rows: top } = await client.query<{ max: string | null }>('SELECT max(id) AS max FROM events');
    const upTo = Math.min(Number(top[0]?.max ?? 0), cursor.lastEventId + WINDOW);
    const { rows } = await client.query<OutboxEvent>(
      `SELECT id::int AS id, type, ticket_id, customer_id, payload, created_at FROM events
        WHERE id > $1 AND id <= $2 AND type = ANY($3::text[]) ORDER BY id`,
      [Math.max(0, cursor.lastEventId - LOOKBACK), upTo, input.types],
    );
    if (rows.length > 0) await input.handle({ tx, client, events: rows });
    if (upTo > cursor.lastEventId) {
      await tx
        .update(eventCursors)
        .set({ lastEventId: upTo, updatedAt: sql`now()` })
        .where(eq(eventCursors.name, input.cursor));
    }
    return rows.length;
  });
}
