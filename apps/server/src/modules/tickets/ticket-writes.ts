import { randomUUID } from 'node:crypto';
import type { MessageStatus, TicketStatus } from '@seva/contracts';
import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Actor } from '../../platform/auth/permissions.ts';
import { primeConfigVersions } from '../../platform/config-cache.ts';
import type { DbOrTx } from '../../platform/db/client.ts';
import { attachments, tickets } from '../../platform/db/schema/index.ts';
import { actorColumns, announceEvent, recordEvent } from '../../platform/events.ts';
import { forgetNewTicket, patchNewTicket } from '../../platform/new-ticket-snapshot.ts';
import { normaliseForSearch } from '../../platform/text/normalise.ts';
import { runTicketHooks } from '../../platform/ticket-hooks.ts';
import { appendMessageRow } from './append-message-row.ts';
import { htmlToText, sanitiseMessageHtml } from './sanitise-message-html.ts';
import { canTransition, statusAfterCustomerReply, type TransitionReason } from './ticket-status.ts';
import { fieldError, invalidTransition } from './tickets.errors.ts';
import type { MessageRow, TicketRow } from './tickets.repository.ts';

/** Text and sanitised HTML of a message body; the text is derived from the HTML when only HTML is given. */
export function messageBody(input: { body?: string | undefined; html?: string | undefined }): {
  bodyText: string;
  bodyHtml: string | null;
} {
  const html = input.html?.trim() ? sanitiseMessageHtml(input.html) : null;
  const given = (input.body ?? '').normalize('NFC');
  const bodyText = given.trim() !== '' ? given.trim() : html ? htmlToText(html) : '';
  return { bodyText, bodyHtml: html && html !== '' ? html : null };
}

export interface AppendMessageInput {
  ticketId: string;
  kind: 'public' | 'internal' | 'system';
  authorType: 'customer' | 'staff' | 'system';
  authorStaffId?: string | null;
  authorCustomerId?: string | null;
  channel: string;
  body?: string | undefined;
  html?: string | undefined;
  status: MessageStatus;
  meta?: Record<string, unknown>;
  /** attachments to link: they must have been uploaded by `uploaderId` and not be linked yet */
  attachmentIds?: readonly string[] | undefined;
  uploaderId?: string | null;
  /** or uploaded by this widget visitor (attachments.uploaded_by_visitor_id) */
  uploaderVisitorId?: string | null;
  actor: Actor;
  now: Date;
}

/**
 * Appends a message to a ticket inside the caller's transaction: takes seq = ++tickets.last_seq (the UPDATE also
 * serialises concurrent writers on the ticket row) and maintains the ticket's counters and timestamps, inserting the
 * message and its `message.added` event in the same statement (append-message-row.ts); then links attachments,
 * announces the event and runs the message hooks.
 */
export async function appendMessage(tx: DbOrTx, input: AppendMessageInput): Promise<MessageRow> {
  const { bodyText, bodyHtml } = messageBody(input);
  const counts = input.kind !== 'system';
  const isCustomer = input.authorType === 'customer';
  // an automated message from the desk (a rule's reply) reaches the customer but is nobody's response
  const isFirstResponse =
    input.kind === 'public' &&
    input.authorType === 'staff' &&
    input.status === 'sent' &&
    input.meta?.automated !== true;
  const ids = [...new Set(input.attachmentIds ?? [])];
  const { actorType, actorId } = actorColumns(input.actor);
  const [appended] = await appendMessageRow(tx, {
    messageId: randomUUID(),
    actorType,
    actorId,
    attachmentCount: ids.length,
    ticketId: input.ticketId,
    now: input.now.toISOString(),
    counts,
    isCustomer,
    isFirstResponse,
    kind: input.kind,
    authorType: input.authorType,
    authorStaffId: input.authorStaffId ?? null,
    authorCustomerId: input.authorCustomerId ?? null,
    channel: input.channel,
    bodyText,
    bodyHtml,
    status: input.status,
    meta: JSON.stringify(input.meta ?? {}),
    searchText: normaliseForSearch(bodyText),
  });
  if (!appended) throw new Error(`ticket ${input.ticketId} vanished while adding a message`);
  const { ticketSlaPolicyId, firstResponseNow, eventId, configVersions, ...row } = appended;
  primeConfigVersions(tx, configVersions);
  // what the statement's bump moved, for the hooks of a ticket this transaction opened (new-ticket-snapshot.ts)
  patchNewTicket(tx, input.ticketId, (s) => ({
    updatedAt: input.now,
    ...(counts ? { lastMessageAt: input.now } : {}),
    ...(isCustomer ? { lastCustomerMessageAt: input.now } : {}),
    ...(isFirstResponse ? { firstResponseAt: s.firstResponseAt ?? input.now } : {}),
  }));

  if (ids.length > 0) {
    const linked = await tx
      .update(attachments)
      .set({ messageId: row.id })
      .where(
        and(
          inArray(attachments.id, ids),
          isNull(attachments.messageId),
          input.uploaderId
            ? eq(attachments.uploadedById, input.uploaderId)
            : input.uploaderVisitorId
              ? eq(attachments.uploadedByVisitorId, input.uploaderVisitorId)
              : sql`false`,
        ),
      )
      .returning({ id: attachments.id });
    if (linked.length !== ids.length) {
      throw fieldError(
        'attachmentIds',
        'only your own uploaded attachments that are not on a message yet can be added',
      );
    }
  }

  await announceEvent(tx, { id: Number(eventId), type: 'message.added', ticketId: input.ticketId });
  await runTicketHooks(tx, {
    kind: 'message',
    ticketId: input.ticketId,
    messageId: row.id,
    messageKind: input.kind,
    authorType: input.authorType,
    actor: input.actor,
    now: input.now,
    message: {
      bodyText: row.bodyText,
      authorStaffId: row.authorStaffId,
      status: row.status,
      automated: (row.meta as { automated?: unknown }).automated === true,
    },
    ticketSlaPolicyId,
    // at worst one too many (an earlier message at the same instant set it), never one too few
    setFirstResponse: isFirstResponse && firstResponseNow === true,
  });
  return row;
}

