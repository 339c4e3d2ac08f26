import { and, eq } from 'drizzle-orm';
import type { Db, DbOrTx } from '../../platform/db/client.ts';
import { channelContacts, customerIdentities, customers } from '../../platform/db/schema/index.ts';
import { recordEvent } from '../../platform/events.ts';
import { normaliseForSearch } from '../../platform/text/normalise.ts';
import { resolveMerged } from '../customers/find-or-create-customer.ts';
import { normaliseEmail, normalisePhone } from '../customers/index.ts';
import type { ChannelRow, InboundContact } from './adapters/adapter.ts';

/** Who wrote on a channel: the channel's contact record, or a customer recognised or created for it. */

const SYSTEM = { kind: 'system' } as const;

async function findByIdentity(tx: DbOrTx, kind: 'email' | 'phone', value: string) {
  const [identity] = await tx
    .select({ customerId: customerIdentities.customerId })
    .from(customerIdentities)
    .where(and(eq(customerIdentities.kind, kind), eq(customerIdentities.value, value)));
  return identity ? resolveMerged(tx, identity.customerId) : null;
}

/** The name a customer gets when the channel told us nothing but an id (a profile lookup may replace it later). */
export function placeholderCustomerName(kind: string, externalId: string): string {
  return `${kind} ${externalId}`.slice(0, 200);
}

/**
 * Who is writing: the channel's own contact record first; otherwise a customer recognised by a phone number the
 * provider vouches for (SMS, WhatsApp) or an email/phone the app marked verified; otherwise a new customer.
 * Unverified details are attached to a new customer only when nobody owns them yet (never to hijack a customer).
 */
export async function resolveContact(tx: Db, channel: ChannelRow, c: InboundContact, now: Date) {
  const [existing] = await tx
    .select()
    .from(channelContacts)
    .where(and(eq(channelContacts.channelId, channel.id), eq(channelContacts.externalId, c.externalId)))
    .for('update');
  if (existing) {
    const customer = await resolveMerged(tx, existing.customerId);
    if (!customer) throw new Error(`customer of channel contact ${existing.id} vanished`);
    await tx
      .update(channelContacts)
      .set({
        lastInboundAt: now,
        ...(customer.id !== existing.customerId ? { customerId: customer.id } : {}),
        ...(c.name && existing.displayName === '' ? { displayName: c.name.slice(0, 200) } : {}),
      })
      .where(eq(channelContacts.id, existing.id));
    return { contactId: existing.id, customer, createdCustomer: false, newContact: false };
  }

  const phone = c.phone ? normalisePhone(c.phone) : null;
  const email = c.email ? normaliseEmail(c.email) : null;
  let customer = null;
  let recognisedBy: string | null = null;
  if (c.verified && phone) {
    customer = await findByIdentity(tx, 'phone', phone);
    if (customer) recognisedBy = 'phone';
  }
  if (!customer && c.verified && email) {
    customer = await findByIdentity(tx, 'email', email);
    if (customer) recognisedBy = 'email';
  }
  let createdCustomer = false;
  if (!customer) {
    const name = (c.name?.trim() || phone || email || placeholderCustomerName(channel.kind, c.externalId)).slice(
      0,
      200,
    );
    const [row] = await tx
      .insert(customers)
      .values({
        name,
        locale: c.locale ?? null,
        searchText: normaliseForSearch([name, phone, email].filter(Boolean).join(' ')),
        createdAt: now,
        updatedAt: now,
      })
      .returning({ id: customers.id, name: customers.name, organisationId: customers.organisationId });
    if (!row) throw new Error('customer insert returned nothing');
    customer = row;
    createdCustomer = true;
    const identities = [
      ...(phone ? [{ kind: 'phone', value: phone }] : []),
      ...(email ? [{ kind: 'email', value: email }] : []),
    ];
    for (const [i, id] of identities.entries()) {
      await tx
        .insert(customerIdentities)
        .values({
          customerId: row.id,
          kind: id.kind,
          value: id.value,
          isPrimary: i === 0,
          isVerified: c.verified === true,
          createdAt: now,
        })
        .onConflictDoNothing({ target: [customerIdentities.kind, customerIdentities.value] });
    }
    await recordEvent(tx, {
      type: 'customer.created',
      actor: SYSTEM,
      customerId: row.id,
      payload: { name, channel: channel.kind, channelId: channel.id },
      at: now,
    });
  }
  const [inserted] = await tx
    .insert(channelContacts)
    .values({
      channelId: channel.id,
      externalId: c.externalId,
      customerId: customer.id,
      displayName: (c.name ?? '').slice(0, 200),
      lastInboundAt: now,
      createdAt: now,
    })
    .onConflictDoNothing()
    .returning({ id: channelContacts.id });
  if (!inserted) {
    // a concurrent delivery created it first: its customer wins, ours is dropped
    if (createdCustomer) await tx.delete(customers).where(eq(customers.id, customer.id));
    return resolveContact(tx, channel, c, now);
  }
  if (recognisedBy) {
    await recordEvent(tx, {
      type: 'customer.channel_linked',
      actor: SYSTEM,
      customerId: customer.id,
      payload: { channelId: channel.id, kind: channel.kind, externalId: c.externalId, recognisedBy },
      at: now,
    });
  }
  return { contactId: inserted.id, customer, createdCustomer, newContact: true };
}

/** The newest ticket of this contact on this channel that is not closed (merges followed). */
