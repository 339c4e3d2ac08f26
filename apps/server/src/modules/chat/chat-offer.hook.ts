import { eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/client.ts';
import { chatSessions, tickets } from '../../platform/db/schema/index.ts';
import { recordEvent } from '../../platform/events.ts';
import type { TicketHookEvent } from '../../platform/ticket-hooks.ts';
import { offerChat } from './offer-chat.ts';

/**
 * Ticket hook 'chat-offer' (order 150, after routing set the team): keeps the live chat in step with its ticket — a
 * chat handed to another person or team (a transfer, or a manual reassignment) waits again for them; a chat whose
 * ticket is solved or closed ends. The offer itself is made by the 'chat-offer-send' hook, which runs last.
 */
export async function handleChatOfferHook(tx: DbOrTx, e: TicketHookEvent): Promise<void> {
  if (e.kind === 'status' && (e.to === 'solved' || e.to === 'closed')) {
    await endChatSilently(tx, e.ticketId, e.now);
    return;
  }
  if (e.kind !== 'updated' || !(e.changed.includes('assigneeId') || e.changed.includes('teamId'))) return;
  const [row] = await tx
    .select({ status: chatSessions.status, acceptedById: chatSessions.acceptedById, offeredToId: chatSessions.offeredToId, assigneeId: tickets.assigneeId })
    .from(chatSessions)
    .innerJoin(tickets, eq(tickets.id, chatSessions.ticketId))
    .where(eq(chatSessions.ticketId, e.ticketId));
  if (!row || row.status === 'ended') return;
  if (row.status === 'active') {
    if (row.assigneeId === row.acceptedById && !e.changed.includes('teamId')) return;
    // handed on: it waits for the new person (or team); the one who had it is not offered it again
    await tx
      .update(chatSessions)
      .set({ status: 'waiting', acceptedById: null, acceptedAt: null, offeredToId: null, offeredAt: null, offeredIds: row.acceptedById ? [row.acceptedById] : [], updatedAt: e.now })
      .where(eq(chatSessions.ticketId, e.ticketId));
    return;
  }
  // waiting: a person it was handed to is offered it next; a new team gets a fresh round of offers
  if (row.assigneeId && row.assigneeId !== row.offeredToId) {
    await tx.update(chatSessions).set({ offeredToId: null, offeredAt: null, updatedAt: e.now }).where(eq(chatSessions.ticketId, e.ticketId));
  } else if (!row.assigneeId && e.changed.includes('teamId')) {
    await tx.update(chatSessions).set({ offeredIds: sql`'{}'::uuid[]`, offeredToId: null, offeredAt: null, updatedAt: e.now }).where(eq(chatSessions.ticketId, e.ticketId));
  }
}

/**
 * Ticket hook 'chat-offer-send' (order 10000, after every other hook, so the load lock it takes is held only to the
 * end of the transaction): a new chat, or one that waits again after being handed on, is offered to someone now —
 * the ticket's assignee if it was handed to a person with room, else the best available person. When the load lock
 * is busy it leaves the offer to the sweep (SEVA_CHAT_SWEEP_SECONDS).
 */
export async function handleChatOfferSendHook(tx: DbOrTx, e: TicketHookEvent): Promise<void> {
  const relevant =
    (e.kind === 'created' && e.source === 'widget') || (e.kind === 'updated' && (e.changed.includes('assigneeId') || e.changed.includes('teamId')));
  if (!relevant) return;
  const r = await tx.execute(sql`SELECT 1 FROM chat_sessions WHERE ticket_id = ${e.ticketId} AND status = 'waiting' AND offered_to_id IS NULL`);
  if (r.rows.length === 0) return;
  await offerChat(tx, { ticketId: e.ticketId, now: e.now, fromHook: true, announceQueued: e.kind === 'created' });
}

/** The ticket was solved or closed some other way: the live chat is over. */
async function endChatSilently(tx: DbOrTx, ticketId: string, now: Date): Promise<void> {
  const ended = await tx
    .update(chatSessions)
    .set({ status: 'ended', endedAt: now, endedBy: 'agent', offeredToId: null, offeredAt: null, updatedAt: now })
    .where(sql`${chatSessions.ticketId} = ${ticketId} AND ${chatSessions.status} <> 'ended'`)
    .returning({ ticketId: chatSessions.ticketId });
  if (ended.length > 0) await recordEvent(tx, { type: 'chat.ended', actor: { kind: 'system' }, ticketId, payload: { endedBy: 'agent', keepOpen: false }, at: now });
}
