import type { MergedChannelContact } from '@seva/contracts';
import { and, eq, inArray, isNull, ne } from 'drizzle-orm';
import type { Actor } from '../../platform/auth/permissions.ts';
import type { Db } from '../../platform/db/client.ts';
import { channelContacts, channelConversations, channels, customers, tickets } from '../../platform/db/schema/index.ts';
import { AppError, forbidden, notFound } from '../../platform/errors.ts';
import { recordEvent } from '../../platform/events.ts';
import { forgetNewTicket } from '../../platform/new-ticket-snapshot.ts';
import { resolveMerged } from '../customers/find-or-create-customer.ts';
import { customerVisibleSql } from '../customers/index.ts';

export interface MergeChannelContactInput {
  actor: Actor;
  contactId: string;
  /** the customer the contact moves to */
  customerId: string;
  now: Date;
}

/** Only admins and supervisors move a single contact (it changes who later messages come from). */
function assertMayMergeContacts(actor: Actor): void {
  if (actor.kind !== 'staff' || (actor.role !== 'admin' && actor.role !== 'supervisor')) {
    throw forbidden('Only admins and supervisors can move a contact to another customer');
  }
}

/**
 * Moves ONE channel contact (a WhatsApp number, a Telegram user …) from its customer to another, in one transaction:
 * the contact row, and the contact's open conversations (tickets not closed, not merged, still the old customer's),
 * so later messages from that contact are the target customer's. Closed tickets and earlier messages keep their
 * author (history stays true). Audited as `customer.contact_merged` (+ `ticket.customer_changed` per moved ticket).
 */
export async function mergeChannelContact(db: Db, input: MergeChannelContactInput): Promise<MergedChannelContact> {
  assertMayMergeContacts(input.actor);
  return db.transaction(async (tx) => {
    const [contact] = await tx
      .select()
      .from(channelContacts)
      .where(eq(channelContacts.id, input.contactId))
      .for('update');
    if (!contact) throw notFound('Contact');
    const source = await resolveMerged(tx, contact.customerId);
    if (!source) throw notFound('Contact');
    if (source.id === input.customerId) {
      throw new AppError('VALIDATION_FAILED', 'The contact already belongs to this customer', {
        errors: [{ path: 'customerId', message: 'must be another customer than the contact’s own' }],
      });
    }
    // both customers locked in id order (like merging customers), so opposite moves cannot deadlock
    const locked = await tx
      .select({ id: customers.id, mergedIntoId: customers.mergedIntoId, organisationId: customers.organisationId })
      .from(customers)
      .where(and(inArray(customers.id, [source.id, input.customerId]), customerVisibleSql(input.actor, 'customers')))
      .orderBy(customers.id)
      .for('update');
    const target = locked.find((c) => c.id === input.customerId);
    if (!target) throw notFound('Customer');
    if (target.mergedIntoId)
      throw new AppError('CONFLICT', 'The target customer was merged into another customer: move the contact there');

    await tx.update(channelContacts).set({ customerId: target.id }).where(eq(channelContacts.id, contact.id));
    const open = await tx
      .select({ id: tickets.id })
      .from(tickets)
      .innerJoin(channelConversations, eq(channelConversations.ticketId, tickets.id))
      .where(
        and(
          eq(channelConversations.contactId, contact.id),
          eq(tickets.customerId, source.id),
          ne(tickets.status, 'closed'),
          isNull(tickets.mergedIntoId),
        ),
      )
      .for('update', { of: tickets });
    const movedTicketIds = open.map((t) => t.id);
    if (movedTicketIds.length > 0) {
      await tx
        .update(tickets)
        .set({ customerId: target.id, organisationId: target.organisationId, updatedAt: input.now })
        .where(inArray(tickets.id, movedTicketIds));
      for (const id of movedTicketIds) forgetNewTicket(tx, id);
    }
    for (const ticketId of movedTicketIds) {
      await recordEvent(tx, {
        type: 'ticket.customer_changed',
        actor: input.actor,
        ticketId,
        customerId: target.id,
        payload: {
          fromCustomerId: source.id,
          toCustomerId: target.id,
          reason: 'customer.contact_merged',
          contactId: contact.id,
        },
        at: input.now,
      });
    }
    const [channel] = await tx
      .select({ id: channels.id, kind: channels.kind, name: channels.name })
      .from(channels)
      .where(eq(channels.id, contact.channelId));
    if (!channel) throw notFound('Contact');
    await recordEvent(tx, {
      type: 'customer.contact_merged',
      actor: input.actor,
      customerId: target.id,
      payload: {
        contactId: contact.id,
        channelId: channel.id,
        channelKind: channel.kind,
        externalId: contact.externalId,
        fromCustomerId: source.id,
        toCustomerId: target.id,
        movedTicketIds,
      },
      at: input.now,
    });
    await tx
      .update(customers)
      .set({ updatedAt: input.now })
      .where(inArray(customers.id, [source.id, target.id]));
    return {
      contact: {
        id: contact.id,
        customerId: target.id,
        channelId: channel.id,
        channelKind: channel.kind as MergedChannelContact['contact']['channelKind'],
        channelName: channel.name,
        externalId: contact.externalId,
        displayName: contact.displayName,
        lastInboundAt: contact.lastInboundAt?.toISOString() ?? null,
      },
      fromCustomerId: source.id,
      toCustomerId: target.id,
      movedTicketIds,
    };
  });
}
