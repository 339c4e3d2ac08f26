import { and, eq, lt, ne } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.ts';
import { channelDeliveries, channels } from '../../platform/db/schema/index.ts';
import type { Jobs } from '../../platform/jobs/jobs.ts';
import { deliverChannelMessageJob } from './channels.jobs.ts';
import { deliveryLeaseFree } from './claim-channel-delivery.ts';

/** a queued delivery untouched this long has lost its job (the retries of a live one touch it much sooner) */
const STRANDED_AFTER_MS = 15 * 60_000;

/**
 * Sends a new job for every delivery still `queued` long after its last attempt on an active channel (a job that
 * expired or was removed, an attempt that crashed while sending). A delivery whose lease is live is being sent and
 * is left alone (the lease is shorter than 15 minutes and its claim sets updated_at, so this only matters if that
 * ever changes); a second job for a live one would be harmless anyway: it finds the delivery taken and sends nothing.
 */
export async function requeueStrandedDeliveries(ctx: { db: Db; jobs: Jobs; now: () => Date }): Promise<number> {
  const cutoff = new Date(ctx.now().getTime() - STRANDED_AFTER_MS);
  const rows = await ctx.db
    .select({ id: channelDeliveries.id })
    .from(channelDeliveries)
    .innerJoin(channels, eq(channels.id, channelDeliveries.channelId))
    .where(
      and(
        eq(channelDeliveries.status, 'queued'),
        lt(channelDeliveries.updatedAt, cutoff),
        deliveryLeaseFree(ctx.now()),
        ne(channels.status, 'paused'),
      ),
    )
    .limit(500);
  const stamp = ctx.now().getTime();
  for (const r of rows) {
    await ctx.jobs.send(deliverChannelMessageJob, { deliveryId: r.id }, { singletonKey: `${r.id}:sweep:${stamp}` });
    await ctx.db.update(channelDeliveries).set({ updatedAt: ctx.now() }).where(eq(channelDeliveries.id, r.id));
  }
  return rows.length;
}
