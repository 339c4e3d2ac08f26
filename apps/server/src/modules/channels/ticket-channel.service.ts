import type { TicketChannelInfo } from '@seva/contracts';
import { and, asc, desc, eq, sql } from 'drizzle-orm';
import type { Actor } from '../../platform/auth/permissions.ts';
import type { Db } from '../../platform/db/client.ts';
import { channelContacts, channelConversations, channels, customerIdentities, emailThreads, mailboxes } from '../../platform/db/schema/index.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { recordEvent } from '../../platform/events.ts';
import { normaliseEmail } from '../customers/index.ts';
import { newReplyToken } from '../email/ingest-inbound-email.ts';
import { appendMessage, findVisibleTicket } from '../tickets/index.ts';
import { HUMAN_AGENT_WINDOW_MS } from './adapters/messenger.adapter.ts';
import { WHATSAPP_WINDOW_MS } from './adapters/whatsapp.adapter.ts';

function windowEnd(kind: string, lastInboundAt: Date | null): string | null {
  if (!lastInboundAt) return null;
  if (kind === 'whatsapp') return new Date(lastInboundAt.getTime() + WHATSAPP_WINDOW_MS).toISOString();
  if (kind === 'messenger' || kind === 'instagram') return new Date(lastInboundAt.getTime() + HUMAN_AGENT_WINDOW_MS).toISOString();
  return null;
}

async function customerEmails(db: Db, customerId: string): Promise<string[]> {
  const rows = await db
    .select({ value: customerIdentities.value })
    .from(customerIdentities)
    .where(and(eq(customerIdentities.customerId, customerId), eq(customerIdentities.kind, 'email')))
    .orderBy(desc(customerIdentities.isPrimary), asc(customerIdentities.createdAt));
  return rows.map((r) => r.value);
}

export async function getTicketChannelInfo(db: Db, actor: Actor, ticketRef: string): Promise<TicketChannelInfo> {
  const ticket = await findVisibleTicket(db, actor, ticketRef);
  if (!ticket) throw notFound('Ticket');
  const [row] = await db
    .select({ channel: channels, contact: channelContacts })
    .from(channelConversations)
    .innerJoin(channels, eq(channels.id, channelConversations.channelId))
    .innerJoin(channelContacts, eq(channelContacts.id, channelConversations.contactId))
    .where(eq(channelConversations.ticketId, ticket.id));
  return {
    ticketId: ticket.id,
    channel: row
      ? {
          id: row.channel.id,
          kind: row.channel.kind as NonNullable<TicketChannelInfo['channel']>['kind'],
          name: row.channel.name,
          status: row.channel.status as NonNullable<TicketChannelInfo['channel']>['status'],
          contact: { externalId: row.contact.externalId, displayName: row.contact.displayName, lastInboundAt: row.contact.lastInboundAt?.toISOString() ?? null },
          replyWindowEndsAt: windowEnd(row.channel.kind, row.contact.lastInboundAt),
          templateConfigured: !!row.channel.settings.templateName,
        }
      : null,
    emails: await customerEmails(db, ticket.customerId),
  };
}

/**
 * Moves a channel conversation to email: later public replies go out by email (the email module sends them for
 * any ticket with an email thread) from the team's default mailbox, or the first active one. The customer's email
 * is the given address (added to the customer when nobody owns it) or their primary one.
 */
export async function moveConversationToEmail(
  db: Db,
  input: { actor: Actor; ticketRef: string; email?: string | undefined; now: Date },
): Promise<TicketChannelInfo> {
  return db.transaction(async (tx) => {
    const ticket = await findVisibleTicket(tx, input.actor, input.ticketRef, { forUpdate: true });
    if (!ticket) throw notFound('Ticket');
    let email: string | null = null;
    if (input.email) {
      email = normaliseEmail(input.email);
      if (!email) throw new AppError('VALIDATION_FAILED', 'Some fields are not valid', { errors: [{ path: 'email', message: 'not a valid email address' }] });
      const [owner] = await tx.select().from(customerIdentities).where(and(eq(customerIdentities.kind, 'email'), eq(customerIdentities.value, email)));
      if (owner && owner.customerId !== ticket.customerId) throw new AppError('CONFLICT', 'This address belongs to another customer: merge the customers first');
      if (!owner) await tx.insert(customerIdentities).values({ customerId: ticket.customerId, kind: 'email', value: email, createdAt: input.now });
    } else {
      email = (await customerEmails(tx as unknown as Db, ticket.customerId))[0] ?? null;
    }
    if (!email) throw new AppError('CONFLICT', 'The customer has no email address: give one');
    const [mailbox] = await tx
      .select()
      .from(mailboxes)
      .where(eq(mailboxes.status, 'active'))
      .orderBy(sql`(${mailboxes.teamId} IS NOT DISTINCT FROM ${ticket.teamId}::uuid AND ${mailboxes.isTeamDefault}) DESC`, asc(mailboxes.createdAt))
      .limit(1);
    if (!mailbox) throw new AppError('CONFLICT', 'No active mailbox to send from: add one under Email');
    await tx
      .insert(emailThreads)
      .values({ ticketId: ticket.id, mailboxId: mailbox.id, replyToken: newReplyToken(), participants: [email], createdAt: input.now })
      .onConflictDoUpdate({ target: emailThreads.ticketId, set: { mailboxId: mailbox.id, participants: [email] } });
    const [removed] = await tx.delete(channelConversations).where(eq(channelConversations.ticketId, ticket.id)).returning();
    await appendMessage(tx, {
      ticketId: ticket.id,
      kind: 'system',
      authorType: 'system',
      channel: 'email',
      body: `Conversation moved to email (${email}).`,
      status: 'sent',
      meta: { channel: { movedToEmail: email, fromChannelId: removed?.channelId ?? null } },
      actor: input.actor,
      now: input.now,
    });
    await recordEvent(tx, {
      type: 'ticket.channel_moved',
      actor: input.actor,
      ticketId: ticket.id,
      payload: { to: 'email', email, mailboxId: mailbox.id, fromChannelId: removed?.channelId ?? null },
      at: input.now,
    });
    return { ticketId: ticket.id, channel: null, emails: [email] };
  });
}
