import type { StartConversationBody, WidgetConversation, WidgetMessage } from '@seva/contracts';
import { and, eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/client.ts';
import { chatClientMessages, chatSessions, chatVisitors } from '../../platform/db/schema/index.ts';
import type { Deps } from '../../platform/deps.ts';
import { AppError } from '../../platform/errors.ts';
import { recordEvent } from '../../platform/events.ts';
import { normaliseForSearch } from '../../platform/text/normalise.ts';
import { runTicketHooks } from '../../platform/ticket-hooks.ts';
import { appendMessage, detectLanguage, insertTicketRow, recordCustomerMessage } from '../tickets/index.ts';
import { rememberClientMessage, storedClientMessage } from './client-messages.repository.ts';
import {
  findVisibleConversation,
  loadConversation,
  lockConversationForMessage,
  type VisitorScope,
} from './conversations.repository.ts';
import { createRateLimiter, WIDGET_LIMITS } from './rate-limiter.ts';
import { ensureVisitorCustomer } from './visitor-customer.ts';
import { conversationNotFound, fieldProblem, tooMany } from './widget.errors.ts';
import type { VisitorRow, WidgetRow } from './widget.repository.ts';
import { widgetLanguage } from './widget-language.ts';
import { loadWidgetMessages } from './widget-messages.repository.ts';

const SYSTEM = { kind: 'system' } as const;
const perVisitor = createRateLimiter(WIDGET_LIMITS.conversationsPerVisitor);
const perIp = createRateLimiter(WIDGET_LIMITS.conversationsPerIp);

function subjectOf(body: string): string {
  const first = body.trim().split('\n')[0]?.trim() ?? '';
  if (first === '') return 'Chat';
  return first.length > 80 ? `${first.slice(0, 77)}…` : first;
}

function checkPreChat(widget: WidgetRow, answers: Record<string, string>): void {
  const errors = [];
  for (const f of widget.preChatFields) {
    const v = answers[f.key]?.trim() ?? '';
    if (f.required && v === '') errors.push({ path: `preChat.${f.key}`, message: 'required' });
    if (v !== '' && f.kind === 'email' && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v))
      errors.push({ path: `preChat.${f.key}`, message: 'not a valid email address' });
    if (v !== '' && f.kind === 'select' && f.options && !f.options.some((o) => o.value === v))
      errors.push({ path: `preChat.${f.key}`, message: 'not one of the options' });
  }
  if (errors.length > 0) throw new AppError('VALIDATION_FAILED', 'Some fields are not valid', { errors });
}

async function existingByClientId(db: DbOrTx, visitorId: string, clientId: string) {
  const [hit] = await db
    .select({ ticketId: chatClientMessages.ticketId, messageId: chatClientMessages.messageId })
    .from(chatClientMessages)
    .innerJoin(chatSessions, eq(chatSessions.ticketId, chatClientMessages.ticketId))
    .where(and(eq(chatSessions.visitorId, visitorId), eq(chatClientMessages.clientId, clientId)))
    .limit(1);
  return hit ?? null;
}

export interface StartConversationInput {
  visitor: VisitorRow;
  widget: WidgetRow;
  body: StartConversationBody;
  ip: string;
}

/**
 * Starts a chat: a ticket of channel `chat` (subject from the first message, language from the locale or the
 * text, the widget's team, the visitor's customer), its first message, the chat_sessions row (waiting), a
 * `chat.started` event and the `created` hooks (routing offers the chat inside this transaction). Repeating the
 * request with the same clientId answers the conversation it already made.
 */
