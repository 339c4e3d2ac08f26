import { eq, sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { tickets } from '../src/platform/db/schema/index.ts';
import { registerTicketHook, type TicketHookEvent, unregisterTicketHook } from '../src/platform/ticket-hooks.ts';
import { createStaff, type TestStaff } from './factories.ts';
import { createTestApp, type TestApp } from './harness.ts';
import { api } from './tickets-helpers.ts';
import { forgetNewTicket } from '../src/platform/new-ticket-snapshot.ts';

let t: TestApp;
let agent: TestStaff;
const seen: TicketHookEvent['kind'][] = [];

beforeAll(async () => {
  t = await createTestApp();
  agent = await createStaff(t, 'agent');
});
afterAll(async () => {
  await t?.close();
});
afterEach(() => {
  for (const n of ['test-tagger', 'test-recorder', 'test-failer', 'test-looper']) unregisterTicketHook(n);
  seen.length = 0;
});

const newTicket = (subject: string) =>
  api(t, agent, 'POST', '/tickets', {
    subject,
    customer: { email: 'hooks@example.com', name: 'Hook Customer' },
    message: { body: 'Hello' },
  });

describe('ticket hooks', () => {
  it('runs inside the creating transaction, in order, and sees the first message already stored', async () => {
    registerTicketHook({
      name: 'test-recorder',
      order: 10,
      async handle(_tx, e) {
        seen.push(e.kind);
      },
    });
    registerTicketHook({
      name: 'test-tagger',
      order: 20,
      async handle(tx, e) {
        if (e.kind !== 'created') return;
        const [row] = await tx.select({ n: tickets.messageCount }).from(tickets).where(eq(tickets.id, e.ticketId));
        await tx
          .update(tickets)
          .set({ tags: sql`array_append(${tickets.tags}, ${`routed-${row?.n ?? 0}`})` })
          .where(eq(tickets.id, e.ticketId));
        // a hook that writes the ticket keeps the new ticket's snapshot true, or drops it (new-ticket-snapshot.ts)
        forgetNewTicket(tx, e.ticketId);
      },
    });
    const res = await newTicket('Hooked');
    expect(res.statusCode).toBe(201);
    const [row] = await t.deps.db.select({ tags: tickets.tags }).from(tickets).where(eq(tickets.id, res.json().id));
    expect(row?.tags).toEqual(['routed-1']);
    expect(seen).toEqual(['message', 'created']);

    seen.length = 0;
    const patched = await api(t, agent, 'PATCH', `/tickets/${res.json().id}`, { priority: 'high', status: 'open' });
    expect(patched.statusCode).toBe(200);
    expect(seen).toEqual(['status', 'updated']);
  });

  it('rolls the whole change back when a hook fails, so no ticket exists half-routed', async () => {
    registerTicketHook({
      name: 'test-failer',
      order: 10,
      async handle(_tx, e) {
        if (e.kind === 'created') throw new Error('routing exploded');
      },
    });
    const before = await t.deps.db.select({ n: sql<number>`count(*)::int` }).from(tickets);
    const res = await newTicket('Will not exist');
    expect(res.statusCode).toBe(500);
    const after = await t.deps.db.select({ n: sql<number>`count(*)::int` }).from(tickets);
    expect(after[0]?.n).toBe(before[0]?.n);
  });

  it('cuts off a hook that keeps re-triggering itself', async () => {
    let calls = 0;
    registerTicketHook({
      name: 'test-looper',
      order: 10,
      async handle(tx, e) {
        if (e.kind !== 'status') return;
        calls += 1;
        const { changeTicketStatus } = await import('../src/modules/tickets/ticket-writes.ts');
        const [row] = await tx
          .select({ id: tickets.id, status: tickets.status })
          .from(tickets)
          .where(eq(tickets.id, e.ticketId));
        if (!row) return;
        await changeTicketStatus(tx, {
          ticket: row,
          to: row.status === 'open' ? 'pending' : 'open',
          actor: e.actor,
          now: e.now,
        });
      },
    });
    const res = await newTicket('Ping pong');
    const patched = await api(t, agent, 'PATCH', `/tickets/${res.json().id}`, { status: 'open' });
    expect(patched.statusCode).toBe(200);
    expect(calls).toBe(4);
  });
});
