import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAutomations } from '../src/modules/automations/index.ts';
import { sweepSlaClocks } from '../src/modules/sla/index.ts';
import { findVisibleTicket, recordCustomerMessage } from '../src/modules/tickets/index.ts';
import { ManualClock } from '../src/platform/clock.ts';
import { surveyRequests, webhookDeliveries } from '../src/platform/db/schema/index.ts';
import { createStaff, type TestStaff } from './factories.ts';
import { createTestApp, type TestApp } from './harness.ts';
import { api, insertCategory, insertTeam, openTicket } from './tickets-helpers.ts';

let t: TestApp;
let clock: ManualClock;
let admin: TestStaff;
let agent: TestStaff;
const HOUR = 3_600_000;

async function rule(body: Record<string, unknown>) {
  const res = await api(t, admin, 'POST', '/automations', body);
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string };
}

async function runs(ticketId: string) {
  const res = await api(t, agent, 'GET', `/tickets/${ticketId}/automation-runs`);
  expect(res.statusCode).toBe(200);
  return res.json().items as Array<{ ruleName: string; outcome: string; actions: string[]; cause: string; error: string | null }>;
}

async function messagesOf(ticketId: string) {
  return (await api(t, agent, 'GET', `/tickets/${ticketId}/messages`)).json().items as Array<{ kind: string; authorType: string; bodyText: string; meta?: Record<string, unknown> }>;
}

async function customerWrites(ticketId: string, body: string) {
  await t.deps.db.transaction(async (tx) => {
    const row = await findVisibleTicket(tx, { kind: 'system' }, ticketId, { forUpdate: true });
    if (!row) throw new Error('ticket missing');
    await recordCustomerMessage(tx, { ticket: row, channel: 'email', body, actor: { kind: 'system' }, now: clock.now() });
  });
}

beforeAll(async () => {
  t = await createTestApp({ clock: new ManualClock(new Date('2026-03-02T06:00:00Z')) });
  clock = t.clock as ManualClock;
  admin = await createStaff(t, 'admin');
  agent = await createStaff(t, 'agent', { name: 'Asha Rahman' });
});

afterAll(async () => {
  await t?.close();
});

