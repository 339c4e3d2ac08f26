import { eq, sql } from 'drizzle-orm';
import type { StaffActor } from '../../platform/auth/permissions.ts';
import type { DbOrTx } from '../../platform/db/client.ts';
import { chatSessions, tickets } from '../../platform/db/schema/index.ts';
import type { Deps } from '../../platform/deps.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { recordEvent } from '../../platform/events.ts';
import { patchNewTicket } from '../../platform/new-ticket-snapshot.ts';
import { runTicketHooks } from '../../platform/ticket-hooks.ts';
import { changeTicketStatus } from '../tickets/index.ts';
import type { TicketStatus } from '../tickets/ticket-status.ts';
import { chatVisibleTo } from './chats.repository.ts';
import { lockChatLoads, lockChatRow, offerChat, passChatOffer } from './offer-chat.ts';
import { offerQueuedChats } from './offer-queued-chats.ts';

type ServiceDeps = Pick<Deps, 'db' | 'clock'>;

interface LockedChat {
  ticket_id: string;
  status: string;
  offered_to_id: string | null;
  accepted_by_id: string | null;
  ticket_status: string;
  assignee_id: string | null;
  last_seq: number;
  agent_read_seq: number;
  visitor_email: string | null;
  [key: string]: unknown;
}

/** The chat, locked for this transaction (lockChatRow), if the actor may see it (else 404, as for any foreign ticket). */
async function lockVisibleChat(tx: DbOrTx, actor: StaffActor, ticketId: string): Promise<LockedChat> {
  if (!(await lockChatRow(tx, ticketId))) throw notFound('Chat');
  const r = await tx.execute<LockedChat>(sql`
    SELECT cs.ticket_id, cs.status, cs.offered_to_id, cs.accepted_by_id, t.status AS ticket_status, t.assignee_id, t.last_seq,
           cs.agent_read_seq, v.email AS visitor_email
      FROM chat_sessions cs JOIN tickets t ON t.id = cs.ticket_id JOIN chat_visitors v ON v.id = cs.visitor_id
     WHERE cs.ticket_id = ${ticketId} AND ${chatVisibleTo(actor)}`);
  const row = r.rows[0];
  if (!row) throw notFound('Chat');
  return row;
}

async function assignTo(
  tx: DbOrTx,
  input: { actor: StaffActor | { kind: 'system' }; chat: LockedChat; userId: string | null; reason: string; now: Date },
): Promise<void> {
  if (input.chat.assignee_id === input.userId) return;
  await tx
    .update(tickets)
    .set({ assigneeId: input.userId, updatedAt: input.now })
    .where(eq(tickets.id, input.chat.ticket_id));
  patchNewTicket(tx, input.chat.ticket_id, { assigneeId: input.userId, updatedAt: input.now });
  await recordEvent(tx, {
    type: 'ticket.assigned',
    actor: input.actor,
    ticketId: input.chat.ticket_id,
    payload: { assigneeId: { from: input.chat.assignee_id, to: input.userId }, reason: input.reason },
    at: input.now,
  });
  await runTicketHooks(tx, {
    kind: 'updated',
    ticketId: input.chat.ticket_id,
    actor: input.actor,
    now: input.now,
    changed: ['assigneeId'],
  });
}

/**
 * Takes a waiting chat: exactly one of two people accepting at once wins (the row lock), the other gets 409. The
 * ticket becomes theirs and open. Nobody takes more chats than their capacity (active + offered to them): checked
 * last, under the load lock, and the whole accept is undone when it would overfill them.
 */
