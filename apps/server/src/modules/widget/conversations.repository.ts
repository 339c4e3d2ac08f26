import type { ChatStatus, WidgetConversation } from '@seva/contracts';
import { and, desc, eq, or, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/client.ts';
import { reusableQuery } from '../../platform/db/reusable-query.ts';
import { chatClientMessages, chatSessions, staffUsers, tickets } from '../../platform/db/schema/index.ts';
import type { VisitorRow } from './widget.repository.ts';

export type SessionRow = typeof chatSessions.$inferSelect;
export type TicketRow = typeof tickets.$inferSelect;

export interface VisitorScope {
  id: string;
  widgetId: string;
  customerId: string | null;
  isVerified: boolean;
}

export const scopeOf = (v: VisitorRow): VisitorScope => ({
  id: v.id,
  widgetId: v.widgetId,
  customerId: v.customerId,
  isVerified: v.isVerified,
});

/**
 * The one rule for what a visitor may read: its own conversations on this widget, or — only when verified by the
 * site's HMAC signature — every chat of its customer record on this widget. Anything else is "not found".
 */
function visibleTo(scope: VisitorScope) {
  const own = eq(chatSessions.visitorId, scope.id);
  const mine = scope.isVerified && scope.customerId ? or(own, eq(tickets.customerId, scope.customerId)) : own;
  return and(eq(chatSessions.widgetId, scope.widgetId), mine);
}

/** visibleTo with placeholders (ticketId, widgetId, visitorId, customerId), for queries built once. */
function visibleByPlaceholders(withCustomer: boolean) {
  const P = (name: string) => sql.placeholder(name);
  const own = eq(chatSessions.visitorId, P('visitorId'));
  return and(
    eq(chatSessions.ticketId, P('ticketId')),
    eq(chatSessions.widgetId, P('widgetId')),
    withCustomer ? or(own, eq(tickets.customerId, P('customerId'))) : own,
  );
}

/**
 * findVisibleConversation's query in its four shapes (a visitor alone or verified with a customer record; locked or
 * not), built once (platform/db/reusable-query.ts): every message a visitor sends runs it.
 */
function visibleConversationQuery(withCustomer: boolean, forUpdate: boolean) {
  return reusableQuery((db) => {
    const q = db
      .select({ session: chatSessions, ticket: tickets })
      .from(chatSessions)
      .innerJoin(tickets, eq(tickets.id, chatSessions.ticketId))
      .where(visibleByPlaceholders(withCustomer))
      .limit(1);
    return forUpdate ? q.for('update', { of: tickets }) : q;
  });
}
const visibleConversationQueries = [false, true].map((withCustomer) =>
  [false, true].map((forUpdate) => visibleConversationQuery(withCustomer, forUpdate)),
);

function shapeOf(scope: VisitorScope, ticketId: string) {
  const withCustomer = scope.isVerified && scope.customerId !== null;
  const values = {
    ticketId: ticketId.toLowerCase(),
    widgetId: scope.widgetId,
    visitorId: scope.id,
    ...(withCustomer ? { customerId: scope.customerId } : {}),
  };
  return { withCustomer, values };
}

export async function findVisibleConversation(
  db: DbOrTx,
  scope: VisitorScope,
  ticketId: string,
  opts: { forUpdate?: boolean } = {},
): Promise<{ session: SessionRow; ticket: TicketRow } | null> {
  if (!/^[0-9a-f-]{36}$/i.test(ticketId)) return null;
  const { withCustomer, values } = shapeOf(scope, ticketId);
  const query = visibleConversationQueries[Number(withCustomer)]?.[Number(opts.forUpdate === true)];
  if (!query) throw new Error('findVisibleConversation: no query for this shape');
  const rows = await query(db, values);
  return rows[0] ?? null;
}

/**
 * findVisibleConversation locked (FOR UPDATE of the ticket) together with the conversation's chat_client_messages
 * row for `clientId`, if it was already stored: one statement where a visitor message made two (issue #10).
 *
 * The clientId row is read as of the statement's start: if another transaction stored it while this one waited
 * for the ticket's lock, `prev` is null although the row now exists (PostgreSQL rechecks only the locked row). The
 * caller must cope — sendVisitorMessage stores the clientId with ON CONFLICT DO NOTHING and, when that finds it
 * taken, rolls back and answers the stored message.
 */
function messageTargetQuery(withCustomer: boolean) {
  return reusableQuery((db) =>
    db
      .select({
        session: chatSessions,
        ticket: tickets,
        prev: { seq: chatClientMessages.seq, messageId: chatClientMessages.messageId },
      })
      .from(chatSessions)
      .innerJoin(tickets, eq(tickets.id, chatSessions.ticketId))
      .leftJoin(
        chatClientMessages,
        and(eq(chatClientMessages.ticketId, tickets.id), eq(chatClientMessages.clientId, sql.placeholder('clientId'))),
      )
      .where(visibleByPlaceholders(withCustomer))
      .limit(1)
      .for('update', { of: tickets }),
  );
}
const messageTargetQueries = [messageTargetQuery(false), messageTargetQuery(true)];

export async function lockConversationForMessage(
  db: DbOrTx,
  scope: VisitorScope,
  ticketId: string,
  clientId: string,
): Promise<{ session: SessionRow; ticket: TicketRow; prev: { seq: number; messageId: string } | null } | null> {
  if (!/^[0-9a-f-]{36}$/i.test(ticketId)) return null;
  const { withCustomer, values } = shapeOf(scope, ticketId);
  const query = messageTargetQueries[Number(withCustomer)];
  if (!query) throw new Error('lockConversationForMessage: no query for this shape');
  const rows = await query(db, { ...values, clientId });
  return rows[0] ?? null;
}

export async function listVisibleConversations(db: DbOrTx, scope: VisitorScope): Promise<WidgetConversation[]> {
  const rows = await db
    .select({ session: chatSessions, ticket: tickets, agentName: staffUsers.name })
    .from(chatSessions)
    .innerJoin(tickets, eq(tickets.id, chatSessions.ticketId))
    .leftJoin(staffUsers, eq(staffUsers.id, chatSessions.acceptedById))
    .where(visibleTo(scope))
    .orderBy(desc(chatSessions.createdAt))
    .limit(50);
  return rows.map((r) => toConversation(r.session, r.ticket, r.agentName));
}

export async function loadConversation(db: DbOrTx, ticketId: string): Promise<WidgetConversation | null> {
  const [r] = await db
    .select({ session: chatSessions, ticket: tickets, agentName: staffUsers.name })
    .from(chatSessions)
    .innerJoin(tickets, eq(tickets.id, chatSessions.ticketId))
    .leftJoin(staffUsers, eq(staffUsers.id, chatSessions.acceptedById))
    .where(eq(chatSessions.ticketId, ticketId));
  return r ? toConversation(r.session, r.ticket, r.agentName) : null;
}

export function toConversation(s: SessionRow, t: TicketRow, agentName: string | null): WidgetConversation {
  return {
    id: t.id,
    number: t.number,
    subject: t.subject,
    chatStatus: (['waiting', 'active', 'ended'].includes(s.status) ? s.status : 'waiting') as ChatStatus,
    agentName: agentName ?? null,
    agentReadSeq: s.agentReadSeq,
    lastSeq: t.lastSeq,
    createdAt: t.createdAt.toISOString(),
  };
}

/** Open chats of a visitor (for presence and page signals). */
export async function openChatIds(db: DbOrTx, visitorId: string): Promise<string[]> {
  const rows = await db
    .select({ id: chatSessions.ticketId })
    .from(chatSessions)
    .where(and(eq(chatSessions.visitorId, visitorId), sql`${chatSessions.status} <> 'ended'`))
    .limit(20);
  return rows.map((r) => r.id);
}
