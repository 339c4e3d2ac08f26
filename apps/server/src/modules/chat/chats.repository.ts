import type { ChatDetail, ChatSummary } from '@seva/contracts';
import { type SQL, sql } from 'drizzle-orm';
import { type Actor, ticketVisibility } from '../../platform/auth/permissions.ts';
import type { DbOrTx } from '../../platform/db/client.ts';

/** A visitor counts as online when their widget was heard from this recently. */
export const VISITOR_ONLINE_MS = 60_000;

interface SummaryRow {
  ticket_id: string;
  number: number;
  subject: string;
  status: string;
  widget_id: string;
  widget_name: string;
  customer_id: string;
  customer_name: string;
  offered_to_id: string | null;
  offered_at: Date | string | null;
  accepted_by_id: string | null;
  accepted_by_name: string | null;
  accepted_at: Date | string | null;
  ended_at: Date | string | null;
  created_at: Date | string;
  locale: string | null;
  page_url: string | null;
  unread: number;
  [key: string]: unknown;
}

const iso = (d: Date | string | null): string | null => (d === null ? null : new Date(d).toISOString());

/** Chats the actor may see: every chat for agents and up; for collaborators their own tickets and offers to them. */
export function chatVisibleTo(actor: Actor): SQL {
  const v = ticketVisibility(actor);
  if (v.all) return sql`true`;
  return sql`(t.assignee_id = ${v.userId} OR cs.offered_to_id = ${v.userId}
    OR EXISTS (SELECT 1 FROM ticket_collaborators tc WHERE tc.ticket_id = t.id AND tc.user_id = ${v.userId}))`;
}

const SUMMARY = sql`
  SELECT cs.ticket_id, t.number, t.subject, cs.status, cs.widget_id, w.name AS widget_name, t.customer_id,
         coalesce(nullif(c.name, ''), v.name, '') AS customer_name, cs.offered_to_id, cs.offered_at, cs.accepted_by_id,
         a.name AS accepted_by_name, cs.accepted_at, cs.ended_at, cs.created_at, cs.locale, cs.page_url,
         (SELECT count(*) FROM messages m WHERE m.ticket_id = t.id AND m.author_type = 'customer' AND m.seq > cs.agent_read_seq)::int AS unread
    FROM chat_sessions cs
    JOIN tickets t ON t.id = cs.ticket_id
    JOIN widgets w ON w.id = cs.widget_id
    JOIN chat_visitors v ON v.id = cs.visitor_id
    JOIN customers c ON c.id = t.customer_id
    LEFT JOIN staff_users a ON a.id = cs.accepted_by_id`;

function toSummary(r: SummaryRow, now: Date): ChatSummary {
  const created = new Date(r.created_at);
  const until = r.accepted_at ? new Date(r.accepted_at) : r.ended_at ? new Date(r.ended_at) : now;
  return {
    ticketId: r.ticket_id,
    ticketNumber: r.number,
    subject: r.subject,
    status: r.status as ChatSummary['status'],
    widgetId: r.widget_id,
    widgetName: r.widget_name,
    customerId: r.customer_id,
    customerName: r.customer_name,
    offeredToId: r.offered_to_id,
    offeredAt: iso(r.offered_at),
    acceptedById: r.accepted_by_id,
    acceptedByName: r.accepted_by_name,
    acceptedAt: iso(r.accepted_at),
    endedAt: iso(r.ended_at),
    locale: r.locale,
    pageUrl: r.page_url,
    unread: r.unread,
    waitingSeconds: Math.max(0, Math.floor((until.getTime() - created.getTime()) / 1000)),
    createdAt: created.toISOString(),
  };
}

export async function listChats(db: DbOrTx, input: { actor: Actor; scope: 'queue' | 'mine' | 'all'; now: Date }): Promise<ChatSummary[]> {
  const me = input.actor.kind === 'staff' ? input.actor.userId : null;
  const scope =
    input.scope === 'queue'
      ? sql`cs.status = 'waiting'`
      : input.scope === 'mine'
        ? sql`((cs.status = 'active' AND cs.accepted_by_id = ${me}) OR (cs.status = 'waiting' AND cs.offered_to_id = ${me}))`
        : sql`cs.status IN ('waiting', 'active')`;
  const r = await db.execute<SummaryRow>(sql`${SUMMARY} WHERE ${scope} AND ${chatVisibleTo(input.actor)} ORDER BY cs.created_at, cs.ticket_id LIMIT 500`);
  return r.rows.map((row) => toSummary(row, input.now));
}

interface DetailRow extends SummaryRow {
  visitor_id: string;
  visitor_name: string;
  visitor_email: string | null;
  is_verified: boolean;
  external_user_id: string | null;
  visitor_locale: string | null;
  last_page_url: string | null;
  last_page_title: string | null;
  visitor_referrer: string | null;
  user_agent: string | null;
  last_seen_at: Date | string;
  pre_chat: Record<string, string>;
  referrer: string | null;
  page_title: string | null;
  visitor_read_seq: number;
  agent_read_seq: number;
}

export async function loadChatDetail(db: DbOrTx, input: { actor: Actor; ticketId: string; now: Date }): Promise<ChatDetail | null> {
  const r = await db.execute<DetailRow>(sql`
    SELECT s.*, v.id AS visitor_id, v.name AS visitor_name, v.email AS visitor_email, v.is_verified, v.external_user_id,
           v.locale AS visitor_locale, v.last_page_url, v.last_page_title, v.referrer AS visitor_referrer, v.user_agent,
           v.last_seen_at, cs2.pre_chat, cs2.referrer, cs2.page_title, cs2.visitor_read_seq, cs2.agent_read_seq
      FROM (${SUMMARY} WHERE cs.ticket_id = ${input.ticketId} AND ${chatVisibleTo(input.actor)}) s
      JOIN chat_sessions cs2 ON cs2.ticket_id = s.ticket_id
      JOIN chat_visitors v ON v.id = cs2.visitor_id`);
  const row = r.rows[0];
  if (!row) return null;
  const earlier = await db.execute<{ id: string; number: number; subject: string; channel: string; status: string; created_at: Date | string }>(sql`
    SELECT t.id, t.number, t.subject, t.channel, t.status, t.created_at FROM tickets t
     WHERE t.customer_id = ${row.customer_id} AND t.id <> ${row.ticket_id} AND t.merged_into_id IS NULL
     ORDER BY t.created_at DESC LIMIT 20`);
  const lastSeen = new Date(row.last_seen_at);
  return {
    ...toSummary(row, input.now),
    visitor: {
      visitorId: row.visitor_id,
      name: row.visitor_name,
      email: row.visitor_email,
      isVerified: row.is_verified,
      externalUserId: row.external_user_id,
      locale: row.visitor_locale ?? row.locale,
      currentPageUrl: row.last_page_url ?? row.page_url,
      currentPageTitle: row.last_page_title ?? row.page_title,
      referrer: row.visitor_referrer ?? row.referrer,
      userAgent: row.user_agent,
      lastSeenAt: lastSeen.toISOString(),
      isOnline: input.now.getTime() - lastSeen.getTime() <= VISITOR_ONLINE_MS,
    },
    preChat: row.pre_chat ?? {},
    referrer: row.referrer,
    pageTitle: row.page_title,
    visitorReadSeq: row.visitor_read_seq,
    agentReadSeq: row.agent_read_seq,
    earlier: earlier.rows.map((e) => ({ ticketId: e.id, number: e.number, subject: e.subject, channel: e.channel, status: e.status, createdAt: new Date(e.created_at).toISOString() })),
  };
}
