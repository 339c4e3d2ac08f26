import { and, eq, isNull, lt, or, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/client.ts';
import { channelDeliveries } from '../../platform/db/schema/index.ts';

/**
 * How long one attempt holds a delivery (`channel_deliveries.sending_until`). It must outlast the longest send:
 * an attempt makes at most 11 provider requests one after another (the text, then up to 10 attachments on WhatsApp,
 * Messenger/Instagram and Telegram), each given 15 s by safe-fetch (`channels-runtime.ts` net.timeoutMs; the
 * deadline covers redirects and the body, and a DNS lookup that outlasts it ends the request at once) — 165 s, plus
 * a few queries. pg-boss gives a `channels.deliver` attempt 240 s (expireInSeconds, channels.jobs.ts) before it fails
 * the job and retries it: above the longest send, so a live attempt keeps its job and a transient failure at the end
 * of a slow send is retried by pg-boss at once rather than left to the sweep. The lease, not the job's expiry, keeps
 * any second job (the retry after an expiry — a crash, or a send slower than 240 s — the sweep's, a resume's) from
 * sending too: 10 minutes is well above 165 s and 240 s, and below the stranded sweep's 15 minutes (the claim sets
 * updated_at), so by the time the sweep re-queues a crashed attempt's delivery its lease has run out.
 */
export const DELIVERY_LEASE_MS = 10 * 60_000;

/** The claim: a lease that is unset or has run out. */
export function deliveryLeaseFree(now: Date) {
  return or(isNull(channelDeliveries.sendingUntil), lt(channelDeliveries.sendingUntil, now));
}

/**
 * Takes the delivery for one attempt, in one statement: counts the attempt and sets the lease, only while it is
 * still `queued` and no other attempt holds a live lease. Nothing comes back when another attempt is sending it
 * or it already left; the caller then must not send.
 */
export async function claimChannelDelivery(
  db: DbOrTx,
  input: { id: string; now: Date },
): Promise<typeof channelDeliveries.$inferSelect | undefined> {
  const [claimed] = await db
    .update(channelDeliveries)
    .set({
      attempts: sql`${channelDeliveries.attempts} + 1`,
      updatedAt: input.now,
      sendingUntil: new Date(input.now.getTime() + DELIVERY_LEASE_MS),
    })
    .where(
      and(eq(channelDeliveries.id, input.id), eq(channelDeliveries.status, 'queued'), deliveryLeaseFree(input.now)),
    )
    .returning();
  return claimed;
}

/** Matches the row only while this attempt's lease (`sendingUntil` as claimed) is still the one set on it. */
export function heldBy(claimed: { id: string; sendingUntil: Date | null }) {
  return and(
    eq(channelDeliveries.id, claimed.id),
    eq(channelDeliveries.status, 'queued'),
    claimed.sendingUntil
      ? eq(channelDeliveries.sendingUntil, claimed.sendingUntil)
      : isNull(channelDeliveries.sendingUntil),
  );
}

/** Gives the delivery back (queued, no lease) so the next job can claim it; no-op if another attempt holds it. */
export async function releaseChannelDelivery(
  db: DbOrTx,
  claimed: { id: string; sendingUntil: Date | null },
): Promise<void> {
  await db.update(channelDeliveries).set({ sendingUntil: null }).where(heldBy(claimed));
}
