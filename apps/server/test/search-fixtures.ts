import { eq, sql } from 'drizzle-orm';
import {
  customerIdentities,
  customers,
  messages,
  ticketCollaborators,
  tickets,
} from '../src/platform/db/schema/index.ts';
import { normaliseForSearch } from '../src/platform/text/normalise.ts';
import type { TestApp } from './harness.ts';

/**
 * Test rows inserted directly (the tickets module owns the real write path); search_text is filled the way the
 * ticket and message writers fill it: normaliseForSearch of the subject / body.
 */
export async function insertCustomer(t: TestApp, name: string, email?: string): Promise<string> {
  const [c] = await t.deps.db
    .insert(customers)
    .values({ name, searchText: normaliseForSearch(`${name} ${email ?? ''}`) })
    .returning({ id: customers.id });
  if (!c) throw new Error('no customer');
  if (email)
    await t.deps.db
      .insert(customerIdentities)
      .values({ customerId: c.id, kind: 'email', value: email, isPrimary: true });
  return c.id;
}

export interface InsertTicketOptions {
  subject: string;
  customerId: string;
  messages?: Array<{ body: string; internal?: boolean }>;
  assigneeId?: string | null;
  collaboratorIds?: string[];
  status?: string;
}

export async function insertTicket(t: TestApp, opts: InsertTicketOptions): Promise<{ id: string; number: number }> {
  const db = t.deps.db;
  const [ticket] = await db
    .insert(tickets)
    .values({
      subject: opts.subject,
      channel: 'email',
      customerId: opts.customerId,
      assigneeId: opts.assigneeId ?? null,
      status: opts.status ?? 'open',
      searchText: normaliseForSearch(opts.subject),
    })
    .returning({ id: tickets.id, number: tickets.number });
  if (!ticket) throw new Error('no ticket');
  let seq = 0;
  for (const m of opts.messages ?? []) {
    seq += 1;
    await db.insert(messages).values({
      ticketId: ticket.id,
      seq,
      kind: m.internal ? 'internal' : 'public',
      authorType: m.internal ? 'staff' : 'customer',
      authorCustomerId: m.internal ? null : opts.customerId,
      channel: 'email',
      bodyText: m.body,
      searchText: normaliseForSearch(m.body),
    });
  }
  await db
    .update(tickets)
    .set({ lastSeq: seq, messageCount: seq, lastMessageAt: sql`now()` })
    .where(eq(tickets.id, ticket.id));
  for (const userId of opts.collaboratorIds ?? []) {
    await db.insert(ticketCollaborators).values({ ticketId: ticket.id, userId });
  }
  return ticket;
}
