import type { ListTicketsQuery, TicketCounts, TicketList, TicketSort, TicketSummary } from '@seva/contracts';
import { and, asc, desc, eq, inArray, isNull, type SQL, sql } from 'drizzle-orm';
import { type Actor, ticketVisibility } from '../../platform/auth/permissions.ts';
import type { DbOrTx } from '../../platform/db/client.ts';
import { reusableQuery } from '../../platform/db/reusable-query.ts';
import { customers, staffUsers, tickets } from '../../platform/db/schema/index.ts';
import { normaliseTags } from './normalise-tags.ts';
import { decodeTicketCursor, encodeTicketCursor } from './ticket-cursor.ts';
import { primaryEmailSql, ticketVisibleTo, visibleToUserSql } from './tickets.repository.ts';

export const DEFAULT_PAGE_SIZE = 50;

const PRIORITY_RANK = sql<number>`(CASE ${tickets.priority} WHEN 'urgent' THEN 4 WHEN 'high' THEN 3 WHEN 'normal' THEN 2 ELSE 1 END)`;

/** Matches the tickets_sla_due_idx expression: tickets without a running SLA clock sort last. */
const SLA_DUE_KEY = sql`coalesce(${tickets.slaDueAt}, '9999-12-31 00:00:00+00'::timestamptz)`;

function sortColumn(sort: TicketSort) {
  if (sort === 'sla_due_asc') return SLA_DUE_KEY;
  return sort.startsWith('created') ? tickets.createdAt : tickets.updatedAt;
}

