import type { Attachment, Message, Ticket, TicketEvent, TicketLink } from '@seva/contracts';
import { and, asc, eq, getTableColumns, type Placeholder, type SQL, sql } from 'drizzle-orm';
import { type Actor, ticketVisibility } from '../../platform/auth/permissions.ts';
import type { DbOrTx } from '../../platform/db/client.ts';
import { reusableQuery } from '../../platform/db/reusable-query.ts';
import {
  type attachments,
  customers,
  messages,
  staffUsers,
  ticketCollaborators,
  tickets,
} from '../../platform/db/schema/index.ts';

export type TicketRow = typeof tickets.$inferSelect;
export type MessageRow = typeof messages.$inferSelect;
export type AttachmentRow = typeof attachments.$inferSelect;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const NUMBER = /^\d{1,15}$/;

/** SQL condition: the `tickets` row is visible to the actor (collaborators: assigned to them or collaborating). */
export function ticketVisibleTo(actor: Actor): SQL {
  const v = ticketVisibility(actor);
  if (v.all) return sql`true`;
  return visibleToUserSql(v.userId);
}

/**
 * SQL condition: the `tickets` row is assigned to the user or they collaborate on it. `user` is the id itself or a
 * placeholder (for queries built once).
 */
export function visibleToUserSql(user: string | Placeholder): SQL {
  // columns written out in full: drizzle leaves them unqualified in single-table queries, where a subquery would
  // resolve them against its own table
  return sql`(tickets.assignee_id = ${user} OR EXISTS (SELECT 1 FROM ticket_collaborators tc WHERE tc.ticket_id = tickets.id AND tc.user_id = ${user}))`;
}

/** Condition matching a ticket by UUID or human number; null when the reference is neither. */
export function ticketRefCondition(ref: string): SQL | null {
  if (UUID.test(ref)) return eq(tickets.id, ref.toLowerCase());
  if (NUMBER.test(ref)) return eq(tickets.number, Number(ref));
  return null;
}

/** The visibility condition with the collaborator's id as a placeholder (for queries built once). */
const visibleToUser = visibleToUserSql(sql.placeholder('userId'));

/** findVisibleTicket's query in its eight shapes (id or number, all or a collaborator's, locked or not), built once. */
function visibleTicketQuery(by: 'id' | 'number', restricted: boolean, forUpdate: boolean) {
  return reusableQuery((db) => {
    const q = db
      .select()
      .from(tickets)
      .where(
        and(
          by === 'id' ? eq(tickets.id, sql.placeholder('key')) : eq(tickets.number, sql.placeholder('key')),
          restricted ? visibleToUser : undefined,
        ),
      )
      .limit(1);
    return forUpdate ? q.for('update') : q;
  });
}

const visibleTicketQueries = Object.fromEntries(
  (['id', 'number'] as const).flatMap((by) =>
    [false, true].flatMap((restricted) =>
      [false, true].map((forUpdate) => [
        `${by}:${restricted}:${forUpdate}`,
        visibleTicketQuery(by, restricted, forUpdate),
      ]),
    ),
  ),
) as Record<string, ReturnType<typeof visibleTicketQuery>>;

/** The ticket by UUID or number if the actor may see it (optionally locked FOR UPDATE), else null. */
export async function findVisibleTicket(
  db: DbOrTx,
  actor: Actor,
  ref: string,
  opts: { forUpdate?: boolean } = {},
): Promise<TicketRow | null> {
  const by = UUID.test(ref) ? 'id' : NUMBER.test(ref) ? 'number' : null;
  if (!by) return null;
  const v = ticketVisibility(actor);
  const query = visibleTicketQueries[`${by}:${!v.all}:${opts.forUpdate === true}`];
  if (!query) throw new Error('findVisibleTicket: no query for this shape');
  const key = by === 'id' ? ref.toLowerCase() : Number(ref);
  const rows = await query(db, v.all ? { key } : { key, userId: v.userId });
  return rows[0] ?? null;
}

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

/** Primary (else oldest) email of a customer, as a correlated subquery on `customers`. */
export const primaryEmailSql = sql<
  string | null
>`(SELECT ci.value FROM customer_identities ci WHERE ci.customer_id = customers.id AND ci.kind = 'email' ORDER BY ci.is_primary DESC, ci.created_at ASC LIMIT 1)`;

type TicketKey = { by: 'id'; id: string } | { by: 'number'; number: number };

/** The columns the DTO shows (not the search text and vector, which can be long). */
const { searchText: _searchText, searchVector: _searchVector, ...dtoColumns } = getTableColumns(tickets);

/**
 * The DTO's query in its four shapes (by id or number; everything visible, or a collaborator's tickets), each built
 * once (platform/db/reusable-query.ts): it runs after every ticket write and for every ticket page.
 */