export async function startConversation(
  deps: Deps,
  input: StartConversationInput,
): Promise<{ conversation: WidgetConversation; message: WidgetMessage }> {
  const { visitor, widget, body } = input;
  const again = await existingByClientId(deps.db, visitor.id, body.clientId);
  if (!again) {
    checkPreChat(widget, body.preChat ?? {});
    if (!perVisitor.take(visitor.id) || !perIp.take(input.ip)) throw tooMany('new conversations');
  }
  const now = deps.clock.now();
  const ids =
    again ??
    (await deps.db.transaction(async (tx) => {
      // one start at a time per visitor: a double submit finds the first one, and the customer is made once
      const [current] = await tx.select().from(chatVisitors).where(eq(chatVisitors.id, visitor.id)).for('update');
      if (!current) throw new AppError('UNAUTHENTICATED', 'The visitor is gone: start a new visitor');
      const raced = await existingByClientId(tx, visitor.id, body.clientId);
      if (raced) return raced;
      // only the widget's own pre-chat fields (and name/email) are kept
      const allowed = new Set(['name', 'email', ...widget.preChatFields.map((f) => f.key)]);
      const preChat = Object.fromEntries(Object.entries(body.preChat ?? {}).filter(([k]) => allowed.has(k)));
      const customer = await ensureVisitorCustomer(tx, current, { name: preChat.name, email: preChat.email, now });
      const subject = subjectOf(body.body);
      const language = widgetLanguage(body.locale ?? visitor.locale) ?? detectLanguage(body.body);
      // `ticket.created` (with the widget) is written by the insert's own statement
      const t = await insertTicketRow(
        tx,
        {
          subject,
          status: 'new',
          channel: 'chat',
          language,
          teamId: widget.teamId,
          customerId: customer.id,
          organisationId: customer.organisationId,
          searchText: normaliseForSearch(`${subject} ${customer.name}`),
          createdAt: now,
          updatedAt: now,
        },
        { actor: SYSTEM, payload: { widgetId: widget.id } },
      );
      await tx.insert(chatSessions).values({
        ticketId: t.id,
        widgetId: widget.id,
        visitorId: visitor.id,
        status: 'waiting',
        pageUrl: body.page?.url ?? current.lastPageUrl,
        pageTitle: body.page?.title ?? current.lastPageTitle,
        referrer: body.page?.referrer ?? current.referrer,
        locale: body.locale ?? current.locale,
        preChat,
        createdAt: now,
        updatedAt: now,
      });
      const m = await appendMessage(tx, {
        ticketId: t.id,
        kind: 'public',
        authorType: 'customer',
        authorCustomerId: customer.id,
        channel: 'chat',
        body: body.body,
        status: 'received',
        meta: { widget: { visitorId: visitor.id, clientId: body.clientId } },
        attachmentIds: body.attachmentIds,
        uploaderVisitorId: visitor.id,
        actor: SYSTEM,
        now,
      });
      await tx
        .insert(chatClientMessages)
        .values({ ticketId: t.id, clientId: body.clientId, messageId: m.id, seq: m.seq, createdAt: now });
      if (body.page?.url) {
        await tx
          .update(chatVisitors)
          .set({ lastPageUrl: body.page.url, lastPageTitle: body.page.title ?? null, lastSeenAt: now })
          .where(eq(chatVisitors.id, visitor.id));
      }
      await recordEvent(tx, {
        type: 'chat.started',
        actor: SYSTEM,
        ticketId: t.id,
        customerId: customer.id,
        payload: { widgetId: widget.id, visitorId: visitor.id },
        at: now,
      });
      await runTicketHooks(tx, { kind: 'created', ticketId: t.id, actor: SYSTEM, now, source: 'widget' });
      return { ticketId: t.id, messageId: m.id };
    }));
  const conversation = await loadConversation(deps.db, ids.ticketId);
  const [message] = await loadWidgetMessages(deps.db, { messageIds: [ids.messageId] });
  if (!conversation || !message) throw new Error('the new conversation vanished');
  return { conversation, message };
}

export interface SendVisitorMessageInput {
  scope: VisitorScope;
  ticketId: string;
  clientId: string;
  body: string;
  attachmentIds?: string[] | undefined;
}

export interface SentVisitorMessage {
  duplicate: boolean;
  seq: number;
  messageId: string;
}

/** Thrown inside the transaction when the clientId turned out to be stored meanwhile: roll back, answer that one. */
class ClientIdTaken extends Error {}

/**
 * Stores a visitor's message exactly once per (conversation, clientId): the ticket row is locked first, so a
 * resend racing the original queues behind it, and gets the same seq and message id back.
 *
 * The lock, the conversation check and the clientId lookup are one statement, and the clientId row and the chat's
 * `updated_at` another (issue #10: round trips are what a chat message costs). The lookup sees the clientId as of
 * the statement's start, so a resend that waited for the lock while the original committed does not see it there:
 * its own write then fails (the clientId insert finds it taken, or anything else fails, e.g. attachments that are
 * already on the original), the transaction rolls back, and the stored message is answered — as before, at the
 * price of a wasted write on that rare race instead of a read on every message.
 */