/** Exact (microsecond) UTC text of the sort timestamp, so the cursor never loses precision. */
function sortKeyText(sort: TicketSort): SQL<string> {
  return sql<string>`to_char(${sortColumn(sort)} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
}

const P = (name: string) => sql.placeholder(name);

function viewCondition(view: ListTicketsQuery['view'], actor: Actor): SQL | null {
  if (!view || view === 'all') return null;
  if (actor.kind !== 'staff') return view === 'unassigned' ? isNull(tickets.assigneeId) : sql`false`;
  switch (view) {
    case 'mine':
      return eq(tickets.assigneeId, P('viewUserId'));
    case 'unassigned':
      return isNull(tickets.assigneeId);
    case 'my_teams':
      return sql`tickets.team_id IN (SELECT tm.team_id FROM team_members tm WHERE tm.user_id = ${P('viewUserId')})`;
    case 'collaborating':
      return sql`EXISTS (SELECT 1 FROM ticket_collaborators tc WHERE tc.ticket_id = tickets.id AND tc.user_id = ${P('viewUserId')})`;
    default:
      return null;
  }
}

/** `column IN ($name0, $name1, …)`: the same SQL an inline list gives, with the values as placeholders. */
function inPlaceholders(column: Parameters<typeof inArray>[0], name: string, count: number): SQL {
  return inArray(
    column,
    Array.from({ length: count }, (_, i) => P(`${name}${i}`)),
  );
}

/** The list's values by placeholder name, and the shape they fill (what the SQL text depends on). */
interface ListShape {
  key: string;
  values: Record<string, unknown>;
}

function listShape(actor: Actor, query: ListTicketsQuery, sort: TicketSort): ListShape {
  const v = ticketVisibility(actor);
  const values: Record<string, unknown> = { limit: (query.limit ?? DEFAULT_PAGE_SIZE) + 1 };
  const key: unknown[] = [sort, v.all ? 'all' : 'restricted', actor.kind, query.view ?? 'all'];
  if (!v.all) values.visibleUserId = v.userId;
  if (actor.kind === 'staff') values.viewUserId = actor.userId;
  const list = (name: string, items: readonly string[] | undefined) => {
    key.push(items ? items.length : -1);
    items?.forEach((x, i) => {
      values[`${name}${i}`] = x;
    });
  };
  list('status', query.status);
  list('priority', query.priority);
  list('type', query.type);
  list('channel', query.channel);
  list('language', query.language?.length ? query.language.map((l) => l.toLowerCase()) : undefined);
  const one = (name: string, value: string | undefined) => {
    key.push(value === undefined ? 0 : 1);
    if (value !== undefined) values[name] = value;
  };
  one('categoryId', query.categoryId);
  one('teamId', query.teamId);
  one('customerId', query.customerId);
  key.push(query.assigneeId === undefined ? 0 : query.assigneeId === 'none' ? 'none' : 1);
  if (query.assigneeId && query.assigneeId !== 'none') values.assigneeId = query.assigneeId;
  const tags = query.tag ? normaliseTags([query.tag]) : [];
  list('tag', tags.length > 0 ? tags : undefined);
  if (query.cursor) {
    const c = decodeTicketCursor(query.cursor, sort);
    c.keys.forEach((k, i) => {
      values[`cursor${i}`] = k;
    });
    key.push('cursor');
  }
  return { key: JSON.stringify(key), values };
}

function buildList(db: DbOrTx, actor: Actor, query: ListTicketsQuery, sort: TicketSort) {
  const v = ticketVisibility(actor);
  const conds: SQL[] = [v.all ? sql`true` : visibleToUserSql(P('visibleUserId'))];
  const view = viewCondition(query.view, actor);
  if (view) conds.push(view);
  if (query.status) conds.push(inPlaceholders(tickets.status, 'status', query.status.length));
  if (query.priority) conds.push(inPlaceholders(tickets.priority, 'priority', query.priority.length));
  if (query.type) conds.push(inPlaceholders(tickets.type, 'type', query.type.length));
  if (query.channel) conds.push(inPlaceholders(tickets.channel, 'channel', query.channel.length));
  if (query.language && query.language.length > 0)
    conds.push(inPlaceholders(tickets.language, 'language', query.language.length));
  if (query.categoryId) conds.push(eq(tickets.categoryId, P('categoryId')));
  if (query.teamId) conds.push(eq(tickets.teamId, P('teamId')));
  if (query.customerId) conds.push(eq(tickets.customerId, P('customerId')));
  if (query.assigneeId)
    conds.push(query.assigneeId === 'none' ? isNull(tickets.assigneeId) : eq(tickets.assigneeId, P('assigneeId')));
  if (query.tag) {
    const count = normaliseTags([query.tag]).length;
    if (count > 0)
      conds.push(
        sql`${tickets.tags} @> ARRAY[${sql.join(
          Array.from({ length: count }, (_, i) => sql`${P(`tag${i}`)}`),
          sql`, `,
        )}]::text[]`,
      );
  }

  const ts = sortColumn(sort);
  const descending = sort.endsWith('desc');
  if (query.cursor) {
    if (sort === 'priority_desc') {
      conds.push(
        sql`(${PRIORITY_RANK}, ${ts}, ${tickets.id}) < (${P('cursor0')}::int, ${P('cursor1')}::timestamptz, ${P('cursor2')}::uuid)`,
      );
    } else {
      conds.push(
        descending
          ? sql`(${ts}, ${tickets.id}) < (${P('cursor0')}::timestamptz, ${P('cursor1')}::uuid)`
          : sql`(${ts}, ${tickets.id}) > (${P('cursor0')}::timestamptz, ${P('cursor1')}::uuid)`,
      );
    }
  }
  const order =
    sort === 'priority_desc'
      ? [desc(PRIORITY_RANK), desc(ts), desc(tickets.id)]
      : descending
        ? [desc(ts), desc(tickets.id)]
        : [asc(ts), asc(tickets.id)];

  return db
    .select({
      id: tickets.id,
      number: tickets.number,
      subject: tickets.subject,
      status: tickets.status,
      priority: tickets.priority,
      type: tickets.type,
      channel: tickets.channel,
      language: tickets.language,
      tags: tickets.tags,
      categoryId: tickets.categoryId,
      teamId: tickets.teamId,
      assigneeId: tickets.assigneeId,
      assigneeName: staffUsers.name,
      customerId: tickets.customerId,
      customerName: customers.name,
      customerEmail: primaryEmailSql,
      messageCount: tickets.messageCount,
      createdAt: tickets.createdAt,
      updatedAt: tickets.updatedAt,
      lastMessageAt: tickets.lastMessageAt,
      slaDueAt: tickets.slaDueAt,
      slaState: tickets.slaState,
      rank: PRIORITY_RANK,
      sortKey: sortKeyText(sort),
    })
    .from(tickets)
    .innerJoin(customers, eq(customers.id, tickets.customerId))
    .leftJoin(staffUsers, eq(staffUsers.id, tickets.assigneeId))
    .where(and(...conds))
    .orderBy(...order)
    .limit(P('limit'));
}

/**
 * The list query per shape (which filters, how many values each, sort, view, visibility, cursor or not), built once
 * (platform/db/reusable-query.ts): the inbox is the most requested page, and building its SQL was about a quarter
 * of the server's CPU per request. Bounded: past MAX_SHAPES, a new shape is built per request as before.
 */
const MAX_SHAPES = 200;
const listQueries = new Map<string, ReturnType<typeof reusableList>>();

function reusableList(actor: Actor, query: ListTicketsQuery, sort: TicketSort) {
  return reusableQuery((db) => buildList(db, actor, query, sort));
}

/**
 * The ticket list: every filter of docs/api.md, visibility applied in SQL, keyset pagination on
 * (sort timestamp, id) — or (priority rank, updated_at, id) for priority_desc.
 */
export async function listTickets(db: DbOrTx, actor: Actor, query: ListTicketsQuery): Promise<TicketList> {
  const sort: TicketSort = query.sort ?? 'updated_desc';
  const limit = query.limit ?? DEFAULT_PAGE_SIZE;
  const shape = listShape(actor, query, sort);
  let run = listQueries.get(shape.key);
  if (!run) {
    run = reusableList(actor, query, sort);
    if (listQueries.size < MAX_SHAPES) listQueries.set(shape.key, run);
  }
  const rows = await run(db, shape.values);

  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  const nextCursor =
    rows.length > limit && last
      ? encodeTicketCursor({
          sort,
          keys: sort === 'priority_desc' ? [Number(last.rank), last.sortKey, last.id] : [last.sortKey, last.id],
        })
      : null;

  const items: TicketSummary[] = page.map((r) => ({
    id: r.id,
    number: r.number,
    subject: r.subject,
    status: r.status as TicketSummary['status'],
    priority: r.priority as TicketSummary['priority'],
    type: r.type as TicketSummary['type'],
    channel: r.channel,
    language: r.language,
    tags: r.tags,
    categoryId: r.categoryId,
    teamId: r.teamId,
    assigneeId: r.assigneeId,
    assignee: r.assigneeId && r.assigneeName !== null ? { id: r.assigneeId, name: r.assigneeName } : null,
    customer: { id: r.customerId, name: r.customerName, email: r.customerEmail ?? null },
    messageCount: r.messageCount,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
    lastMessageAt: r.lastMessageAt ? r.lastMessageAt.toISOString() : null,
    slaDueAt: r.slaDueAt ? r.slaDueAt.toISOString() : null,
    slaState: r.slaState as TicketSummary['slaState'],
  }));
  return { items, nextCursor };
}

/** Unresolved tickets per view, visible to the actor (one query). */
const UNRESOLVED = sql`tickets.status IN ('new', 'open', 'pending', 'on_hold')`;

/**
 * Unresolved tickets per inbox view. Staff who see every ticket get one count per view, each on its own index
 * (assignee, team, collaborators, status) as an index-only count, instead of one pass over every unresolved ticket with
 * a subquery per row (580 ms at 100k tickets in the bench). Collaborators see only their own few tickets, so the one
 * pass stays.
 */
export async function countTicketsByView(db: DbOrTx, actor: Actor): Promise<TicketCounts> {
  const uid = actor.kind === 'staff' ? actor.userId : null;
  const query = ticketVisibility(actor).all
    ? sql`
    SELECT
      (SELECT count(*) FROM tickets WHERE tickets.assignee_id = ${uid} AND ${UNRESOLVED})::int AS mine,
      (SELECT count(*) FROM tickets WHERE tickets.assignee_id IS NULL AND ${UNRESOLVED})::int AS unassigned,
      (SELECT count(*) FROM tickets
        WHERE tickets.team_id IN (SELECT tm.team_id FROM team_members tm WHERE tm.user_id = ${uid}) AND ${UNRESOLVED})::int AS my_teams,
      (SELECT count(*) FROM ticket_collaborators tc JOIN tickets ON tickets.id = tc.ticket_id
        WHERE tc.user_id = ${uid} AND ${UNRESOLVED})::int AS collaborating,
      (SELECT count(*) FROM tickets WHERE ${UNRESOLVED})::int AS total`
    : sql`
    SELECT
      count(*) FILTER (WHERE tickets.assignee_id = ${uid})::int AS mine,
      count(*) FILTER (WHERE tickets.assignee_id IS NULL)::int AS unassigned,
      count(*) FILTER (WHERE tickets.team_id IN (SELECT tm.team_id FROM team_members tm WHERE tm.user_id = ${uid}))::int AS my_teams,
      count(*) FILTER (WHERE EXISTS (SELECT 1 FROM ticket_collaborators tc WHERE tc.ticket_id = tickets.id AND tc.user_id = ${uid}))::int AS collaborating,
      count(*)::int AS total
    FROM tickets
    WHERE ${UNRESOLVED} AND ${ticketVisibleTo(actor)}`;
  const r = await db.execute<{
    mine: number;
    unassigned: number;
    my_teams: number;
    collaborating: number;
    total: number;
  }>(query);
  const row = r.rows[0];
  return {
    mine: row?.mine ?? 0,
    unassigned: row?.unassigned ?? 0,
    myTeams: row?.my_teams ?? 0,
    collaborating: row?.collaborating ?? 0,
    all: row?.total ?? 0,
  };
}