export async function acceptChat(deps: ServiceDeps, input: { actor: StaffActor; ticketId: string }): Promise<void> {
  const { actor } = input;
  const now = deps.clock.now();
  await deps.db.transaction(async (tx) => {
    const chat = await lockVisibleChat(tx, actor, input.ticketId);
    if (chat.status === 'active' && chat.accepted_by_id === actor.userId) return;
    if (chat.status !== 'waiting')
      throw new AppError(
        'CONFLICT',
        chat.status === 'active' ? 'Someone else has already accepted this chat' : 'This chat has ended',
      );
    // someone away, offline or on time off would have it taken back by the next sweep: refuse instead
    const available = await tx.execute<{ ok: boolean }>(sql`
      SELECT coalesce((SELECT status = 'online' FROM staff_availability WHERE user_id = ${actor.userId}), false)
         AND NOT EXISTS (SELECT 1 FROM staff_time_off o WHERE o.user_id = ${actor.userId}
                            AND o.starts_at <= ${now.toISOString()}::timestamptz AND o.ends_at > ${now.toISOString()}::timestamptz) AS ok`);
    if (!available.rows[0]?.ok) {
      throw new AppError('CONFLICT', 'Set yourself online to take chats', { details: { reason: 'not_available' } });
    }
    await tx
      .update(chatSessions)
      .set({
        status: 'active',
        acceptedById: actor.userId,
        acceptedAt: now,
        offeredToId: null,
        offeredAt: null,
        updatedAt: now,
      })
      .where(eq(chatSessions.ticketId, chat.ticket_id));
    await recordEvent(tx, {
      type: 'chat.accepted',
      actor,
      ticketId: chat.ticket_id,
      payload: { userId: actor.userId, name: actor.name },
      at: now,
    });
    await assignTo(tx, { actor, chat, userId: actor.userId, reason: 'chat_accepted', now });
    if (chat.ticket_status === 'new' || chat.ticket_status === 'pending' || chat.ticket_status === 'solved') {
      await changeTicketStatus(tx, {
        ticket: { id: chat.ticket_id, status: chat.ticket_status as TicketStatus },
        to: 'open',
        actor,
        now,
      });
    }
    await lockChatLoads(tx);
    const load = await tx.execute<{ held: number; max: number | null }>(sql`
      SELECT (SELECT count(*) FROM chat_sessions WHERE (status = 'active' AND accepted_by_id = ${actor.userId})
                 OR (status = 'waiting' AND offered_to_id = ${actor.userId}))::int AS held,
             (SELECT max_chats FROM staff_availability WHERE user_id = ${actor.userId}) AS max`);
    const l = load.rows[0] ?? { held: 0, max: null };
    if (l.held > (l.max ?? 3))
      throw new AppError('CONFLICT', 'You are at your chat capacity; end or hand on a chat first', {
        details: { reason: 'at_capacity' },
      });
  });
}

/** The person a chat is offered to lets it pass; it moves on to the next available person (or the queue). */
export async function declineChat(deps: ServiceDeps, input: { actor: StaffActor; ticketId: string }): Promise<void> {
  const now = deps.clock.now();
  await deps.db.transaction(async (tx) => {
    const chat = await lockVisibleChat(tx, input.actor, input.ticketId);
    if (chat.status !== 'waiting' || chat.offered_to_id !== input.actor.userId)
      throw new AppError('CONFLICT', 'This chat is not offered to you');
    await recordEvent(tx, {
      type: 'chat.declined',
      actor: input.actor,
      ticketId: chat.ticket_id,
      payload: { userId: input.actor.userId },
      at: now,
    });
    await passChatOffer(tx, { ticketId: chat.ticket_id, userId: input.actor.userId, now });
  });
}

/**
 * An agent ends a chat. Without `keepOpen` the ticket is solved; with it the ticket stays open as a normal ticket
 * that continues by email (so the visitor must have given an email). Queued chats are offered to whoever is free now.
 */
export async function endChat(
  deps: ServiceDeps,
  input: { actor: StaffActor; ticketId: string; keepOpen: boolean },
): Promise<void> {
  const now = deps.clock.now();
  await deps.db.transaction(async (tx) => {
    const chat = await lockVisibleChat(tx, input.actor, input.ticketId);
    if (chat.status === 'ended') throw new AppError('CONFLICT', 'This chat has already ended');
    if (input.keepOpen && !chat.visitor_email) {
      throw new AppError(
        'VALIDATION_FAILED',
        'The visitor left no email address, so the ticket cannot continue by email',
        {
          errors: [{ path: 'keepOpen', message: 'the visitor has no email address' }],
        },
      );
    }
    await tx
      .update(chatSessions)
      .set({ status: 'ended', endedAt: now, endedBy: 'agent', offeredToId: null, offeredAt: null, updatedAt: now })
      .where(eq(chatSessions.ticketId, chat.ticket_id));
    await recordEvent(tx, {
      type: 'chat.ended',
      actor: input.actor,
      ticketId: chat.ticket_id,
      payload: { endedBy: 'agent', keepOpen: input.keepOpen },
      at: now,
    });
    const status = chat.ticket_status as TicketStatus;
    if (input.keepOpen) {
      if (!chat.assignee_id)
        await assignTo(tx, { actor: input.actor, chat, userId: input.actor.userId, reason: 'chat_kept_open', now });
      if (status === 'new' || status === 'solved')
        await changeTicketStatus(tx, { ticket: { id: chat.ticket_id, status }, to: 'open', actor: input.actor, now });
    } else if (status !== 'solved' && status !== 'closed') {
      await changeTicketStatus(tx, { ticket: { id: chat.ticket_id, status }, to: 'solved', actor: input.actor, now });
    }
    await offerQueuedChats(tx, now);
  });
}

