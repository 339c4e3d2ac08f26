import { and, desc, eq, gte, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.ts';
import { channelContacts, channelDeliveries, channels, customers } from '../../platform/db/schema/index.ts';
import { getChannel } from './channels.service.ts';

/** What the channels did: a channel's delivery log, cost per channel, a customer's contacts across channels. */

export async function listDeliveries(db: Db, channelId: string, opts: { limit: number; status?: string | undefined }) {
  await getChannel(db, channelId);
  return db
    .select()
    .from(channelDeliveries)
    .where(
      and(
        eq(channelDeliveries.channelId, channelId),
        opts.status ? eq(channelDeliveries.status, opts.status) : undefined,
      ),
    )
    .orderBy(desc(channelDeliveries.createdAt))
    .limit(opts.limit);
}

/** Outbound messages that left each channel in the period, times its cost per message. */
export async function channelCosts(db: Db, since: Date) {
  const rows = await db
    .select({
      channelId: channels.id,
      name: channels.name,
      kind: channels.kind,
      currency: channels.currency,
      costMicros: channels.costPerMessageMicros,
      sent: sql<number>`count(${channelDeliveries.id})::int`,
    })
    .from(channels)
    .leftJoin(
      channelDeliveries,
      and(
        eq(channelDeliveries.channelId, channels.id),
        gte(channelDeliveries.createdAt, since),
        inArray(channelDeliveries.status, ['sent', 'delivered', 'read']),
      ),
    )
    .groupBy(channels.id)
    .orderBy(channels.name);
  return rows.map((r) => ({
    channelId: r.channelId,
    name: r.name,
    kind: r.kind,
    currency: r.currency,
    messagesSent: r.sent,
    costPerMessage: r.costMicros / 1_000_000,
    totalCost: (r.costMicros * r.sent) / 1_000_000,
  }));
}

/** Every channel contact of a customer (and of customers merged into it): one history across channels. */
export async function customerChannelContacts(db: Db, customerId: string) {
  const merged = await db.select({ id: customers.id }).from(customers).where(eq(customers.mergedIntoId, customerId));
  const ids = [customerId, ...merged.map((m) => m.id)];
  return db
    .select({
      id: channelContacts.id,
      customerId: channelContacts.customerId,
      channelId: channels.id,
      channelKind: channels.kind,
      channelName: channels.name,
      externalId: channelContacts.externalId,
      displayName: channelContacts.displayName,
      lastInboundAt: channelContacts.lastInboundAt,
    })
    .from(channelContacts)
    .innerJoin(channels, eq(channels.id, channelContacts.channelId))
    .where(inArray(channelContacts.customerId, ids))
    .orderBy(desc(channelContacts.lastInboundAt));
}
