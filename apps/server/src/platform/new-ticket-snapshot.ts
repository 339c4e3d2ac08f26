import { eq, type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from './db/client.ts';
import { reusableQuery } from './db/reusable-query.ts';
import { tickets } from './db/schema/index.ts';

/**
 * A ticket its own transaction has just inserted, as far as that transaction has changed it since: the hooks that
 * run for a new ticket (routing, SLA, insights) each read the ticket back, and a read is a round trip — the cost of
 * a write is its round trips (docs/performance.md). The writer that inserts the ticket remembers the row it got
 * back (insert-ticket-row.ts); the message append patches the fields it moves; every other writer of the ticket
 * inside the transaction either patches what it set or forgets the snapshot, after which readers read as before.
 * Nobody else can see or change an uncommitted ticket, so within its transaction the snapshot is the truth as long
 * as every writer keeps it — which the test suite checks: under NODE_ENV=test every use is compared with a read of
 * the database (`checkTicketSnapshots`), and a difference throws, naming the field.
 *
 * Besides the row, a snapshot stands for what a new ticket does not have yet: SLA clocks (`noClocks`, cleared by
 * the SLA code that starts one), insight facts (`noFacts`, cleared when the insights sync queues them), status
 * changes and survey answers (a status change forgets the snapshot).
 */
export interface NewTicketSnapshot {
  id: string;
  status: string;
  priority: string;
  type: string;
  channel: string;
  categoryId: string | null;
  teamId: string | null;
  assigneeId: string | null;
  organisationId: string | null;
  customerId: string;
  mergedIntoId: string | null;
  language: string | null;
  tags: string[];
  customFields: Record<string, unknown>;
  subject: string;
  createdAt: Date;
  updatedAt: Date;
  firstResponseAt: Date | null;
  lastMessageAt: Date | null;
  lastCustomerMessageAt: Date | null;
  solvedAt: Date | null;
  slaPolicyId: string | null;
  slaDueAt: Date | null;
  slaState: string | null;
  /** the customer's attributes (tier and the rest) as the ticket was inserted */
  customerAttributes: Record<string, unknown>;
  /** no SLA clock exists for the ticket */
  noClocks: boolean;
  /** no insight fact row exists or is queued for the ticket */
  noFacts: boolean;
}

export type TicketSnapshotPatch = Partial<Omit<NewTicketSnapshot, 'id' | 'customerAttributes'>>;

/** The ticket's columns a snapshot holds: what the insert returns (insert-ticket-row.ts) and the check reads. */
export const SNAPSHOT_COLUMNS = {
  id: tickets.id,
  status: tickets.status,
  priority: tickets.priority,
  type: tickets.type,
  channel: tickets.channel,
  categoryId: tickets.categoryId,
  teamId: tickets.teamId,
  assigneeId: tickets.assigneeId,
  organisationId: tickets.organisationId,
  customerId: tickets.customerId,
  mergedIntoId: tickets.mergedIntoId,
  language: tickets.language,
  tags: tickets.tags,
  customFields: tickets.customFields,
  subject: tickets.subject,
  createdAt: tickets.createdAt,
  updatedAt: tickets.updatedAt,
  firstResponseAt: tickets.firstResponseAt,
  lastMessageAt: tickets.lastMessageAt,
  lastCustomerMessageAt: tickets.lastCustomerMessageAt,
  solvedAt: tickets.solvedAt,
  slaPolicyId: tickets.slaPolicyId,
  slaDueAt: tickets.slaDueAt,
  slaState: tickets.slaState,
};

/** The customer's attributes by a SQL expression for the customer's id, as a snapshot holds them. */
export const customerAttributesOf = (customerId: SQL) =>
  sql<
    Record<string, unknown>
  >`(SELECT coalesce(c.attributes, '{}'::jsonb) FROM customers c WHERE c.id = ${customerId})`;

const byTx = new WeakMap<object, Map<string, NewTicketSnapshot>>();
let checking = false;

/** Compare every snapshot used with the database (on under NODE_ENV=test: app.ts). */
export function checkTicketSnapshots(on: boolean): void {
  checking = on;
}

/** Called by the writer that inserted the ticket, with the row as the insert returned it. */
export function rememberNewTicket(tx: DbOrTx, snapshot: NewTicketSnapshot): void {
  const key = tx as unknown as object;
  let map = byTx.get(key);
  if (!map) {
    map = new Map();
    byTx.set(key, map);
  }
  map.set(snapshot.id, snapshot);
}

/**
 * A writer changed exactly these fields of the ticket's row (nothing happens when there is no snapshot); a function
 * gets the snapshot, for values that depend on it.
 */
export function patchNewTicket(
  tx: DbOrTx,
  ticketId: string,
  patch: TicketSnapshotPatch | ((s: Readonly<NewTicketSnapshot>) => TicketSnapshotPatch),
): void {
  const s = byTx.get(tx as unknown as object)?.get(ticketId);
  if (s) Object.assign(s, typeof patch === 'function' ? patch(s) : patch);
}

/** A writer changed the ticket in a way it does not patch in: the hooks read it from the database from now on. */
export function forgetNewTicket(tx: DbOrTx, ticketId: string): void {
  byTx.get(tx as unknown as object)?.delete(ticketId);
}

/**
 * The snapshot of a ticket this transaction inserted, if it is still known; a copy, so a reader that adjusts
 * its own view does not change it. Checked against the database when checking is on.
 */
export async function newTicketSnapshot(tx: DbOrTx, ticketId: string): Promise<NewTicketSnapshot | undefined> {
  const s = byTx.get(tx as unknown as object)?.get(ticketId);
  if (!s) return undefined;
  if (checking) await compareWithDatabase(tx, s);
  return { ...s, tags: [...s.tags] };
}

/** The customer's tier as SQL's `attributes->>'tier'` gives it: text, or null when absent or JSON null. */
export function snapshotCustomerTier(s: NewTicketSnapshot): string | null {
  const tier = s.customerAttributes.tier;
  if (tier === undefined || tier === null) return null;
  return typeof tier === 'string' ? tier : JSON.stringify(tier);
}

const ticketAsStored = reusableQuery((db) =>
  db
    .select({
      ...SNAPSHOT_COLUMNS,
      customerAttributes: customerAttributesOf(sql`tickets.customer_id`),
      noClocks: sql<boolean>`NOT EXISTS (SELECT 1 FROM ticket_sla_clocks k WHERE k.ticket_id = tickets.id)`,
      noFacts: sql<boolean>`NOT EXISTS (SELECT 1 FROM insight_ticket_facts f WHERE f.ticket_id = tickets.id)`,
      statusChanges: sql<number>`(SELECT count(*)::int FROM events e WHERE e.ticket_id = tickets.id AND e.type = 'ticket.status_changed')`,
    })
    .from(tickets)
    .where(eq(tickets.id, sql.placeholder('ticketId'))),
);

const comparable = (v: unknown) => JSON.stringify(v instanceof Date ? v.toISOString() : v);

async function compareWithDatabase(tx: DbOrTx, s: NewTicketSnapshot): Promise<void> {
  const [stored] = await ticketAsStored(tx, { ticketId: s.id });
  if (!stored) throw new Error(`ticket snapshot: ticket ${s.id} is not in the database`);
  const { statusChanges, ...row } = stored;
  const differ = Object.entries(row)
    // a snapshot that knows of clocks or facts (written, or queued for the commit) sends its reader to the database
    .filter(([k]) => !(k === 'noClocks' && !s.noClocks) && !(k === 'noFacts' && !s.noFacts))
    .filter(([k, v]) => comparable(v) !== comparable(s[k as keyof NewTicketSnapshot]))
    .map(([k, v]) => `${k}: snapshot ${comparable(s[k as keyof NewTicketSnapshot])}, database ${comparable(v)}`);
  if (statusChanges > 0) differ.push(`status changed ${statusChanges} time(s) since the insert`);
  if (differ.length > 0)
    throw new Error(
      `ticket snapshot of ${s.id} is stale (a writer neither patched nor forgot it): ${differ.join('; ')}`,
    );
}