describe('triggers', () => {
  it('routes a new refund ticket, tags it, raises it and leaves a note, and logs what it did', async () => {
    const billing = await insertTeam(t, 'Billing');
    await rule({
      kind: 'trigger',
      name: 'Refunds to billing',
      events: ['ticket.created'],
      conditions: { all: [{ field: 'subject', op: 'contains', value: ['refund', 'ফেরত'] }], any: [] },
      actions: [
        { type: 'set_team', teamId: billing },
        { type: 'add_tags', tags: ['Refund'] },
        { type: 'set_priority', priority: 'high' },
        { type: 'add_note', body: 'Refund request from {{customer.name}} on #{{ticket.number}}' },
      ],
    });
    const ticket = await openTicket(t, agent, { subject: 'টাকা ফেরত চাই', name: 'Rina Das' });
    const fresh = (await api(t, agent, 'GET', `/tickets/${ticket.id}`)).json();
    expect(fresh).toMatchObject({ teamId: billing, priority: 'high', tags: ['refund'] });
    const note = (await messagesOf(ticket.id)).find((m) => m.kind === 'internal');
    expect(note?.bodyText).toBe(`Refund request from Rina Das on #${ticket.number}`);
    expect(await runs(ticket.id)).toEqual([
      expect.objectContaining({ ruleName: 'Refunds to billing', outcome: 'ran', cause: 'ticket.created', actions: ['set_team', 'add_tags', 'set_priority:high', 'add_note'] }),
    ]);
    const other = await openTicket(t, agent, { subject: 'Password reset' });
    expect(await runs(other.id)).toEqual([]);
  });

  it('stops two triggers that undo each other instead of looping, and the change still goes through', async () => {
    const cat = await insertCategory(t, 'Ping-pong');
    const inCat = { all: [{ field: 'category_id', op: 'is', value: cat }], any: [] };
    await rule({ kind: 'trigger', name: 'Up', events: ['ticket.updated'], conditions: inCat, actions: [{ type: 'set_priority', priority: 'urgent' }] });
    await rule({ kind: 'trigger', name: 'Down', events: ['ticket.updated'], conditions: inCat, actions: [{ type: 'set_priority', priority: 'low' }] });
    const ticket = await openTicket(t, agent, { categoryId: cat });
    const res = await api(t, agent, 'PATCH', `/tickets/${ticket.id}`, { tags: ['x'] });
    expect(res.statusCode).toBe(200);
    const log = await runs(ticket.id);
    expect(log.filter((r) => r.outcome === 'ran').map((r) => r.ruleName).sort()).toEqual(['Down', 'Up']);
    expect(log.filter((r) => r.outcome === 'loop_stopped').length).toBeGreaterThanOrEqual(1);
    expect((await api(t, agent, 'GET', `/tickets/${ticket.id}`)).json().tags).toEqual(['x']);
  });

  it('logs a failing action without failing the agent\'s change', async () => {
    const cat = await insertCategory(t, 'Broken rule');
    await rule({
      kind: 'trigger',
      name: 'Impossible',
      events: ['status.changed'],
      conditions: { all: [{ field: 'category_id', op: 'is', value: cat }, { field: 'status', op: 'is', value: 'solved' }], any: [] },
      actions: [{ type: 'add_tags', tags: ['never-kept'] }, { type: 'set_status', status: 'new' }],
    });
    const ticket = await openTicket(t, agent, { categoryId: cat });
    const res = await api(t, agent, 'PATCH', `/tickets/${ticket.id}`, { status: 'solved' });
    expect(res.statusCode, res.body).toBe(200);
    const fresh = (await api(t, agent, 'GET', `/tickets/${ticket.id}`)).json();
    expect(fresh).toMatchObject({ status: 'solved', tags: [] });
    const [run] = await runs(ticket.id);
    expect(run).toMatchObject({ ruleName: 'Impossible', outcome: 'failed' });
    expect(run?.error).toBeTruthy();
  });

  it('acknowledges a customer reply from a template without counting as our first response', async () => {
    const cat = await insertCategory(t, 'Auto-ack');
    await rule({
      kind: 'trigger',
      name: 'Acknowledge',
      events: ['customer.replied'],
      conditions: { all: [{ field: 'category_id', op: 'is', value: cat }], any: [] },
      actions: [{ type: 'email_customer', body: 'Thanks {{customer.first_name}}, we have your message about #{{ticket.number}}.' }],
    });
    const ticket = await openTicket(t, agent, { categoryId: cat, name: 'Amit Kumar' });
    await customerWrites(ticket.id, 'Any news?');
    const all = await messagesOf(ticket.id);
    const ack = all.at(-1);
    expect(ack).toMatchObject({ kind: 'public', authorType: 'staff', bodyText: `Thanks Amit, we have your message about #${ticket.number}.` });
    expect((await api(t, agent, 'GET', `/tickets/${ticket.id}`)).json().firstResponseAt).toBeNull();
  });

  it('runs on an SLA breach', async () => {
    const cat = await insertCategory(t, 'SLA rules');
    expect(
      (await api(t, admin, 'POST', '/sla/policies', { name: 'Ten minutes', conditions: { categoryIds: [cat] }, targets: { firstResponse: 10 }, businessHours: false })).statusCode,
    ).toBe(201);
    await rule({ kind: 'trigger', name: 'Missed', events: ['sla.breached'], conditions: { all: [], any: [] }, actions: [{ type: 'add_tags', tags: ['sla-missed'] }] });
    const ticket = await openTicket(t, agent, { categoryId: cat });
    clock.advance(11 * 60_000);
    await sweepSlaClocks(t.deps.db, clock.now());
    expect((await api(t, agent, 'GET', `/tickets/${ticket.id}`)).json().tags).toContain('sla-missed');
  });

  it('runs when a customer answers a survey badly, not when they are happy', async () => {
    const cat = await insertCategory(t, 'Surveyed');
    await rule({
      kind: 'trigger',
      name: 'Unhappy customer',
      events: ['survey.answered'],
      conditions: { all: [{ field: 'category_id', op: 'is', value: cat }, { field: 'survey_rating', op: 'lte', value: 2 }], any: [] },
      actions: [{ type: 'add_tags', tags: ['unhappy'] }, { type: 'set_priority', priority: 'high' }],
    });
    const answer = async (rating: number) => {
      const ticket = await openTicket(t, agent, { categoryId: cat, email: `rated${rating}@example.com` });
      await api(t, agent, 'POST', `/tickets/${ticket.id}/messages`, { body: 'Done', status: 'solved' });
      const [survey] = await t.deps.db.select().from(surveyRequests).where(eq(surveyRequests.ticketId, ticket.id));
      expect(survey, 'a survey is sent when the ticket is solved').toBeTruthy();
      const link = (await api(t, admin, 'GET', `/surveys/${survey?.id}/link`)).json().url as string;
      const res = await t.app.inject({ method: 'POST', url: '/survey/v1/answers', payload: { token: new URL(link, 'http://x').pathname.split('/').pop(), rating } });
      expect(res.statusCode, res.body).toBe(200);
      return (await api(t, agent, 'GET', `/tickets/${ticket.id}`)).json();
    };
    expect(await answer(1)).toMatchObject({ tags: ['unhappy'], priority: 'high' });
    expect((await answer(5)).tags).toEqual([]);
  });

  it('runs on a customer attribute: a new ticket from a customer with an account manager, not from others', async () => {
    const created = await api(t, admin, 'POST', '/customers', { name: 'Managed Mina', emails: ['mina@managed.example.com'] });
    expect(created.statusCode, created.body).toBe(201);
    const mina = created.json().id as string;
    expect((await api(t, admin, 'PATCH', `/customers/${mina}`, { attributes: { account_manager: 'Asha', plan: 'Gold plus' } })).statusCode).toBe(200);
    await rule({
      kind: 'trigger',
      name: 'Managed accounts',
      events: ['ticket.created'],
      conditions: {
        all: [
          { field: 'customer_attribute', key: 'account_manager', op: 'present' },
          { field: 'customer_attribute', key: 'plan', op: 'contains', value: 'GOLD' },
        ],
        any: [],
      },
      actions: [{ type: 'add_tags', tags: ['managed'] }, { type: 'set_priority', priority: 'high' }],
    });
    const managed = await openTicket(t, agent, { customer: { id: mina }, subject: 'Contract question' });
    expect((await api(t, agent, 'GET', `/tickets/${managed.id}`)).json()).toMatchObject({ tags: ['managed'], priority: 'high' });
    expect((await runs(managed.id)).map((r) => r.ruleName)).toContain('Managed accounts');
    const other = await openTicket(t, agent, { subject: 'Contract question too' });
    expect((await runs(other.id)).map((r) => r.ruleName)).not.toContain('Managed accounts');
    expect((await api(t, agent, 'GET', `/tickets/${other.id}`)).json().tags).toEqual([]);
  });

  it('calls a webhook as an action', async () => {
    const cat = await insertCategory(t, 'Hooked');
    const hook = await api(t, admin, 'POST', '/webhooks', { name: 'crm', url: 'https://crm.example.com/seva', events: [] });
    expect(hook.statusCode, hook.body).toBe(201);
    await rule({ kind: 'trigger', name: 'Tell CRM', events: ['ticket.created'], conditions: { all: [{ field: 'category_id', op: 'is', value: cat }], any: [] }, actions: [{ type: 'call_webhook', webhookId: hook.json().id }] });
    const ticket = await openTicket(t, agent, { categoryId: cat });
    const queued = await t.deps.db.select().from(webhookDeliveries).where(eq(webhookDeliveries.ticketId, ticket.id));
    expect(queued).toEqual([expect.objectContaining({ eventType: 'automation.called', status: 'pending' })]);
  });
});