export async function sendVisitorMessage(deps: Deps, input: SendVisitorMessageInput): Promise<SentVisitorMessage> {
  const body = input.body.trim();
  if (body.length > 5000) throw fieldProblem('body', 'at most 5000 characters');
  if (body === '' && (input.attachmentIds?.length ?? 0) === 0)
    throw fieldProblem('body', 'write a message or attach a file');
  const now = deps.clock.now();
  let writing: string | null = null;
  try {
    return await deps.db.transaction(async (tx) => {
      const found = await lockConversationForMessage(tx, input.scope, input.ticketId, input.clientId);
      if (!found) throw conversationNotFound();
      if (found.prev) return { duplicate: true, seq: found.prev.seq, messageId: found.prev.messageId };
      if (found.ticket.status === 'closed' || found.ticket.mergedIntoId) {
        throw new AppError('CONFLICT', 'This conversation is closed: start a new one');
      }
      writing = found.ticket.id;
      const m = await recordCustomerMessage(tx, {
        ticket: found.ticket,
        channel: 'chat',
        body,
        meta: { widget: { visitorId: input.scope.id, clientId: input.clientId } },
        attachmentIds: input.attachmentIds,
        uploaderVisitorId: input.scope.id,
        actor: SYSTEM,
        now,
      });
      const [stored] = await rememberClientMessage(tx, {
        ticketId: found.ticket.id,
        clientId: input.clientId,
        messageId: m.id,
        seq: m.seq,
        now: now.toISOString(),
      });
      if (!stored) throw new Error('sendVisitorMessage: the chat session is gone');
      if (stored.remembered === 0) throw new ClientIdTaken('the clientId was stored meanwhile');
      return { duplicate: false, seq: m.seq, messageId: m.id };
    });
  } catch (err) {
    if (writing === null) throw err;
    const [prev] = await storedClientMessage(deps.db, { ticketId: writing, clientId: input.clientId });
    if (!prev) throw err;
    return { duplicate: true, seq: prev.seq, messageId: prev.messageId };
  }
}

/** The visitor ends the chat (status ended, endedBy visitor, `chat.ended`); ending an ended chat changes nothing. */
export async function endConversation(
  deps: Deps,
  input: { scope: VisitorScope; ticketId: string },
): Promise<WidgetConversation> {
  const now = deps.clock.now();
  await deps.db.transaction(async (tx) => {
    const found = await findVisibleConversation(tx, input.scope, input.ticketId, { forUpdate: true });
    if (!found) throw conversationNotFound();
    if (found.session.status === 'ended') return;
    await tx
      .update(chatSessions)
      .set({ status: 'ended', endedAt: now, endedBy: 'visitor', updatedAt: now })
      .where(eq(chatSessions.ticketId, found.ticket.id));
    await recordEvent(tx, {
      type: 'chat.ended',
      actor: SYSTEM,
      ticketId: found.ticket.id,
      payload: { endedBy: 'visitor', visitorId: input.scope.id },
      at: now,
    });
  });
  const c = await loadConversation(deps.db, input.ticketId);
  if (!c) throw conversationNotFound();
  return c;
}

/** Read receipt from the visitor: raises visitor_read_seq (never lowers it) and records `chat.read` when it moved. */
export async function markVisitorRead(
  deps: Deps,
  input: { scope: VisitorScope; ticketId: string; seq: number },
): Promise<boolean> {
  const now = deps.clock.now();
  return deps.db.transaction(async (tx) => {
    const found = await findVisibleConversation(tx, input.scope, input.ticketId);
    if (!found) throw conversationNotFound();
    const seq = Math.min(input.seq, found.ticket.lastSeq);
    const moved = await tx
      .update(chatSessions)
      .set({ visitorReadSeq: seq, updatedAt: now })
      .where(and(eq(chatSessions.ticketId, found.ticket.id), sql`${chatSessions.visitorReadSeq} < ${seq}`))
      .returning({ id: chatSessions.ticketId });
    if (moved.length === 0) return false;
    await recordEvent(tx, {
      type: 'chat.read',
      actor: SYSTEM,
      ticketId: found.ticket.id,
      payload: { by: 'visitor', seq },
      at: now,
    });
    return true;
  });
}
