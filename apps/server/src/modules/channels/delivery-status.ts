import { eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/client.ts';
import { messages } from '../../platform/db/schema/index.ts';
import { recordEvent } from '../../platform/events.ts';

export type DeliveryState = 'queued' | 'sent' | 'delivered' | 'read' | 'failed';

const RANK: Record<DeliveryState, number> = { queued: 0, sent: 1, failed: 1, delivered: 2, read: 3 };

/**
 * Whether a delivery may move from `from` to `to`: receipts arrive out of order (a "delivered" after a "read"),
 * so a state never goes back; "failed" only replaces queued/sent (a delivered message has been delivered).
 */
export function canAdvance(from: DeliveryState, to: DeliveryState): boolean {
  if (from === to) return false;
  if (to === 'failed') return from === 'queued' || from === 'sent';
  if (from === 'failed') return to === 'delivered' || to === 'read';
  return RANK[to] > RANK[from];
}

/** Writes the delivery state onto the message (`meta.channel.delivery`, message status) with an event. */
export async function markMessageDelivery(
  tx: DbOrTx,
  input: { messageId: string | null; ticketId: string | null; state: DeliveryState; error?: string | null; providerMessageId?: string | null; now: Date },
): Promise<void> {
  if (!input.messageId) return;
  const delivery = {
    status: input.state,
    at: input.now.toISOString(),
    ...(input.error ? { error: input.error } : {}),
    ...(input.providerMessageId ? { providerMessageId: input.providerMessageId } : {}),
  };
  const status = input.state === 'failed' ? 'failed' : input.state === 'queued' ? 'queued' : 'sent';
  await tx
    .update(messages)
    .set({
      status,
      meta: sql`jsonb_set(${messages.meta}, '{channel}', coalesce(${messages.meta}->'channel', '{}'::jsonb) || jsonb_build_object('delivery', ${JSON.stringify(delivery)}::jsonb), true)`,
    })
    .where(eq(messages.id, input.messageId));
  await recordEvent(tx, {
    type: input.state === 'failed' ? 'message.delivery_failed' : 'message.delivery_changed',
    actor: { kind: 'system' },
    ticketId: input.ticketId,
    payload: { messageId: input.messageId, delivery },
    at: input.now,
  });
}
