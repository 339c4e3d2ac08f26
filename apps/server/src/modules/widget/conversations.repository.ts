import type { ChatStatus, WidgetConversation } from '@seva/contracts';
import { and, desc, eq, or, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/client.ts';
import { reusableQuery } from '../../platform/db/reusable-query.ts';
import { chatSessions, staffUsers, tickets } from '../../platform/db/schema/index.ts';
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

/**
 * findVisibleConversation's query in its four shapes (a visitor alone or verified with a customer record; locked or
 * not), built once (platform/db/reusable-query.ts): every message a visitor sends runs it.
 */
function visibleConversationQuery(withCustomer: boolean, forUpdate: boolean) {
  return reusableQuery((db) => {
    const P = (name: string) => sql.placeholder(name);
    const own = eq(chatSessions.visitorId, P('visitorId'));
    const q = db
      .select({ session: chatSessions, ticket: tickets })
      .from(chatSessions)
      .innerJoin(tickets, eq(tickets.id, chatSessions.ticketId))
      .where(
        and(
          eq(chatSessions.ticketId, P('ticketId')),
          eq(chatSessions.widgetId, P('widgetId')),
          withCustomer ? or(own, eq(tickets.customerId, P('customerId'))) : own,
        ),
      )
      .limit(1);
    return forUpdate ? q.for('update', { of: tickets }) : q;
  });
}
const visibleConversationQueries = [false, true].map((withCustomer) =>
  [false, true].map((forUpdate) => visibleConversationQuery(withCustomer, forUpdate)),
);

export async function findVisibleConversation(
  db: DbOrTx,
  scope: VisitorScope,
  ticketId: string,
  opts: { forUpdate?: boolean } = {},
): Promise<{ session: SessionRow; ticket: TicketRow } | null> {
  if (!/^[0-9a-f-]{36}$/i.test(ticketId)) return null;
  const withCustomer = scope.isVerified && scope.customerId !== null;
  const query = visibleConversationQueries[Number(withCustomer)]?.[Number(opts.forUpdate === true)];
  if (!query) throw new Error('findVisibleConversation: no query for this shape');
  const rows = await query(db, {
    ticketId: ticketId.toLowerCase(),
    widgetId: scope.widgetId,
    visitorId: scope.id,
    ...(withCustomer ? { customerId: scope.customerId } : {}),
  });
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
