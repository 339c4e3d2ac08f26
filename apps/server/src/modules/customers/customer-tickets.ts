import type { TicketList, TicketSummary } from '@seva/contracts';
import { sql } from 'drizzle-orm';
import type { Actor } from '../../platform/auth/permissions.ts';
import type { Deps } from '../../platform/deps.ts';
import { notFound } from '../../platform/errors.ts';
import { decodeCursor, encodeCursor, isTimeIdCursor } from './cursor.ts';
import { rows } from './customers.repository.ts';
import { customerVisibleSql, ticketVisibleSql } from './ticket-visibility-sql.ts';

interface TicketSummaryRow {
  id: string;
  number: number;
  subject: string;
  status: TicketSummary['status'];
  priority: TicketSummary['priority'];
  type: TicketSummary['type'];
  channel: string;
  language: string | null;
  tags: string[];
  category_id: string | null;
  team_id: string | null;
  assignee_id: string | null;
  assignee_name: string | null;
  customer_id: string;
  customer_name: string;
  customer_email: string | null;
  message_count: number;
  created_at: Date;
  updated_at: Date;
  last_message_at: Date | null;
  sla_due_at: Date | string | null;
  sla_state: TicketSummary['slaState'];
  created_key: string;
}

/** A customer's tickets the actor can see, newest first. */
export async function listCustomerTickets(
  deps: Pick<Deps, 'db'>,
  opts: { actor: Actor; id: string; limit: number; cursor?: string | undefined },
): Promise<TicketList> {
  const visible = await rows(
    deps.db,
    sql`SELECT 1 FROM customers c WHERE c.id = ${opts.id} AND ${customerVisibleSql(opts.actor, 'c')}`,
  );
  if (visible.length === 0) throw notFound('Customer');
  const after = decodeCursor(opts.cursor, isTimeIdCursor);
  const found = await rows<TicketSummaryRow>(
    deps.db,
    sql`SELECT t.id, t.number, t.subject, t.status, t.priority, t.type, t.channel, t.language, t.tags, t.category_id,
        t.team_id, t.assignee_id, s.name AS assignee_name, c.id AS customer_id, c.name AS customer_name,
        (SELECT i.value FROM customer_identities i WHERE i.customer_id = c.id AND i.kind = 'email'
           ORDER BY i.is_primary DESC, i.created_at, i.id LIMIT 1) AS customer_email,
        t.message_count, t.created_at, t.updated_at, t.last_message_at, t.sla_due_at, t.sla_state,
        to_char(t.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS created_key
      FROM tickets t JOIN customers c ON c.id = t.customer_id LEFT JOIN staff_users s ON s.id = t.assignee_id
      WHERE t.customer_id = ${opts.id} AND ${ticketVisibleSql(opts.actor, 't')}
        ${after ? sql`AND (t.created_at, t.id) < (${after[0]}::timestamptz, ${after[1]}::uuid)` : sql``}
      ORDER BY t.created_at DESC, t.id DESC
      LIMIT ${opts.limit + 1}`,
  );
  const items = found.slice(0, opts.limit);
  const last = items[items.length - 1];
  return {
    items: items.map((r) => ({
      id: r.id,
      number: Number(r.number),
      subject: r.subject,
      status: r.status,
      priority: r.priority,
      type: r.type,
      channel: r.channel,
      language: r.language,
      tags: r.tags ?? [],
      categoryId: r.category_id,
      teamId: r.team_id,
      assigneeId: r.assignee_id,
      assignee: r.assignee_id && r.assignee_name !== null ? { id: r.assignee_id, name: r.assignee_name } : null,
      customer: { id: r.customer_id, name: r.customer_name, email: r.customer_email },
      messageCount: r.message_count,
      createdAt: new Date(r.created_at).toISOString(),
      updatedAt: new Date(r.updated_at).toISOString(),
      lastMessageAt: r.last_message_at ? new Date(r.last_message_at).toISOString() : null,
      slaDueAt: r.sla_due_at ? new Date(r.sla_due_at).toISOString() : null,
      slaState: r.sla_state,
    })),
    nextCursor: found.length > opts.limit && last ? encodeCursor([last.created_key, last.id]) : null,
  };
}