/** The agent side has read the chat up to `seq` (read receipts for the visitor). */
export async function markChatRead(
  deps: ServiceDeps,
  input: { actor: StaffActor; ticketId: string; seq: number },
): Promise<{ agentReadSeq: number }> {
  const now = deps.clock.now();
  return deps.db.transaction(async (tx) => {
    const chat = await lockVisibleChat(tx, input.actor, input.ticketId);
    if (input.seq > chat.last_seq) {
      throw new AppError('VALIDATION_FAILED', 'No message has this sequence number yet', {
        errors: [{ path: 'seq', message: `at most ${chat.last_seq}` }],
      });
    }
    if (input.seq <= chat.agent_read_seq) return { agentReadSeq: chat.agent_read_seq };
    await tx
      .update(chatSessions)
      .set({ agentReadSeq: input.seq, updatedAt: now })
      .where(eq(chatSessions.ticketId, chat.ticket_id));
    await recordEvent(tx, {
      type: 'chat.read',
      actor: input.actor,
      ticketId: chat.ticket_id,
      payload: { by: 'staff', seq: input.seq },
      at: now,
    });
    return { agentReadSeq: input.seq };
  });
}

/**
 * Someone went away or offline (or can no longer take chats): chats offered to them move on, and their running chats
 * go back to the queue and are offered to the next available person.
 */
export async function requeueChatsOf(
  tx: DbOrTx,
  input: { userId: string; now: Date; reason: string },
): Promise<number> {
  const held = sql`(cs.status = 'active' AND cs.accepted_by_id = ${input.userId}) OR (cs.status = 'waiting' AND cs.offered_to_id = ${input.userId})`;
  const ids = await tx.execute<{ ticket_id: string }>(
    sql`SELECT cs.ticket_id FROM chat_sessions cs WHERE ${held} ORDER BY cs.ticket_id`,
  );
  if (ids.rows.length === 0) return 0;
  // every row first (the offers below take the load lock, after which nothing may be waited for)
  for (const { ticket_id } of ids.rows) await lockChatRow(tx, ticket_id);
  const r = await tx.execute<LockedChat>(sql`
    SELECT cs.ticket_id, cs.status, cs.offered_to_id, cs.accepted_by_id, t.status AS ticket_status, t.assignee_id, t.last_seq,
           cs.agent_read_seq, NULL AS visitor_email
      FROM chat_sessions cs JOIN tickets t ON t.id = cs.ticket_id
     WHERE cs.ticket_id = ANY(${`{${ids.rows.map((x) => x.ticket_id).join(',')}}`}::uuid[]) AND (${held})
     ORDER BY cs.created_at`);
  const system = { kind: 'system' } as const;
  for (const chat of r.rows) {
    if (chat.status === 'active') {
      await tx
        .update(chatSessions)
        .set({
          status: 'waiting',
          acceptedById: null,
          acceptedAt: null,
          offeredToId: null,
          offeredAt: null,
          updatedAt: input.now,
        })
        .where(eq(chatSessions.ticketId, chat.ticket_id));
      await recordEvent(tx, {
        type: 'chat.requeued',
        actor: system,
        ticketId: chat.ticket_id,
        payload: { fromUserId: input.userId, reason: input.reason },
        at: input.now,
      });
      if (chat.assignee_id === input.userId)
        await assignTo(tx, {
          actor: system,
          chat,
          userId: null,
          reason: `chat_requeued:${input.reason}`,
          now: input.now,
        });
    }
  }
  // offers last: they take the load lock, after which this transaction waits for nothing
  for (const chat of r.rows) await offerChat(tx, { ticketId: chat.ticket_id, now: input.now, toUserId: null });
  return r.rows.length;
}
