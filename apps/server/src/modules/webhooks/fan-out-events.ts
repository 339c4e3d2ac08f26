import { eq, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.ts';
import { eventCursors, webhookDeliveries } from '../../platform/db/schema/index.ts';
import { ticketSnapshot } from './webhook-payload.ts';

export const WEBHOOK_CURSOR = 'webhooks.fan_out';
/** event ids are taken before commit: look back so a late commit is not missed (the unique key dedupes) */
const LOOKBACK = 1000;
const BATCH = 500;

interface EventRow {
  id: string;
  type: string;
  ticket_id: string | null;
  customer_id: string | null;
  payload: Record<string, unknown>;
  created_at: string;
  [key: string]: unknown;
}

/**
 * Reads the event log (the outbox) after the cursor and queues one delivery per subscribed active webhook, in one
 * transaction with the cursor. A webhook created now starts with events from now on.
 */
export async function fanOutWebhookEvents(db: Db, now: Date): Promise<number> {
  return db.transaction(async (tx) => {
    await tx
      .insert(eventCursors)
      .values({ name: WEBHOOK_CURSOR, lastEventId: sql`(SELECT coalesce(max(id), 0) FROM events)` })
      .onConflictDoNothing();
    const [cursor] = await tx.select().from(eventCursors).where(eq(eventCursors.name, WEBHOOK_CURSOR)).for('update');
    if (!cursor) return 0;
    const r = await tx.execute<EventRow>(sql`
      SELECT e.id, e.type, e.ticket_id, e.customer_id, e.payload, e.created_at
        FROM events e
       WHERE e.id > ${Math.max(0, cursor.lastEventId - LOOKBACK)}
         AND EXISTS (
           SELECT 1 FROM webhooks w
            WHERE w.active AND e.type = ANY (w.events) AND e.id > w.from_event_id
              AND NOT EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.webhook_id = w.id AND d.event_id = e.id))
       ORDER BY e.id
       LIMIT ${BATCH}`);
    let queued = 0;
    for (const e of r.rows) {
      const hooks = await tx.execute<{ id: string }>(sql`
        SELECT w.id FROM webhooks w
         WHERE w.active AND ${e.type} = ANY (w.events) AND ${e.id}::bigint > w.from_event_id`);
      const payload = {
        type: e.type,
        eventId: Number(e.id),
        occurredAt: new Date(e.created_at).toISOString(),
        ticket: e.ticket_id ? await ticketSnapshot(tx, e.ticket_id) : null,
        customerId: e.customer_id,
        data: e.payload,
      };
      for (const h of hooks.rows) {
        const ins = await tx
          .insert(webhookDeliveries)
          .values({ webhookId: h.id, eventId: Number(e.id), eventType: e.type, ticketId: e.ticket_id, payload, nextAttemptAt: now, createdAt: now, updatedAt: now })
          .onConflictDoNothing()
          .returning({ id: webhookDeliveries.id });
        queued += ins.length;
      }
    }
    const top = await tx.execute<{ max: string | null }>(sql`SELECT max(id) AS max FROM events`);
    const maxId = Number(top.rows[0]?.max ?? 0);
    // advance past what was read; when a full batch came back, only as far as the batch reached
    const reached = r.rows.length === BATCH ? Number(r.rows[r.rows.length - 1]?.id ?? cursor.lastEventId) : maxId;
    if (reached > cursor.lastEventId) {
      await tx.update(eventCursors).set({ lastEventId: reached, updatedAt: now }).where(eq(eventCursors.name, WEBHOOK_CURSOR));
    }
    return queued;
  });
}
