import { and, eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/client.ts';
import {
  chatSessions,
  chatVisitors,
  customerIdentities,
  emailThreads,
  tickets,
} from '../../platform/db/schema/index.ts';
import { registerTicketHook } from '../../platform/ticket-hooks.ts';
import { newReplyToken } from '../email/ingest-inbound-email.ts';
import { replyMailbox } from './offline.service.ts';

/** a visitor whose widget has not been heard from for this long has left the page */
export const VISITOR_GONE_MS = 2 * 60_000;

/**
 * "Continues by email if the visitor leaves": when staff answer a chat ticket publicly after the chat ended or
 * after the visitor went away, and the customer has an email address, the ticket gets an email thread inside the
 * same transaction — so the email module's outbound reader sends that reply (and later ones) by email. Earlier
 * replies, already read in the chat, are marked as skipped for that reader so they are not mailed after the fact.
 */
export async function continueChatByEmail(
  tx: DbOrTx,
  input: { ticketId: string; messageId: string; now: Date },
): Promise<boolean> {
  const [row] = await tx
    .select({
      status: chatSessions.status,
      lastSeenAt: chatVisitors.lastSeenAt,
      teamId: tickets.teamId,
      customerId: tickets.customerId,
      visitorEmail: chatVisitors.email,
    })
    .from(chatSessions)
    .innerJoin(chatVisitors, eq(chatVisitors.id, chatSessions.visitorId))
    .innerJoin(tickets, eq(tickets.id, chatSessions.ticketId))
    .where(eq(chatSessions.ticketId, input.ticketId));
  if (!row) return false;
  const gone = row.status === 'ended' || input.now.getTime() - row.lastSeenAt.getTime() > VISITOR_GONE_MS;
  if (!gone) return false;
  const [thread] = await tx
    .select({ id: emailThreads.ticketId })
    .from(emailThreads)
    .where(eq(emailThreads.ticketId, input.ticketId));
  if (thread) return false;
  const [email] = await tx
    .select({ value: customerIdentities.value })
    .from(customerIdentities)
    .where(and(eq(customerIdentities.customerId, row.customerId), eq(customerIdentities.kind, 'email')))
    .orderBy(sql`${customerIdentities.isPrimary} DESC`, customerIdentities.createdAt)
    .limit(1);
  if (!email) return false;
  const mailboxId = await replyMailbox(tx, row.teamId);
  if (!mailboxId) return false;
  // replies already read live in the chat are not mailed again: mark them for the outbound reader as done
  await tx.execute(sql`
    INSERT INTO outbound_emails (idempotency_key, kind, ticket_id, message_id, mailbox_id, recipient, message_id_header, status, error)
    SELECT 'reply:' || m.id::text, 'reply', m.ticket_id, m.id, ${mailboxId}::uuid, '', '', 'skipped', 'delivered in the live chat'
      FROM messages m
     WHERE m.ticket_id = ${input.ticketId}::uuid AND m.id <> ${input.messageId}::uuid
       AND m.kind = 'public' AND m.author_type = 'staff'
    ON CONFLICT DO NOTHING`);
  await tx
    .insert(emailThreads)
    .values({
      ticketId: input.ticketId,
      mailboxId,
      replyToken: newReplyToken(),
      participants: [email.value],
      createdAt: input.now,
    })
    .onConflictDoNothing();
  return true;
}

export function registerContinueByEmailHook(): void {
  registerTicketHook({
    name: 'widget.continue-by-email',
    order: 400,
    async handle(tx, event) {
      if (event.kind !== 'message' || event.messageKind !== 'public' || event.authorType !== 'staff') return;
      await continueChatByEmail(tx, { ticketId: event.ticketId, messageId: event.messageId, now: event.now });
    },
  });
}
