import { eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/client.ts';
import { chatSessions, tickets, widgets } from '../../platform/db/schema/index.ts';
import { recordEvent } from '../../platform/events.ts';
import { hasChatCapacity, listChatCandidates } from './chat-candidates.ts';
import { chooseChatAgent } from './choose-chat-agent.ts';

const SYSTEM = { kind: 'system' } as const;

/**
 * Locks one chat for this transaction: the ticket row first, then its session row — the order every ticket write
 * uses (ticket services lock the ticket, then hooks touch the session), so chat work never deadlocks with them.
 * With `skipLocked` a chat someone else is working on is skipped (answers false) instead of waited for.
 */
export async function lockChatRow(tx: DbOrTx, ticketId: string, opts: { skipLocked?: boolean } = {}): Promise<boolean> {
  const skip = opts.skipLocked ? sql` SKIP LOCKED` : sql``;
  const t = await tx.execute(sql`SELECT id FROM tickets WHERE id = ${ticketId} FOR UPDATE${skip}`);
  if (t.rows.length === 0) return false;
  const s = await tx.execute(sql`SELECT ticket_id FROM chat_sessions WHERE ticket_id = ${ticketId} FOR UPDATE${skip}`);
  return s.rows.length > 0;
}

/**
 * Chat offers and acceptances change people's chat load; they all take this lock (to the end of the transaction) so
 * two offers at once cannot both fill someone's last slot. Whoever waits for it must hold nothing anyone holding it
 * could wait for: the chat services take it last (after their own rows and ticket hooks), and after it touch other
 * chats only through `SKIP LOCKED`. Ticket hooks, which run inside other people's transactions, only *try* for a
 * moment (`wait: false`) and otherwise leave the offer to the sweep, a couple of seconds later.
 */
export async function lockChatLoads(tx: DbOrTx, opts: { wait?: boolean } = {}): Promise<boolean> {
  if (opts.wait !== false) {
    await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtext('seva.chat.offers'))`);
    return true;
  }
  for (let i = 0; i < 12; i += 1) {
    const r = await tx.execute<{ ok: boolean }>(
      sql`SELECT pg_try_advisory_xact_lock(hashtext('seva.chat.offers')) AS ok`,
    );
    if (r.rows[0]?.ok) return true;
    await new Promise((resolve) => setTimeout(resolve, 10 + Math.floor(Math.random() * 15)));
  }
  return false;
}

export interface OfferChatInput {
  ticketId: string;
  now: Date;
  /** offer to this person if they may take it (a transfer to someone); default: the ticket's assignee, if any */
  toUserId?: string | null;
  /** called from a ticket hook: do not wait for the load lock (see lockChatLoads); the sweep offers it instead */
  fromHook?: boolean;
  /** a new chat nobody can take: say so (`chat.queued`) even though nothing was offered before */
  announceQueued?: boolean;
}

/**
 * Offers a waiting chat to the best available person with chat capacity (see chooseChatAgent), skipping people who
 * already let it pass; nobody → it waits in the queue (`chat.queued`). Answers who it was offered to.
 */
export async function offerChat(tx: DbOrTx, input: OfferChatInput): Promise<string | null> {
  if (!(await lockChatLoads(tx, { wait: !input.fromHook }))) return null;
  const [row] = await tx
    .select({
      offerTimeoutSeconds: widgets.offerTimeoutSeconds,
      status: chatSessions.status,
      offeredToId: chatSessions.offeredToId,
      offeredIds: chatSessions.offeredIds,
      teamId: tickets.teamId,
      language: tickets.language,
      locale: chatSessions.locale,
      assigneeId: tickets.assigneeId,
    })
    .from(chatSessions)
    .innerJoin(tickets, eq(tickets.id, chatSessions.ticketId))
    .innerJoin(widgets, eq(widgets.id, chatSessions.widgetId))
    .where(eq(chatSessions.ticketId, input.ticketId));
  if (!row || row.status !== 'waiting') return null;
  const candidates = await listChatCandidates(tx, { teamId: row.teamId, now: input.now });
  const language = (row.language ?? row.locale ?? '').split('-')[0] || null;
  // the person it was handed to, if they have room; else the next available person like any other offer
  const target = input.toUserId === undefined ? row.assigneeId : input.toUserId;
  const wanted = target
    ? candidates.find((c) => c.id === target && hasChatCapacity(c) && !row.offeredIds.includes(c.id))
    : undefined;
  const chosen =
    wanted ?? chooseChatAgent(candidates, { teamId: row.teamId, language, exclude: new Set(row.offeredIds) });
  const to = chosen?.id ?? null;
  // already offered to them, or already waiting in the queue: nothing changes, nothing to announce
  if (to === row.offeredToId) {
    if (to === null && input.announceQueued)
      await recordEvent(tx, {
        type: 'chat.queued',
        actor: SYSTEM,
        ticketId: input.ticketId,
        payload: {},
        at: input.now,
      });
    return to;
  }
  await tx
    .update(chatSessions)
    .set({ offeredToId: to, offeredAt: to ? input.now : null, updatedAt: input.now })
    .where(eq(chatSessions.ticketId, input.ticketId));
  await recordEvent(
    tx,
    to
      ? {
          type: 'chat.offered',
          actor: SYSTEM,
          ticketId: input.ticketId,
          payload: { userId: to, timeoutSeconds: row.offerTimeoutSeconds },
          at: input.now,
        }
      : { type: 'chat.queued', actor: SYSTEM, ticketId: input.ticketId, payload: {}, at: input.now },
  );
  return to;
}

/** The person the chat was offered to lets it pass (declined or did not answer in time): remember them, move on. */
export async function passChatOffer(
  tx: DbOrTx,
  input: { ticketId: string; userId: string; now: Date },
): Promise<string | null> {
  await tx
    .update(chatSessions)
    .set({
      offeredIds: sql`array_append(array_remove(${chatSessions.offeredIds}, ${input.userId}::uuid), ${input.userId}::uuid)`,
      updatedAt: input.now,
    })
    .where(eq(chatSessions.ticketId, input.ticketId));
  return offerChat(tx, { ticketId: input.ticketId, now: input.now });
}
