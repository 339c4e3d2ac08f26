import type { CreateMessageBody, Message, TicketEvent, TicketStatus } from '@seva/contracts';
import { and, eq } from 'drizzle-orm';
import { type Actor, hasPermission, type StaffActor } from '../../platform/auth/permissions.ts';
import type { Tx } from '../../platform/db/client.ts';
import { messages, tickets } from '../../platform/db/schema/index.ts';
import type { Deps } from '../../platform/deps.ts';
import { AppError, forbidden } from '../../platform/errors.ts';
import { recordEvent } from '../../platform/events.ts';
import { runTicketHooks } from '../../platform/ticket-hooks.ts';
import { getSettings } from '../staff/settings.service.ts';
import { canTransition, isTicketStatus, statusAfterAgentReply } from './ticket-status.ts';
import { appendMessage, changeTicketStatus } from './ticket-writes.ts';
import { invalidTransition, messageNotFound, ticketClosed, ticketNotFound } from './tickets.errors.ts';
import { findVisibleTicket, loadMessageDtos, loadTicketEvents } from './tickets.repository.ts';

type ServiceDeps = Pick<Deps, 'db' | 'clock'>;

/** All messages of a visible ticket for staff (internal notes and replies awaiting approval included). */
export async function listTicketMessages(deps: ServiceDeps, input: { actor: Actor; ref: string }): Promise<Message[]> {
  const t = await findVisibleTicket(deps.db, input.actor, input.ref);
  if (!t) throw ticketNotFound();
  return loadMessageDtos(deps.db, { ticketId: t.id });
}

export async function listTicketEvents(
  deps: ServiceDeps,
  input: { actor: Actor; ref: string },
): Promise<TicketEvent[]> {
  const t = await findVisibleTicket(deps.db, input.actor, input.ref);
  if (!t) throw ticketNotFound();
  return loadTicketEvents(deps.db, t.id);
}

async function messageDto(deps: ServiceDeps, id: string): Promise<Message> {
  const [dto] = await loadMessageDtos(deps.db, { messageIds: [id] });
  if (!dto) throw messageNotFound();
  return dto;
}

export interface PostMessageInput {
  actor: StaffActor;
  ref: string;
  body: CreateMessageBody;
}

/**
 * A staff member writes on a ticket: a public reply (tickets:reply) or an internal note (tickets:note).
 * A collaborator's public reply waits for a supervisor when the desk settings say so; the status it asked for is
 * applied when it is approved. Public replies on closed tickets are refused; notes are still allowed.
 */
export async function postMessage(deps: ServiceDeps, input: PostMessageInput): Promise<Message> {
  const { actor, body } = input;
  const internal = body.internal === true;
  if (!hasPermission(actor, internal ? 'tickets:note' : 'tickets:reply')) {
    throw forbidden(internal ? 'You are not allowed to add internal notes' : 'You are not allowed to reply');
  }
  if (body.status !== undefined && !hasPermission(actor, 'tickets:update')) {
    throw forbidden('You are not allowed to change the status of tickets');
  }
  const now = deps.clock.now();
  const id = await deps.db.transaction(async (tx) => {
    const t = await findVisibleTicket(tx, actor, input.ref, { forUpdate: true });
    if (!t) throw ticketNotFound();
    const current = t.status as TicketStatus;
    if (t.status === 'closed' && (!internal || body.status !== undefined)) throw ticketClosed();

    let needsApproval = false;
    let nextStatus: TicketStatus = current;
    if (internal) {
      if (body.status !== undefined && body.status !== current) {
        if (!canTransition(current, body.status)) throw invalidTransition(current, body.status);
        nextStatus = body.status;
      }
    } else {
      needsApproval = actor.role === 'collaborator' && (await getSettings(tx)).collaboratorRepliesNeedApproval;
      const decision = statusAfterAgentReply(current, body.status);
      if (!decision.ok) throw invalidTransition(decision.from, decision.to);
      if (!needsApproval) nextStatus = decision.status;
    }

    const m = await appendMessage(tx, {
      ticketId: t.id,
      kind: internal ? 'internal' : 'public',
      authorType: 'staff',
      authorStaffId: actor.userId,
      channel: t.channel,
      body: body.body,
      html: body.html,
      status: needsApproval ? 'pending_approval' : 'sent',
      meta: needsApproval && body.status ? { requestedStatus: body.status } : {},
      attachmentIds: body.attachmentIds,
      uploaderId: actor.userId,
      actor,
      now,
    });
    if (nextStatus !== current) await changeTicketStatus(tx, { ticket: t, to: nextStatus, actor, now });
    return m.id;
  });
  return messageDto(deps, id);
}

