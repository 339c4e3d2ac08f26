import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findOrCreateCustomerByEmail } from '../src/modules/customers/find-or-create-customer.ts';
import { insertTicketRow } from '../src/modules/tickets/insert-ticket-row.ts';
import {
  checkTicketSnapshots,
  forgetNewTicket,
  newTicketSnapshot,
  patchNewTicket,
} from '../src/platform/new-ticket-snapshot.ts';
import { createStaff, type TestStaff } from './factories.ts';
import { createTestApp, type TestApp } from './harness.ts';
import { recordQueryTexts } from './query-texts.ts';
import { api, insertTeam } from './tickets-helpers.ts';

let t: TestApp;
let admin: TestStaff;
let agent: TestStaff;

beforeAll(async () => {
  t = await createTestApp();
  admin = await createStaff(t, 'admin');
  agent = await createStaff(t, 'agent');
});
afterAll(async () => {
  checkTicketSnapshots(true);
  await t?.close();
});

async function factsOf(ticketId: string) {
  const r = await t.deps.db.execute<{ team_id: string | null; tags: string[]; status: string }>(
    sql`SELECT team_id, tags, status FROM insight_ticket_facts WHERE ticket_id = ${ticketId}`,
  );
  return r.rows[0];
}

/**
 * The reads of the ticket a new ticket's hooks made before snapshots: the rules' facts (routing, triggers), the
 * SLA's ticket with its clocks, the insights' ticket with its fact row.
 */
const HOOK_READS = [
  /FROM tickets t LEFT JOIN customers c/,
  /FROM ticket_sla_clocks k WHERE k\.ticket_id = tickets\.id/,
  /locked_facts/,
];

function hookReads(texts: string[]): string[] {
  return texts.filter((x) => HOOK_READS.some((r) => r.test(x)));
}

describe("a new ticket's hooks", () => {
  it('route it, time it and count it from what its transaction wrote, without reading it back', async () => {
    const team = await insertTeam(t, 'Snapshot refunds');
    const rule = await api(t, admin, 'POST', '/routing/rules', {
      name: 'Refunds first',
      keywords: ['refund'],
      actions: { teamId: team, priority: 'urgent', addTags: ['money'] },
    });
    expect(rule.statusCode, rule.body).toBe(201);
    const policy = await api(t, admin, 'POST', '/sla/policies', {
      name: 'Urgent only',
      conditions: { priorities: ['urgent'] },
      targets: { firstResponse: 30, resolution: 240 },
    });
    expect(policy.statusCode, policy.body).toBe(201);

    // as in production: no comparison reads, so any read of the ticket would be the hooks' own
    checkTicketSnapshots(false);
    const { texts, stop } = recordQueryTexts();
    let res: Awaited<ReturnType<typeof api>>;
    try {
      res = await api(t, agent, 'POST', '/tickets', {
        subject: 'Where is my refund?',
        customer: { email: 'snapshot@example.com', name: 'Snap Shot' },
        message: { body: 'I asked for a refund two weeks ago.' },
      });
    } finally {
      stop();
      checkTicketSnapshots(true);
    }
    expect(res.statusCode, res.body).toBe(201);
    expect(texts.some((x) => /^\s*commit/i.test(x))).toBe(true);
    expect(hookReads(texts)).toEqual([]);

    // routing set the team, priority and tags; the SLA chose its policy by the routed priority; insights counted both
    const ticket = res.json();
    expect(ticket).toMatchObject({ priority: 'urgent', tags: ['money'], teamId: team });
    const sla = (await api(t, agent, 'GET', `/tickets/${ticket.id}/sla`)).json();
    expect(sla.policy).toEqual({ id: policy.json().id, name: 'Urgent only' });
    expect(sla.clocks.map((c: { metric: string }) => c.metric).sort()).toEqual(['first_response', 'resolution']);
    expect(await factsOf(ticket.id)).toEqual({ team_id: team, tags: ['money'], status: 'new' });

    await t.deps.db.execute(sql`UPDATE routing_rules SET active = false`);
    await t.deps.db.execute(sql`UPDATE sla_policies SET active = false`);
  });

  it('read the ticket again after a trigger changed it (its actions run in a savepoint the snapshot does not follow)', async () => {
    const trigger = await api(t, admin, 'POST', '/automations', {
      kind: 'trigger',
      name: 'Snapshot VIP',
      events: ['ticket.created'],
      conditions: { all: [{ field: 'subject', op: 'contains', value: ['snapshot-vip'] }], any: [] },
      actions: [
        { type: 'set_priority', priority: 'high' },
        { type: 'add_tags', tags: ['vip'] },
      ],
    });
    expect(trigger.statusCode, trigger.body).toBe(201);
    // with the comparison on, a stale snapshot would fail the request
    const res = await api(t, agent, 'POST', '/tickets', {
      subject: 'snapshot-vip order',
      customer: { email: 'snapshot-vip@example.com' },
      message: { body: 'hello' },
    });
    expect(res.statusCode, res.body).toBe(201);
    const ticket = (await api(t, agent, 'GET', `/tickets/${res.json().id}`)).json();
    expect(ticket).toMatchObject({ priority: 'high', tags: ['vip'] });
    expect(await factsOf(ticket.id)).toMatchObject({ tags: ['vip'] });
  });

  it('fail loudly under test when a writer changed the ticket without patching or forgetting its snapshot', async () => {
    await t.deps.db
      .transaction(async (tx) => {
        const customer = await findOrCreateCustomerByEmail(tx, { email: 'snapshot-writer@example.com' });
        const now = t.clock.now();
        const row = await insertTicketRow(tx, {
          subject: 'stale',
          channel: 'api',
          customerId: customer.id,
          createdAt: now,
          updatedAt: now,
        });
        expect(await newTicketSnapshot(tx, row.id)).toMatchObject({ priority: 'normal', noClocks: true });

        await tx.execute(sql`UPDATE tickets SET priority = 'high' WHERE id = ${row.id}`);
        await expect(newTicketSnapshot(tx, row.id)).rejects.toThrow(
          /stale.*priority: snapshot "normal", database "high"/,
        );

        patchNewTicket(tx, row.id, { priority: 'high' });
        expect(await newTicketSnapshot(tx, row.id)).toMatchObject({ priority: 'high' });

        await tx.execute(sql`UPDATE tickets SET subject = 'changed' WHERE id = ${row.id}`);
        forgetNewTicket(tx, row.id);
        expect(await newTicketSnapshot(tx, row.id)).toBeUndefined();
        throw new Error('roll back');
      })
      .catch((err: Error) => {
        if (err.message !== 'roll back') throw err;
      });
  });

  it('belong to their transaction: another transaction, or the same ticket after COMMIT, has none', async () => {
    const now = t.clock.now();
    let id = '';
    await t.deps.db.transaction(async (tx) => {
      const customer = await findOrCreateCustomerByEmail(tx, { email: 'snapshot-scope@example.com' });
      id = (
        await insertTicketRow(tx, {
          subject: 's',
          channel: 'api',
          customerId: customer.id,
          createdAt: now,
          updatedAt: now,
        })
      ).id;
      expect(await newTicketSnapshot(tx, id)).toBeDefined();
    });
    await t.deps.db.transaction(async (tx) => {
      expect(await newTicketSnapshot(tx, id)).toBeUndefined();
    });
  });
});
