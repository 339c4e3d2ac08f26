import { and, eq, inArray, lte } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/client.ts';
import { channelDeliveries } from '../../platform/db/schema/index.ts';
import type { ChannelRow, InboundReceiptEvent } from './adapters/adapter.ts';
import { canAdvance, type DeliveryState, markMessageDelivery } from './delivery-status.ts';

/**
 * A delivery/read receipt from the provider (or the app): finds our delivery by the provider's message id (the API
 * channel reports Seva's own message id), or every delivery up to a Messenger watermark, and moves it forward.
 * Returns how many deliveries changed.
 */
export async function applyReceipt(tx: DbOrTx, channel: ChannelRow, r: InboundReceiptEvent, now: Date): Promise<number> {
  let rows: Array<typeof channelDeliveries.$inferSelect>;
  if (r.providerMessageId) {
    const byProvider = await tx
      .select()
      .from(channelDeliveries)
      .where(and(eq(channelDeliveries.channelId, channel.id), eq(channelDeliveries.providerMessageId, r.providerMessageId)));
    rows = byProvider;
    if (rows.length === 0 && channel.kind === 'api' && /^[0-9a-f-]{36}$/i.test(r.providerMessageId)) {
      rows = await tx
        .select()
        .from(channelDeliveries)
        .where(and(eq(channelDeliveries.channelId, channel.id), eq(channelDeliveries.messageId, r.providerMessageId)));
    }
  } else if (r.watermark) {
    rows = await tx
      .select()
      .from(channelDeliveries)
      .where(
        and(
          eq(channelDeliveries.channelId, channel.id),
          eq(channelDeliveries.recipient, r.watermark.recipient),
          inArray(channelDeliveries.status, ['sent', 'delivered']),
          lte(channelDeliveries.createdAt, r.watermark.at),
        ),
      );
  } else rows = [];
  let changed = 0;
  for (const d of rows) {
    const to = r.status as DeliveryState;
    if (!canAdvance(d.status as DeliveryState, to)) continue;
    await tx
      .update(channelDeliveries)
      .set({ status: to, updatedAt: now, ...(r.error ? { lastError: r.error.slice(0, 1000) } : {}) })
      .where(eq(channelDeliveries.id, d.id));
    await markMessageDelivery(tx, { messageId: d.messageId, ticketId: d.ticketId, state: to, error: r.error ?? null, providerMessageId: d.providerMessageId, now });
    changed += 1;
  }
  return changed;
}
