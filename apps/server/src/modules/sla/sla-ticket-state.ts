import { eq, getTableColumns, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/client.ts';
import { reusableQuery } from '../../platform/db/reusable-query.ts';
import { ticketSlaClocks, tickets } from '../../platform/db/schema/index.ts';
import { newTicketSnapshot, snapshotCustomerTier } from '../../platform/new-ticket-snapshot.ts';
import type { ClockRow, Metric } from './clock-timing.ts';

/** The read side of the SLA hook (sla-clocks.ts): a ticket's SLA fields and its clocks. */
export interface TicketState {
  id: string;
  status: string;
  priority: string;
  channel: string;
  categoryId: string | null;
  organisationId: string | null;
  teamId: string | null;
  assigneeId: string | null;
  createdAt: Date;
  firstResponseAt: Date | null;
  slaPolicyId: string | null;
  slaDueAt: Date | null;
  slaState: string | null;
  customerTier: string | null;
}

/**
 * The ticket's SLA fields and its clocks in one statement (the clocks as JSON, turned back into rows below): the
 * hook reads both on every change it handles, and each read is a round trip to PostgreSQL.
 */
const ticketForSla = reusableQuery((db) =>
  db
    .select({
      id: tickets.id,
      status: tickets.status,
      priority: tickets.priority,
      channel: tickets.channel,
      categoryId: tickets.categoryId,
      organisationId: tickets.organisationId,
      teamId: tickets.teamId,
      assigneeId: tickets.assigneeId,
      createdAt: tickets.createdAt,
      firstResponseAt: tickets.firstResponseAt,
      slaPolicyId: tickets.slaPolicyId,
      slaDueAt: tickets.slaDueAt,
      slaState: tickets.slaState,
      customerTier: sql<
        string | null
      >`(SELECT c.attributes->>'tier' FROM customers c WHERE c.id = ${tickets.customerId})`,
      clocks: sql<
        Record<string, unknown>[]
      >`(SELECT coalesce(json_agg(k), '[]'::json) FROM ticket_sla_clocks k WHERE k.ticket_id = tickets.id)`,
    })
    .from(tickets)
    .where(eq(tickets.id, sql.placeholder('ticketId'))),
);

const CLOCK_COLUMNS = Object.entries(getTableColumns(ticketSlaClocks));

/** A clock row from its JSON form (snake_case keys, timestamps as text), as Drizzle would have mapped it. */
function clockFromJson(json: Record<string, unknown>): ClockRow {
  const row: Record<string, unknown> = {};
  for (const [key, column] of CLOCK_COLUMNS) {
    const v = json[column.name] ?? null;
    row[key] = v !== null && column.dataType === 'date' ? new Date(v as string) : v;
  }
  return row as ClockRow;
}

export async function loadTicket(
  tx: DbOrTx,
  ticketId: string,
): Promise<{ t: TicketState; clocks: Map<Metric, ClockRow> } | null> {
  // a ticket this transaction opened, without clocks yet: known without a read (platform/new-ticket-snapshot.ts)
  const s = await newTicketSnapshot(tx, ticketId);
  if (s?.noClocks) {
    return {
      t: {
        id: s.id,
        status: s.status,
        priority: s.priority,
        channel: s.channel,
        categoryId: s.categoryId,
        organisationId: s.organisationId,
        teamId: s.teamId,
        assigneeId: s.assigneeId,
        createdAt: s.createdAt,
        firstResponseAt: s.firstResponseAt,
        slaPolicyId: s.slaPolicyId,
        slaDueAt: s.slaDueAt,
        slaState: s.slaState,
        customerTier: snapshotCustomerTier(s),
      },
      clocks: new Map(),
    };
  }
  const [row] = await ticketForSla(tx, { ticketId });
  if (!row) return null;
  const { clocks, ...t } = row;
  return { t, clocks: new Map(clocks.map((j) => clockFromJson(j)).map((c) => [c.metric as Metric, c])) };
}

const clocksOfTicket = reusableQuery((db) =>
  db
    .select()
    .from(ticketSlaClocks)
    .where(eq(ticketSlaClocks.ticketId, sql.placeholder('ticketId'))),
);

export async function clocksOf(tx: DbOrTx, ticketId: string): Promise<Map<Metric, ClockRow>> {
  const rows = await clocksOfTicket(tx, { ticketId });
  return new Map(rows.map((r) => [r.metric as Metric, r]));
}
