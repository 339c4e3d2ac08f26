import { and, eq } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.ts';
import { channelDeliveries, channels } from '../../platform/db/schema/index.ts';
import type { JobContext } from '../../platform/jobs/jobs.ts';
import type { SecretBox } from '../email/secret-box.ts';
import type { ChannelRow, SendInput, SendResult } from './adapters/adapter.ts';
import { adapterFor } from './adapters/index.ts';
import { claimChannelDelivery, heldBy, releaseChannelDelivery } from './claim-channel-delivery.ts';
import { composeChannelMessage } from './compose-channel-message.ts';
import { markMessageDelivery } from './delivery-status.ts';

export interface DeliverDeps {
  db: Db;
  box: SecretBox;
  now: () => Date;
  net: SendInput['net'];
  /** the public base URL (for provider status callbacks), if configured */
  publicUrl: string | undefined;
}

type Delivery = typeof channelDeliveries.$inferSelect;

/**
 * Sends one delivery through its channel's adapter, at most one attempt at a time: the attempt first claims the
 * delivery (claim-channel-delivery.ts: still `queued`, no live lease; the attempt counted and a lease set in one
 * statement), so a second job for it — the stranded sweep's, a resume's, pg-boss's retry after an expiry — sends
 * nothing while the first is sending, and nothing once it has left. A crashed attempt's lease runs out and the
 * sweep's next job sends it.
 * Transient failures (network, 5xx, 429) give the lease back and throw so pg-boss retries with backoff; permanent
 * ones (4xx, outside the window) and the last retry mark the delivery and its message `failed` and show the error
 * on the channel. A paused channel leaves the delivery queued, unclaimed; resuming the channel queues it again.
 */
export async function deliverChannelMessage(deps: DeliverDeps, deliveryId: string, job: JobContext): Promise<void> {
  const [found] = await deps.db
    .select({ status: channelDeliveries.status, channel: channels })
    .from(channelDeliveries)
    .innerJoin(channels, eq(channels.id, channelDeliveries.channelId))
    .where(eq(channelDeliveries.id, deliveryId));
  if (found?.status !== 'queued' || found.channel.status === 'paused') return;
  const { channel } = found;

  const now = deps.now();
  const d = await claimChannelDelivery(deps.db, { id: deliveryId, now });
  if (!d) return;

  let result: SendResult;
  try {
    const message = await composeChannelMessage(deps, d, channel);
    result = await adapterFor(channel.kind).send({
      ...message,
      channel,
      recipient: d.recipient,
      now,
      net: deps.net,
      deliveryId: d.id,
      statusCallbackUrl: deps.publicUrl
        ? `${deps.publicUrl.replace(/\/$/, '')}/hooks/channels/${channel.id}/status`
        : undefined,
    });
  } catch (err) {
    // not a provider's answer (a database error, a bug): let pg-boss's retry claim it again
    await releaseChannelDelivery(deps.db, d);
    throw err;
  }

  if (result.ok) return recordSent(deps.db, { d, channel, now, result });
  const last = result.permanent || job.retryCount >= job.retryLimit;
  await recordFailure(deps.db, { d, channel, now, result, last });
  if (!last) throw new Error(`delivery ${d.id}: ${result.error}`);
}

/**
 * The delivery left: its status moves on (from `queued` only, whoever holds the lease now — the message went out
 * either way) and the lease is cleared.
 */
async function recordSent(
  db: Db,
  input: { d: Delivery; channel: ChannelRow; now: Date; result: Extract<SendResult, { ok: true }> },
): Promise<void> {
  const { d, now, result } = input;
  await db.transaction(async (tx) => {
    const [moved] = await tx
      .update(channelDeliveries)
      .set({
        status: result.status,
        providerMessageId: result.providerMessageId,
        lastError: null,
        sendingUntil: null,
        updatedAt: now,
      })
      .where(and(eq(channelDeliveries.id, d.id), eq(channelDeliveries.status, 'queued')))
      .returning({ id: channelDeliveries.id });
    if (!moved) return;
    await tx.update(channels).set({ lastOutboundAt: now }).where(eq(channels.id, input.channel.id));
    await markMessageDelivery(tx, {
      messageId: d.messageId,
      ticketId: d.ticketId,
      state: result.status,
      providerMessageId: result.providerMessageId,
      now,
    });
  });
}

/**
 * The provider refused or could not be reached: the error is recorded and the lease given back (so the retry can
 * claim it), or — permanent, or the last retry — the delivery and its message are `failed`. The delivery is only
 * touched while this attempt still holds it (a later attempt that took over after the lease ran out owns the
 * outcome); the channel's error is shown either way.
 */
async function recordFailure(
  db: Db,
  input: { d: Delivery; channel: ChannelRow; now: Date; result: Extract<SendResult, { ok: false }>; last: boolean },
): Promise<void> {
  const { d, channel, now, result, last } = input;
  const error = result.error.slice(0, 1000);
  await db.transaction(async (tx) => {
    const [moved] = await tx
      .update(channelDeliveries)
      .set({ lastError: error, sendingUntil: null, updatedAt: now, ...(last ? { status: 'failed' } : {}) })
      .where(heldBy(d))
      .returning({ id: channelDeliveries.id });
    if (last || result.channelError) {
      await tx
        .update(channels)
        .set({ lastError: error, lastErrorAt: now, ...(result.channelError ? { status: 'error' } : {}) })
        .where(eq(channels.id, channel.id));
    }
    if (last && moved)
      await markMessageDelivery(tx, { messageId: d.messageId, ticketId: d.ticketId, state: 'failed', error, now });
  });
}