/** Moves a ticket to another status (checked by the state machine), keeping solved_at/closed_at, with an event. */
export async function changeTicketStatus(
  tx: DbOrTx,
  input: {
    ticket: Pick<TicketRow, 'id' | 'status'>;
    to: TicketStatus;
    actor: Actor;
    now: Date;
    reason?: TransitionReason;
  },
): Promise<void> {
  const from = input.ticket.status as TicketStatus;
  if (from === input.to) return;
  if (!canTransition(from, input.to, input.reason ?? 'manual')) throw invalidTransition(from, input.to);
  await tx
    .update(tickets)
    .set({
      status: input.to,
      updatedAt: input.now,
      ...(input.to === 'solved' ? { solvedAt: input.now } : {}),
      ...(from === 'solved' && input.to !== 'closed' ? { solvedAt: null } : {}),
      ...(input.to === 'closed' ? { closedAt: input.now } : {}),
    })
    .where(eq(tickets.id, input.ticket.id));
  // a status change is more than its row (its time is an event's, surveys may follow): hooks read from here on
  forgetNewTicket(tx, input.ticket.id);
  await recordEvent(tx, {
    type: 'ticket.status_changed',
    actor: input.actor,
    ticketId: input.ticket.id,
    payload: { from, to: input.to, ...(input.reason === 'merge' ? { reason: 'merge' } : {}) },
    at: input.now,
  });
  await runTicketHooks(tx, {
    kind: 'status',
    ticketId: input.ticket.id,
    from,
    to: input.to,
    actor: input.actor,
    now: input.now,
  });
}

export interface RecordCustomerMessageInput {
  /** the ticket, locked FOR UPDATE by the caller */
  ticket: Pick<TicketRow, 'id' | 'status' | 'customerId'>;
  channel: string;
  body?: string | undefined;
  html?: string | undefined;
  meta?: Record<string, unknown>;
  /** visitor uploads to link (the widget); see AppendMessageInput.uploaderVisitorId */
  attachmentIds?: readonly string[] | undefined;
  uploaderVisitorId?: string | null;
  actor: Actor;
  now: Date;
}

/**
 * For channels (email, portal, widget): the customer wrote on an existing ticket. Appends a public customer
 * message and wakes the ticket (solved or pending → open, see statusAfterCustomerReply). A closed ticket is left
 * alone: the caller opens a follow-up instead.
 */
export async function recordCustomerMessage(tx: DbOrTx, input: RecordCustomerMessageInput): Promise<MessageRow> {
  const m = await appendMessage(tx, {
    ticketId: input.ticket.id,
    kind: 'public',
    authorType: 'customer',
    authorCustomerId: input.ticket.customerId,
    channel: input.channel,
    body: input.body,
    html: input.html,
    status: 'received',
    meta: input.meta ?? {},
    attachmentIds: input.attachmentIds,
    uploaderVisitorId: input.uploaderVisitorId ?? null,
    actor: input.actor,
    now: input.now,
  });
  const from = input.ticket.status as TicketStatus;
  const to = statusAfterCustomerReply(from);
  if (to !== from) await changeTicketStatus(tx, { ticket: input.ticket, to, actor: input.actor, now: input.now });
  return m;
}