function dtoQuery(by: TicketKey['by'], restricted: boolean) {
  return reusableQuery((db) =>
    db
      .select({
        t: dtoColumns,
        customerName: customers.name,
        customerEmail: primaryEmailSql,
        assigneeName: staffUsers.name,
        links: sql<Array<{ kind: string; ticketId: string; number: number }>>`(
        SELECT coalesce(json_agg(json_build_object('kind', l.kind, 'ticketId', l.linked_ticket_id, 'number', lt.number)
                                 ORDER BY l.created_at, l.id), '[]'::json)
        FROM ticket_links l JOIN tickets lt ON lt.id = l.linked_ticket_id WHERE l.ticket_id = ${tickets.id})`,
        collaborators: sql<Array<{ id: string; name: string }>>`(
        SELECT coalesce(json_agg(json_build_object('id', s.id, 'name', s.name) ORDER BY tc.created_at, s.name), '[]'::json)
        FROM ticket_collaborators tc JOIN staff_users s ON s.id = tc.user_id WHERE tc.ticket_id = ${tickets.id})`,
        incidentCount: sql<number>`(
        SELECT count(*)::int FROM tickets p WHERE p.problem_id = ${tickets.id} AND p.merged_into_id IS NULL)`,
      })
      .from(tickets)
      .innerJoin(customers, eq(customers.id, tickets.customerId))
      .leftJoin(staffUsers, eq(staffUsers.id, tickets.assigneeId))
      .where(
        and(
          by === 'id' ? eq(tickets.id, sql.placeholder('key')) : eq(tickets.number, sql.placeholder('key')),
          restricted ? visibleToUser : undefined,
        ),
      )
      .limit(1),
  );
}

const dtoQueries = {
  id: { all: dtoQuery('id', false), restricted: dtoQuery('id', true) },
  number: { all: dtoQuery('number', false), restricted: dtoQuery('number', true) },
};

/** Everything the Ticket DTO needs, in one query: the ticket, its people, links, collaborators and incident count. */
export async function loadTicketDto(db: DbOrTx, actor: Actor, ticketId: string): Promise<Ticket | null> {
  return loadTicketDtoByKey(db, actor, { by: 'id', id: ticketId });
}

/** The Ticket DTO by UUID or human number, if the actor may see it (one query). */
export async function loadTicketDtoByRef(db: DbOrTx, actor: Actor, ref: string): Promise<Ticket | null> {
  if (UUID.test(ref)) return loadTicketDtoByKey(db, actor, { by: 'id', id: ref.toLowerCase() });
  if (NUMBER.test(ref)) return loadTicketDtoByKey(db, actor, { by: 'number', number: Number(ref) });
  return null;
}

async function loadTicketDtoByKey(db: DbOrTx, actor: Actor, key: TicketKey): Promise<Ticket | null> {
  const v = ticketVisibility(actor);
  const queries = dtoQueries[key.by];
  const keyValue = key.by === 'id' ? key.id : key.number;
  const [row] = v.all
    ? await queries.all(db, { key: keyValue })
    : await queries.restricted(db, { key: keyValue, userId: v.userId });
  if (!row) return null;
  const t = row.t;
  const links: TicketLink[] = row.links.map((l) => ({ kind: l.kind, ticketId: l.ticketId, number: Number(l.number) }));
  return {
    id: t.id,
    number: t.number,
    subject: t.subject,
    status: t.status as Ticket['status'],
    priority: t.priority as Ticket['priority'],
    type: t.type as Ticket['type'],
    channel: t.channel,
    language: t.language,
    tags: t.tags,
    categoryId: t.categoryId,
    teamId: t.teamId,
    assigneeId: t.assigneeId,
    assignee: t.assigneeId && row.assigneeName !== null ? { id: t.assigneeId, name: row.assigneeName } : null,
    customer: { id: t.customerId, name: row.customerName, email: row.customerEmail ?? null },
    messageCount: t.messageCount,
    createdAt: t.createdAt.toISOString(),
    updatedAt: t.updatedAt.toISOString(),
    lastMessageAt: iso(t.lastMessageAt),
    slaDueAt: iso(t.slaDueAt),
    slaState: t.slaState as Ticket['slaState'],
    problemId: t.problemId,
    customFields: t.customFields,
    organisationId: t.organisationId,
    mergedIntoId: t.mergedIntoId,
    links,
    collaborators: row.collaborators,
    incidentCount: Number(row.incidentCount ?? 0),
    firstResponseAt: iso(t.firstResponseAt),
    solvedAt: iso(t.solvedAt),
    closedAt: iso(t.closedAt),
  };
}

export function toAttachmentDto(a: AttachmentRow): Attachment {
  return {
    id: a.id,
    filename: a.filename,
    contentType: a.contentType,
    sizeBytes: a.sizeBytes,
    sha256: a.sha256,
    createdAt: a.createdAt.toISOString(),
  };
}

/**
 * A message's attachments as their API form, built by PostgreSQL inside the message's own row (oldest first, times
 * as toISOString writes them: both cut to the millisecond). They were a second query for every page of messages and
 * every reply's answer.
 */
const ATTACHMENTS_OF_MESSAGE = sql<Attachment[]>`(
  SELECT coalesce(json_agg(json_build_object(
           'id', a.id, 'filename', a.filename, 'contentType', a.content_type, 'sizeBytes', a.size_bytes,
           'sha256', a.sha256,
           'createdAt', to_char(a.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))
         ORDER BY a.created_at, a.id), '[]'::json)
    FROM attachments a WHERE a.message_id = messages.id)`;