describe('timed automations', () => {
  it('reminds a pending customer once after 3 days and solves after 7', async () => {
    const cat = await insertCategory(t, 'Waiting');
    const pending = (hours: number) => ({
      all: [
        { field: 'category_id', op: 'is', value: cat },
        { field: 'status', op: 'is', value: 'pending' },
        { field: 'hours_in_status', op: 'gte', value: hours },
      ],
      any: [],
    });
    await rule({ kind: 'automation', name: 'Remind after 3 days', conditions: pending(72), actions: [{ type: 'email_customer', body: 'Hello {{customer.first_name}}, do you still need help with #{{ticket.number}}?' }] });
    await rule({ kind: 'automation', name: 'Solve after 7 days', conditions: pending(168), actions: [{ type: 'set_status', status: 'solved' }, { type: 'add_tags', tags: ['auto-solved'] }] });
    const ticket = await openTicket(t, agent, { categoryId: cat, name: 'Rina Das' });
    await api(t, agent, 'POST', `/tickets/${ticket.id}/messages`, { body: 'Could you send a photo?', status: 'pending' });

    clock.advance(71 * HOUR);
    await runAutomations(t.deps.db, clock.now());
    expect((await messagesOf(ticket.id)).filter((m) => m.bodyText.startsWith('Hello Rina'))).toHaveLength(0);
    clock.advance(2 * HOUR);
    await runAutomations(t.deps.db, clock.now());
    await runAutomations(t.deps.db, clock.now());
    expect((await messagesOf(ticket.id)).filter((m) => m.bodyText === `Hello Rina, do you still need help with #${ticket.number}?`)).toHaveLength(1);
    expect((await api(t, agent, 'GET', `/tickets/${ticket.id}`)).json().status).toBe('pending');

    clock.advance(96 * HOUR);
    await runAutomations(t.deps.db, clock.now());
    const fresh = (await api(t, agent, 'GET', `/tickets/${ticket.id}`)).json();
    expect(fresh).toMatchObject({ status: 'solved', tags: ['auto-solved'] });
    const log = await runs(ticket.id);
    expect(log.map((r) => [r.ruleName, r.cause, r.outcome])).toEqual([
      ['Solve after 7 days', 'timer', 'ran'],
      ['Remind after 3 days', 'timer', 'ran'],
    ]);
  });

  it('refuses rules that could not work, and keeps them to admins', async () => {
    expect((await api(t, admin, 'POST', '/automations', { kind: 'automation', name: 'Now', conditions: { all: [{ field: 'status', op: 'is', value: 'open' }], any: [] }, actions: [{ type: 'set_status', status: 'solved' }] })).statusCode).toBe(400);
    expect((await api(t, admin, 'POST', '/automations', { kind: 'trigger', name: 'Deaf', events: [], actions: [{ type: 'add_tags', tags: ['x'] }] })).statusCode).toBe(400);
    expect((await api(t, admin, 'POST', '/automations', { kind: 'trigger', name: 'Ghost team', events: ['ticket.created'], actions: [{ type: 'set_team', teamId: '00000000-0000-4000-8000-000000000000' }] })).statusCode).toBe(400);
    expect((await api(t, admin, 'POST', '/automations', { kind: 'trigger', name: 'No actions', events: ['ticket.created'], actions: [] })).statusCode).toBe(400);
    // a customer attribute needs a well-formed key, at the path of the condition
    const badKey = await api(t, admin, 'POST', '/automations', { kind: 'trigger', name: 'Bad key', events: ['ticket.created'], conditions: { all: [{ field: 'customer_attribute', key: 'plan tier', op: 'is', value: 'x' }], any: [] }, actions: [{ type: 'add_tags', tags: ['x'] }] });
    expect(badKey.statusCode).toBe(400);
    expect(badKey.json().errors).toEqual([{ path: 'body.conditions.all.0.key', message: expect.stringContaining('attribute key') }]);
    const noKey = await api(t, admin, 'POST', '/automations', { kind: 'trigger', name: 'No key', events: ['ticket.created'], conditions: { all: [], any: [{ field: 'customer_attribute', op: 'absent' }] }, actions: [{ type: 'add_tags', tags: ['x'] }] });
    expect(noKey.statusCode).toBe(400);
    expect(noKey.json().errors).toEqual([{ path: 'body.conditions.any.0.key', message: 'name the customer attribute, e.g. plan' }]);
    expect((await api(t, agent, 'POST', '/automations', { kind: 'trigger', name: 'Mine', events: ['ticket.created'], actions: [{ type: 'add_tags', tags: ['x'] }] })).statusCode).toBe(403);
    expect((await api(t, agent, 'GET', '/automations?kind=trigger')).statusCode).toBe(200);
  });
});
