import type { WhatsappInteractiveBody } from '@seva/contracts';
import { eq } from 'drizzle-orm';
import type { Actor } from '../../platform/auth/permissions.ts';
import type { Db } from '../../platform/db/client.ts';
import { channelContacts, channelConversations, channels } from '../../platform/db/schema/index.ts';
import { AppError, forbidden, notFound } from '../../platform/errors.ts';
import { appendMessage, changeTicketStatus, findVisibleTicket, statusAfterAgentReply } from '../tickets/index.ts';
import { WHATSAPP_WINDOW_MS } from './adapters/whatsapp.adapter.ts';
import { interactiveAsText } from './adapters/whatsapp-template.ts';

/**
 * An agent's reply as WhatsApp reply buttons or a list. Only inside the 24-hour customer-service window (free-form
 * messages; a template cannot carry them). Stored as a public reply whose `meta.channel.interactive` the delivery
 * sends; the text shows the agent the choices offered. The customer's choice comes back as a message (its id in
 * `meta.channel.provider.reply`).
 */
export async function sendInteractiveMessage(
  db: Db,
  input: { actor: Actor; ticketRef: string; body: WhatsappInteractiveBody; now: Date },
): Promise<{ messageId: string }> {
  const { actor, now } = input;
  if (actor.kind !== 'staff') throw forbidden();
  // collaborators' replies may need approval, which a ready-made interactive message does not go through
  if (actor.role === 'collaborator') throw forbidden('Collaborators cannot send interactive messages');
  return db.transaction(async (tx) => {
    const ticket = await findVisibleTicket(tx, actor, input.ticketRef, { forUpdate: true });
    if (!ticket) throw notFound('Ticket');
    if (ticket.status === 'closed') throw new AppError('CONFLICT', 'The ticket is closed');
    const [conv] = await tx
      .select({ kind: channels.kind, lastInboundAt: channelContacts.lastInboundAt })
      .from(channelConversations)
      .innerJoin(channels, eq(channels.id, channelConversations.channelId))
      .innerJoin(channelContacts, eq(channelContacts.id, channelConversations.contactId))
      .where(eq(channelConversations.ticketId, ticket.id));
    if (conv?.kind !== 'whatsapp') {
      throw new AppError('CONFLICT', 'Buttons and lists can only be sent in a WhatsApp conversation');
    }
    if (!conv?.lastInboundAt || now.getTime() - conv.lastInboundAt.getTime() >= WHATSAPP_WINDOW_MS) {
      throw new AppError(
        'CONFLICT',
        'The 24-hour reply window is closed: buttons and lists can be sent only after the customer writes again',
      );
    }
    const m = await appendMessage(tx, {
      ticketId: ticket.id,
      kind: 'public',
      authorType: 'staff',
      authorStaffId: actor.userId,
      channel: ticket.channel,
      body: interactiveAsText(input.body),
      status: 'sent',
      meta: { channel: { interactive: input.body } },
      actor,
      now,
    });
    const current = ticket.status as Parameters<typeof statusAfterAgentReply>[0];
    const decision = statusAfterAgentReply(current);
    if (decision.ok && decision.status !== current)
      await changeTicketStatus(tx, { ticket, to: decision.status, actor, now });
    return { messageId: m.id };
  });
}