async function pendingMessage(tx: Tx, ticketId: string, messageId: string) {
  const [m] = await tx
    .select()
    .from(messages)
    .where(and(eq(messages.id, messageId), eq(messages.ticketId, ticketId)))
    .for('update');
  if (!m) throw messageNotFound();
  if (m.status !== 'pending_approval') {
    throw new AppError('CONFLICT', 'This message is not waiting for approval', { details: { status: m.status } });
  }
  return m;
}

/** A supervisor lets a collaborator's reply go out; it then counts as a reply (first response, status change). */
export async function approveMessage(
  deps: ServiceDeps,
  input: { actor: StaffActor; ref: string; messageId: string },
): Promise<Message> {
  const { actor } = input;
  const now = deps.clock.now();
  await deps.db.transaction(async (tx) => {
    const t = await findVisibleTicket(tx, actor, input.ref, { forUpdate: true });
    if (!t) throw ticketNotFound();
    const m = await pendingMessage(tx, t.id, input.messageId);
    if (t.status === 'closed') throw ticketClosed();
    await tx
      .update(messages)
      .set({ status: 'sent', approvedById: actor.userId, meta: { ...m.meta, approvedAt: now.toISOString() } })
      .where(eq(messages.id, m.id));
    await tx
      .update(tickets)
      .set({ updatedAt: now, firstResponseAt: t.firstResponseAt ?? now })
      .where(eq(tickets.id, t.id));
    await recordEvent(tx, {
      type: 'message.approved',
      actor,
      ticketId: t.id,
      payload: { messageId: m.id, seq: m.seq, authorStaffId: m.authorStaffId },
      at: now,
    });
    // the reply reaches the customer only now: SLA clocks and insight facts count it from here
    await runTicketHooks(tx, {
      kind: 'message',
      ticketId: t.id,
      messageId: m.id,
      messageKind: 'public',
      authorType: 'staff',
      actor,
      now,
    });
    const requested =
      typeof m.meta.requestedStatus === 'string' && isTicketStatus(m.meta.requestedStatus)
        ? m.meta.requestedStatus
        : undefined;
    let decision = statusAfterAgentReply(t.status as TicketStatus, requested);
    if (!decision.ok) decision = statusAfterAgentReply(t.status as TicketStatus);
    if (decision.ok && decision.status !== t.status)
      await changeTicketStatus(tx, { ticket: t, to: decision.status, actor, now });
  });
  return messageDto(deps, input.messageId);
}

/** A supervisor stops a collaborator's reply; it stays on the ticket for staff, marked rejected. */
export async function rejectMessage(
  deps: ServiceDeps,
  input: { actor: StaffActor; ref: string; messageId: string; reason?: string | undefined },
): Promise<Message> {
  const { actor } = input;
  const now = deps.clock.now();
  await deps.db.transaction(async (tx) => {
    const t = await findVisibleTicket(tx, actor, input.ref, { forUpdate: true });
    if (!t) throw ticketNotFound();
    const m = await pendingMessage(tx, t.id, input.messageId);
    const rejection = { byId: actor.userId, at: now.toISOString(), reason: input.reason ?? null };
    await tx
      .update(messages)
      .set({ status: 'rejected', meta: { ...m.meta, rejection } })
      .where(eq(messages.id, m.id));
    await tx.update(tickets).set({ updatedAt: now }).where(eq(tickets.id, t.id));
    await recordEvent(tx, {
      type: 'message.rejected',
      actor,
      ticketId: t.id,
      payload: { messageId: m.id, seq: m.seq, authorStaffId: m.authorStaffId, reason: input.reason ?? null },
      at: now,
    });
  });
  return messageDto(deps, input.messageId);
}
