import { eq, sql } from 'drizzle-orm';
import type pg from 'pg';
import { channelDeliveries, eventCursors } from '../../platform/db/schema/index.ts';
import type { Jobs } from '../../platform/jobs/jobs.ts';
import { withClientTransaction } from '../../platform/db/client-transaction.ts';
import { deliverChannelMessageJob } from './channels.jobs.ts';
import { markMessageDelivery } from './delivery-status.ts';

export const CHANNEL_OUTBOUND_CURSOR = 'channels.outbound_replies';
/** event ids are taken before commit: look back so a late commit is not missed (the idempotency key dedupes) */
const LOOKBACK = 1000;

interface Pending {
  message_id: string;
  ticket_id: string;
  channel_id: string;
  recipient: string;
}

/**
 * Reads `message.added` / `message.approved` from the event log (the outbox) and queues a delivery for every public
 * staff reply on a ticket that talks through a messaging channel — in one transaction with the delivery row and
 * the pg-boss job. The tickets module knows nothing about channels.
 */
export async function enqueueChannelReplies(ctx: { pool: pg.Pool; jobs: Jobs; now: () => Date }): Promise<number> {
  return withClientTransaction(ctx.pool, async ({ tx, client }) => {
    await tx
      .insert(eventCursors)
      .values({ name: CHANNEL_OUTBOUND_CURSOR, lastEventId: sql`(SELECT coalesce(max(id), 0) FROM events)` })
      .onConflictDoNothing();
    const [cursor] = await tx.select().from(eventCursors).where(eq(eventCursors.name, CHANNEL_OUTBOUND_CURSOR)).for('update');
    if (!cursor) return 0;
    const { rows: top } = await client.query<{ max: string | null }>('SELECT max(id) AS max FROM events');
    const maxId = Number(top[0]?.max ?? 0);
    const { rows } = await client.query<Pending>(
      `SELECT DISTINCT ON (m.id) m.id AS message_id, m.ticket_id, cc.channel_id, ct.external_id AS recipient
         FROM events e
         JOIN messages m ON m.id = (e.payload->>'messageId')::uuid
         JOIN channel_conversations cc ON cc.ticket_id = m.ticket_id
         JOIN channel_contacts ct ON ct.id = cc.contact_id
        WHERE e.id > $1 AND e.id <= $2
          AND e.type IN ('message.added', 'message.approved')
          AND m.kind = 'public' AND m.author_type = 'staff' AND m.status = 'sent'
          AND NOT EXISTS (SELECT 1 FROM channel_deliveries d WHERE d.idempotency_key = 'reply:' || m.id::text)
        ORDER BY m.id
        LIMIT 200`,
      [Math.max(0, cursor.lastEventId - LOOKBACK), maxId],
    );
    let queued = 0;
    const now = ctx.now();
    for (const p of rows) {
      const [d] = await tx
        .insert(channelDeliveries)
        .values({ idempotencyKey: `reply:${p.message_id}`, channelId: p.channel_id, kind: 'reply', ticketId: p.ticket_id, messageId: p.message_id, recipient: p.recipient, createdAt: now, updatedAt: now })
        .onConflictDoNothing()
        .returning({ id: channelDeliveries.id });
      if (!d) continue;
      await markMessageDelivery(tx, { messageId: p.message_id, ticketId: p.ticket_id, state: 'queued', now });
      await client.query(
        `UPDATE messages SET meta = jsonb_set(meta, '{channel,deliveryId}', to_jsonb($2::text), true) || jsonb_build_object('channel', (meta->'channel') || jsonb_build_object('id', $3::text)) WHERE id = $1`,
        [p.message_id, d.id, p.channel_id],
      );
      await ctx.jobs.send(deliverChannelMessageJob, { deliveryId: d.id }, { client, singletonKey: d.id });
      queued += 1;
    }
    if (maxId > cursor.lastEventId) {
      await tx.update(eventCursors).set({ lastEventId: maxId, updatedAt: new Date() }).where(eq(eventCursors.name, CHANNEL_OUTBOUND_CURSOR));
    }
    return queued;
  });
}