// The ticket page's messages (and every reply's answer), built once: platform/db/reusable-query.ts.
function messageRows(where: (db: DbOrTx) => SQL) {
  return reusableQuery((db) =>
    db
      .select({
        m: messages,
        staffName: staffUsers.name,
        customerName: customers.name,
        attachments: ATTACHMENTS_OF_MESSAGE,
      })
      .from(messages)
      .leftJoin(staffUsers, eq(staffUsers.id, messages.authorStaffId))
      .leftJoin(customers, eq(customers.id, messages.authorCustomerId))
      .where(where(db))
      .orderBy(asc(messages.seq)),
  );
}
const messagesOfTicket = messageRows(() => eq(messages.ticketId, sql.placeholder('ticketId')));
const messagesById = messageRows(() => sql`${messages.id} = ANY(${sql.placeholder('ids')}::uuid[])`);

/** Messages of a ticket (ordered by seq) or a given set of messages, with authors and attachments. */
export async function loadMessageDtos(
  db: DbOrTx,
  where: { ticketId: string } | { messageIds: string[] },
): Promise<Message[]> {
  if ('messageIds' in where && where.messageIds.length === 0) return [];
  const rows =
    'ticketId' in where
      ? await messagesOfTicket(db, { ticketId: where.ticketId })
      : await messagesById(db, { ids: where.messageIds });
  return rows.map(({ m, staffName, customerName, attachments }) => {
    let author: Message['author'] = null;
    if (m.authorType === 'staff' && m.authorStaffId && staffName !== null)
      author = { id: m.authorStaffId, name: staffName };
    if (m.authorType === 'customer' && m.authorCustomerId && customerName !== null)
      author = { id: m.authorCustomerId, name: customerName };
    return {
      id: m.id,
      ticketId: m.ticketId,
      seq: m.seq,
      kind: m.kind as Message['kind'],
      authorType: m.authorType as Message['authorType'],
      author,
      channel: m.channel,
      bodyText: m.bodyText,
      bodyHtml: m.bodyHtml,
      status: m.status as Message['status'],
      attachments,
      meta: m.meta,
      createdAt: m.createdAt.toISOString(),
    };
  });
}

/** The event log of a ticket, oldest first, with actor names. */
export async function loadTicketEvents(db: DbOrTx, ticketId: string): Promise<TicketEvent[]> {
  const r = await db.execute<{
    id: number;
    type: string;
    actor_type: string;
    actor_id: string | null;
    actor_name: string | null;
    payload: Record<string, unknown>;
    created_at: Date | string;
  }>(sql`
    SELECT e.id, e.type, e.actor_type, e.actor_id, e.payload, e.created_at,
      CASE WHEN e.actor_type IN ('staff', 'token') THEN s.name WHEN e.actor_type = 'customer' THEN c.name END AS actor_name
    FROM events e
    LEFT JOIN staff_users s ON e.actor_type IN ('staff', 'token') AND s.id = e.actor_id
    LEFT JOIN customers c ON e.actor_type = 'customer' AND c.id = e.actor_id
    WHERE e.ticket_id = ${ticketId}
    ORDER BY e.id`);
  return r.rows.map((e) => ({
    id: Number(e.id),
    type: e.type,
    actor: e.actor_type === 'system' ? null : { type: e.actor_type, id: e.actor_id, name: e.actor_name },
    payload: e.payload,
    createdAt: new Date(e.created_at).toISOString(),
  }));
}

/** Whether a user is a collaborator on a ticket. */
export async function isCollaborator(db: DbOrTx, ticketId: string, userId: string): Promise<boolean> {
  const rows = await db
    .select({ userId: ticketCollaborators.userId })
    .from(ticketCollaborators)
    .where(and(eq(ticketCollaborators.ticketId, ticketId), eq(ticketCollaborators.userId, userId)))
    .limit(1);
  return rows.length > 0;
}

/** Recomputes a ticket's message aggregates from its messages (after messages move in or out). */
export async function refreshMessageAggregates(db: DbOrTx, ticketId: string): Promise<void> {
  await db.execute(sql`
    UPDATE tickets t SET
      message_count = agg.n,
      last_message_at = agg.last_at,
      last_customer_message_at = agg.last_customer_at,
      first_response_at = COALESCE(LEAST(t.first_response_at, agg.first_response), t.first_response_at, agg.first_response)
    FROM (
      SELECT
        count(*) FILTER (WHERE kind <> 'system')::int AS n,
        max(created_at) FILTER (WHERE kind <> 'system') AS last_at,
        max(created_at) FILTER (WHERE author_type = 'customer') AS last_customer_at,
        min(created_at) FILTER (WHERE kind = 'public' AND author_type = 'staff' AND status IN ('sent', 'queued')) AS first_response
      FROM messages WHERE ticket_id = ${ticketId}
    ) agg
    WHERE t.id = ${ticketId}`);
}
