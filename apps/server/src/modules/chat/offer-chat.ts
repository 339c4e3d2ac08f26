import { eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/client.ts';
import { chatSessions, tickets } from '../../platform/db/schema/index.ts';
import { recordEvent } from '../../platform/events.ts';
import { listChatCandidates } from './chat-candidates.ts';
import { chooseChatAgent } from './choose-chat-agent.ts';

const SYSTEM = { kind: 'system' } as const;

/**
 * Chat offers and acceptances change people's chat load; they all take this lock (to the end of the transaction) so
 * two offers at once cannot both fill someone's last slot.
 */
export async function lockChatLoads(tx: DbOrTx): Promise<void> {
  await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtext('seva.chat.offers'))`);
}

export interface OfferChatInput {
  ticketId: string;
  now: Date;
  /** offer to this person if they may take it (a transfer to someone); else choose */
  toUserId?: string | null;
}

/**
 * Offers a waiting chat to the best available person with chat capacity (see chooseChatAgent), skipping people who
 * already let it pass; nobody → it waits in the queue (`chat.queued`). Answers who it was offered to.
 */
export async function offerChat(tx: DbOrTx, input: OfferChatInput): Promise<string | null> {
  await lockChatLoads(tx);
  const [row] = await tx
    .select({ status: chatSessions.status, offeredToId: chatSessions.offeredToId, offeredIds: chatSessions.offeredIds, teamId: tickets.teamId, language: tickets.language, locale: chatSessions.locale })
    .from(chatSessions)
    .innerJoin(tickets, eq(tickets.id, chatSessions.ticketId))
    .where(eq(chatSessions.ticketId, input.ticketId));
  if (!row || row.status !== 'waiting') return null;
  const candidates = await listChatCandidates(tx, { teamId: row.teamId, now: input.now });
  const language = (row.language ?? row.locale ?? '').split('-')[0] || null;
  const wanted = input.toUserId ? candidates.find((c) => c.id === input.toUserId && c.available) : undefined;
  const chosen = wanted ?? chooseChatAgent(candidates, { teamId: row.teamId, language, exclude: new Set(row.offeredIds) });
  const to = chosen?.id ?? null;
  // already offered to them, or already waiting in the queue: nothing changes, nothing to announce
  if (to === row.offeredToId) return to;
  await tx.update(chatSessions).set({ offeredToId: to, offeredAt: to ? input.now : null, updatedAt: input.now }).where(eq(chatSessions.ticketId, input.ticketId));
  await recordEvent(tx, to ? { type: 'chat.offered', actor: SYSTEM, ticketId: input.ticketId, payload: { userId: to }, at: input.now } : { type: 'chat.queued', actor: SYSTEM, ticketId: input.ticketId, payload: {}, at: input.now });
  return to;
}

/** The person the chat was offered to lets it pass (declined or did not answer in time): remember them, move on. */
export async function passChatOffer(tx: DbOrTx, input: { ticketId: string; userId: string; now: Date }): Promise<string | null> {
  await tx
    .update(chatSessions)
    .set({ offeredIds: sql`array_append(array_remove(${chatSessions.offeredIds}, ${input.userId}::uuid), ${input.userId}::uuid)`, updatedAt: input.now })
    .where(eq(chatSessions.ticketId, input.ticketId));
  return offerChat(tx, { ticketId: input.ticketId, now: input.now });
}
