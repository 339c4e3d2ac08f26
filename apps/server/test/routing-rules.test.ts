import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processInboundEmail } from '../src/modules/email/process-inbound-email.job.ts';
import { storeInboundEmail } from '../src/modules/email/store-inbound-email.ts';
import { ManualClock } from '../src/platform/clock.ts';
import type { Jobs } from '../src/platform/jobs/jobs.ts';
import { createStaff, type TestStaff } from './factories.ts';
import { createTestApp, type TestApp } from './harness.ts';
import { api, insertTeam, openTicket } from './tickets-helpers.ts';

let t: TestApp;
let clock: ManualClock;
let admin: TestStaff;
const HOUR = 3_600_000;

async function profile(who: TestStaff, body: Record<string, unknown>) {
  const res = await api(t, admin, 'PATCH', `/routing/staff/${who.id}`, body);
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

async function team(name: string, members: TestStaff[], strategy: string) {
  const id = await insertTeam(t, name, members.map((m) => m.id));
  expect((await api(t, admin, 'PUT', `/routing/teams/${id}`, { strategy })).statusCode).toBe(204);
  return id;
}

async function rule(body: Record<string, unknown>): Promise<string> {
  const res = await api(t, admin, 'POST', '/routing/rules', body);
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id;
}

async function ticketOf(id: string) {
  return (await api(t, admin, 'GET', `/tickets/${id}`)).json();
}

async function needsOf(ticketId: string) {
  const r = await t.deps.db.execute<{ required_skills: string[]; required_language: string | null; rule_ids: string[]; waiting_reason: string | null }>(
    `SELECT required_skills, required_language, rule_ids, waiting_reason FROM ticket_routing WHERE ticket_id = '${ticketId}'`,
  );
  return r.rows[0];
}

/** Deactivates every rule so one test's rules do not route another test's tickets. */
async function clearRules() {
  await t.deps.db.execute('UPDATE routing_rules SET active = false');
}

/** An email through a mailbox, processed the way the worker does it; answers the new ticket's id. */
let mailSeq = 0;
async function receiveEmail(mailboxAddress: string, subject: string, body: string): Promise<string> {
  mailSeq += 1;
  const mb = await t.deps.db.execute<{ id: string }>(`SELECT id FROM mailboxes WHERE lower(address) = '${mailboxAddress}'`);
  const mailboxId = mb.rows[0]?.id as string;
  const raw = Buffer.from(
    [
      `From: Customer ${mailSeq} <customer${mailSeq}@example.net>`,
      `To: ${mailboxAddress}`,
      `Subject: ${subject}`,
      `Message-ID: <routing-${mailSeq}@example.net>`,
      'Date: Mon, 02 Mar 2026 06:00:00 +0000',
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=utf-8',
      '',
      body,
      '',
    ].join('\r\n'),
  );
  // the worker's queue is not running in this test app: the message is processed here, as the job would
  const jobs = { send: async () => null } as unknown as Jobs;
  const deps = { db: t.deps.db, pool: t.deps.database.pool, jobs, config: t.config, now: () => clock.now() };
  const stored = await storeInboundEmail(deps, { mailboxId, source: 'hook', envelopeFrom: '', envelopeTo: [mailboxAddress], remoteAddress: null, raw });
  expect(await processInboundEmail(deps, stored.id)).toBe('processed');
  const r = await t.deps.db.execute<{ ticket_id: string }>(`SELECT ticket_id FROM inbound_emails WHERE id = '${stored.id}'`);
  return r.rows[0]?.ticket_id as string;
}

beforeAll(async () => {
  t = await createTestApp({ clock: new ManualClock(new Date('2026-03-02T06:00:00Z')) });
  clock = t.clock as ManualClock;
  admin = await createStaff(t, 'admin');
});

afterAll(async () => {
  await t?.close();
});

describe('routing rules', () => {
  it('applies active rules in order: a later team and priority win, skills and tags add up, the language is required', async () => {
    await clearRules();
    const hasBn = await createStaff(t, 'agent', { name: 'Order Bina' });
    const noBn = await createStaff(t, 'agent', { name: 'Order Nate' });
    await profile(hasBn, { status: 'online', languages: [{ language: 'bn', level: 4 }] });
    await profile(noBn, { status: 'online', languages: [{ language: 'en', level: 5 }] });
    const billing = await team('Order billing', [noBn], 'least_loaded');
    const bengali = await team('Order Bengali desk', [hasBn, noBn], 'least_loaded');
    const never = await team('Order never', [noBn], 'least_loaded');
    // Bina already carries more work, but she is the only one who speaks Bengali
    await openTicket(t, admin, { assigneeId: hasBn.id, priority: 'urgent' });

    const first = await rule({ name: 'Refunds', position: 1, keywords: ['refund'], actions: { teamId: billing, skills: ['billing'], addTags: ['money'] } });
    const second = await rule({
      name: 'Bengali',
      position: 2,
      conditions: { all: [{ field: 'language', op: 'is', value: 'bn' }], any: [] },
      actions: { teamId: bengali, priority: 'high', addTags: ['bengali'] },
    });
    await rule({ name: 'Switched off', position: 3, active: false, keywords: ['refund'], actions: { teamId: never } });

    const bn = await openTicket(t, admin, { subject: 'আমার refund কোথায়?', language: 'bn' });
    expect(await ticketOf(bn.id)).toMatchObject({ teamId: bengali, priority: 'high', assigneeId: hasBn.id });
    expect((await ticketOf(bn.id)).tags).toEqual(expect.arrayContaining(['money', 'bengali']));
    expect(await needsOf(bn.id)).toMatchObject({ required_skills: ['billing'], required_language: 'bn', rule_ids: [first, second] });

    // an English refund only meets the first rule
    const en = await openTicket(t, admin, { subject: 'Refund for order 42', language: 'en' });
    expect(await ticketOf(en.id)).toMatchObject({ teamId: billing, priority: 'normal', assigneeId: noBn.id });
    expect(await needsOf(en.id)).toMatchObject({ required_language: 'en', rule_ids: [first] });

    // keywords also match the first message, not only the subject
    const inBody = await openTicket(t, admin, { subject: 'Order 43', body: 'I would like a REFUND please', language: 'en' });
    expect((await ticketOf(inBody.id)).teamId).toBe(billing);

    // the order is the rules' positions: moving "Bengali" first lets "Refunds" decide the team
    const put = await api(t, admin, 'PUT', `/routing/rules/${second}`, {
      name: 'Bengali',
      position: 0,
      conditions: { all: [{ field: 'language', op: 'is', value: 'bn' }], any: [] },
      actions: { teamId: bengali, priority: 'high', addTags: ['bengali'] },
    });
    expect(put.statusCode, put.body).toBe(200);
    const again = await openTicket(t, admin, { subject: 'আরেকটা refund', language: 'bn' });
    // billing has nobody who speaks Bengali: it waits in the billing queue and says why
    expect(await ticketOf(again.id)).toMatchObject({ teamId: billing, priority: 'high', assigneeId: null });
    expect(await needsOf(again.id)).toMatchObject({ rule_ids: [second, first], waiting_reason: 'no_one_speaks_bn' });
  });

  it('matches conditions on channel and priority, and the mailbox an email came in through', async () => {
    await clearRules();
    const sales = await api(t, admin, 'POST', '/mailboxes', { address: 'sales@routing.example.com', name: 'Sales' });
    expect(sales.statusCode, sales.body).toBe(201);
    const help = await api(t, admin, 'POST', '/mailboxes', { address: 'help@routing.example.com', name: 'Help' });
    expect(help.statusCode, help.body).toBe(201);
    const seller = await createStaff(t, 'agent', { name: 'Mailbox Sam' });
    await profile(seller, { status: 'online' });
    const salesTeam = await team('Mailbox sales', [seller], 'round_robin');
    const urgentTeam = await team('Mailbox urgent', [], 'manual');

    expect((await api(t, admin, 'POST', '/routing/rules', { name: 'Bad', mailboxIds: ['00000000-0000-4000-8000-000000000000'], actions: { teamId: salesTeam } })).statusCode).toBe(400);
    const bySales = await rule({ name: 'Sales mailbox', position: 1, mailboxIds: [sales.json().id], actions: { teamId: salesTeam, addTags: ['sales'] } });
    expect((await api(t, admin, 'GET', '/routing/rules')).json().items.find((r: { id: string }) => r.id === bySales)).toMatchObject({ mailboxIds: [sales.json().id] });
    await rule({
      name: 'Urgent API tickets',
      position: 2,
      conditions: { all: [{ field: 'channel', op: 'is', value: 'api' }, { field: 'priority', op: 'is', value: 'urgent' }], any: [] },
      actions: { teamId: urgentTeam },
    });

    const viaSales = await receiveEmail('sales@routing.example.com', 'Price of the big plan', 'How much is it for 20 people?');
    expect(await ticketOf(viaSales)).toMatchObject({ channel: 'email', teamId: salesTeam, assigneeId: seller.id, tags: ['sales'] });
    const viaHelp = await receiveEmail('help@routing.example.com', 'Cannot sign in', 'The password reset mail never arrives');
    expect(await ticketOf(viaHelp)).toMatchObject({ channel: 'email', teamId: null, assigneeId: null, tags: [] });
    // a mailbox rule never matches tickets from other channels
    expect((await ticketOf((await openTicket(t, admin, { subject: 'Sales question by API' })).id)).teamId).toBeNull();

    expect((await ticketOf((await openTicket(t, admin, { priority: 'urgent' })).id)).teamId).toBe(urgentTeam);
    expect((await ticketOf((await openTicket(t, admin, { priority: 'normal' })).id)).teamId).toBeNull();

    // a change that leaves mailboxIds out keeps them (clients that do not know the field cannot erase it)
    const kept = await api(t, admin, 'PUT', `/routing/rules/${bySales}`, { name: 'Sales mailbox renamed', position: 1, actions: { teamId: salesTeam } });
    expect(kept.json()).toMatchObject({ name: 'Sales mailbox renamed', mailboxIds: [sales.json().id] });
  });
});

describe('conditions on customer attributes', () => {
  async function customerWith(name: string, attributes: Record<string, unknown>): Promise<string> {
    const created = await api(t, admin, 'POST', '/customers', { name, emails: [`${name.toLowerCase().replaceAll(' ', '.')}@attr.example.com`] });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().id as string;
    const patched = await api(t, admin, 'PATCH', `/customers/${id}`, { attributes });
    expect(patched.statusCode, patched.body).toBe(200);
    return id;
  }

  it('routes a new ticket by an attribute of its customer (any script), and leaves others alone', async () => {
    await clearRules();
    const ella = await createStaff(t, 'agent', { name: 'Enterprise Ella' });
    await profile(ella, { status: 'online' });
    const enterprise = await team('Enterprise desk', [ella], 'round_robin');
    const dhaka = await team('Dhaka desk', [], 'manual');
    await rule({
      name: 'Enterprise customers',
      position: 1,
      conditions: { all: [{ field: 'customer_attribute', key: 'plan', op: 'is', value: 'Enterprise' }], any: [] },
      actions: { teamId: enterprise, priority: 'high' },
    });
    await rule({
      name: 'Dhaka customers with a manager',
      position: 2,
      conditions: {
        all: [
          { field: 'customer_attribute', key: 'অঞ্চল', op: 'contains', value: 'ঢাকা' },
          { field: 'customer_attribute', key: 'account_manager', op: 'present' },
        ],
        any: [],
      },
      actions: { teamId: dhaka, addTags: ['dhaka'] },
    });

    const big = await customerWith('Big Corp', { plan: 'enterprise', seats: 400 });
    const bigTicket = await openTicket(t, admin, { customer: { id: big }, subject: 'Our invoices' });
    expect(await ticketOf(bigTicket.id)).toMatchObject({ teamId: enterprise, priority: 'high', assigneeId: ella.id });

    const local = await customerWith('Local Shop', { plan: 'free', অঞ্চল: 'ঢাকা উত্তর', account_manager: 'Rina' });
    const localTicket = await openTicket(t, admin, { customer: { id: local } });
    expect(await ticketOf(localTicket.id)).toMatchObject({ teamId: dhaka, priority: 'normal', tags: ['dhaka'] });

    // without the manager the second rule does not hold; a customer without attributes meets neither
    const alone = await customerWith('Alone Shop', { অঞ্চল: 'ঢাকা' });
    expect(await ticketOf((await openTicket(t, admin, { customer: { id: alone } })).id)).toMatchObject({ teamId: null, tags: [] });
    expect((await ticketOf((await openTicket(t, admin, {})).id)).teamId).toBeNull();

    // the attribute is read when the ticket is routed: a customer who moves up is routed by the new plan
    expect((await api(t, admin, 'PATCH', `/customers/${local}`, { attributes: { plan: 'Enterprise' } })).statusCode).toBe(200);
    expect((await ticketOf((await openTicket(t, admin, { customer: { id: local } })).id)).teamId).toBe(enterprise);

    // the rule reads back as saved
    const saved = (await api(t, admin, 'GET', '/routing/rules')).json().items.find((r: { name: string }) => r.name === 'Enterprise customers');
    expect(saved.conditions.all).toEqual([{ field: 'customer_attribute', key: 'plan', op: 'is', value: 'Enterprise' }]);
  });

  it('refuses a malformed or missing attribute key with 400 and says where', async () => {
    const base = { name: 'Bad attribute', actions: { addTags: ['x'] } };
    for (const [condition, path] of [
      [{ field: 'customer_attribute', key: 'plan tier', op: 'is', value: 'pro' }, 'body.conditions.all.0.key'],
      [{ field: 'customer_attribute', key: '', op: 'present' }, 'body.conditions.all.0.key'],
      [{ field: 'customer_attribute', op: 'present' }, 'body.conditions.all.0.key'],
      [{ field: 'customer_attribute', key: 'plan', op: 'in', value: ['pro'] }, 'body.conditions.all.0.op'],
      [{ field: 'customer_attribute', key: 'plan', op: 'is' }, 'body.conditions.all.0.value'],
      [{ field: 'channel', key: 'plan', op: 'is', value: 'email' }, 'body.conditions.all.0.key'],
    ] as const) {
      const res = await api(t, admin, 'POST', '/routing/rules', { ...base, conditions: { all: [condition], any: [] } });
      expect(res.statusCode, JSON.stringify(condition)).toBe(400);
      expect(res.json().errors.map((e: { path: string }) => e.path), JSON.stringify(condition)).toContain(path);
    }
    const res = await api(t, admin, 'POST', '/routing/rules', { ...base, conditions: { all: [], any: [{ field: 'customer_attribute', key: 'a.b', op: 'present' }] } });
    expect(res.json().errors).toEqual([{ path: 'body.conditions.any.0.key', message: expect.stringContaining('letters or digits') }]);
  });
});

describe('assignment inside a team, end to end', () => {
  it('gives least loaded to the lightest load weighted by priority (urgent 4, high 2, normal and low 1)', async () => {
    await clearRules();
    const heavy = await createStaff(t, 'agent', { name: 'Load Urgent Uma' });
    const many = await createStaff(t, 'agent', { name: 'Load Many Mo' });
    for (const p of [heavy, many]) await profile(p, { status: 'online' });
    await openTicket(t, admin, { assigneeId: heavy.id, priority: 'urgent' });
    for (let i = 0; i < 3; i += 1) await openTicket(t, admin, { assigneeId: many.id, priority: i === 0 ? 'low' : 'normal' });
    const desk = await team('Load desk', [heavy, many], 'least_loaded');
    // weights: Uma 4, Mo 3 → Mo; then Mo 4 = Uma 4, Mo has more tickets → Uma
    expect((await ticketOf((await openTicket(t, admin, { teamId: desk })).id)).assigneeId).toBe(many.id);
    expect((await ticketOf((await openTicket(t, admin, { teamId: desk })).id)).assigneeId).toBe(heavy.id);
  });

  it('leaves the ticket in the team queue under the manual strategy, and assigns by skills with the language first', async () => {
    await clearRules();
    const a = await createStaff(t, 'agent', { name: 'Skill Ari' });
    const b = await createStaff(t, 'agent', { name: 'Skill Bea' });
    await profile(a, { status: 'online', skills: [{ skill: 'refunds', level: 5 }], languages: [{ language: 'en', level: 5 }] });
    await profile(b, { status: 'online', skills: [{ skill: 'refunds', level: 2 }], languages: [{ language: 'hi', level: 5 }] });
    const desk = await team('Skill desk', [a, b], 'manual');
    const manual = await openTicket(t, admin, { teamId: desk });
    expect(await ticketOf(manual.id)).toMatchObject({ teamId: desk, assigneeId: null });
    expect(await needsOf(manual.id)).toMatchObject({ waiting_reason: 'manual' });

    expect((await api(t, admin, 'PUT', `/routing/teams/${desk}`, { strategy: 'skills' })).statusCode).toBe(204);
    await rule({ name: 'Refunds need refunds', keywords: ['refund'], actions: { skills: ['refunds'] } });
    expect((await ticketOf((await openTicket(t, admin, { teamId: desk, subject: 'Refund', language: 'en' })).id)).assigneeId).toBe(a.id);
    // Ari knows refunds better, but only Bea speaks Hindi
    expect((await ticketOf((await openTicket(t, admin, { teamId: desk, subject: 'Refund', language: 'hi' })).id)).assigneeId).toBe(b.id);
  });

  it('gives collaborators routed work only during a duty shift, unless an admin makes them routable', async () => {
    await clearRules();
    const boss = await createStaff(t, 'collaborator', { name: 'Collab Chief' });
    expect((await api(t, boss, 'PUT', '/routing/me/availability', { status: 'online' })).json()).toMatchObject({ status: 'online', routable: false });
    const desk = await team('Collab desk', [boss], 'least_loaded');
    expect(await ticketOf((await openTicket(t, admin, { teamId: desk })).id)).toMatchObject({ assigneeId: null });
    const now = clock.now().getTime();
    expect((await api(t, admin, 'POST', '/routing/shifts', { userId: boss.id, startsAt: new Date(now - HOUR).toISOString(), endsAt: new Date(now + HOUR).toISOString() })).statusCode).toBe(204);
    expect(await ticketOf((await openTicket(t, admin, { teamId: desk })).id)).toMatchObject({ assigneeId: boss.id });
    clock.advance(2 * HOUR);
    expect(await ticketOf((await openTicket(t, admin, { teamId: desk })).id)).toMatchObject({ assigneeId: null });
    await profile(boss, { routable: true });
    expect(await ticketOf((await openTicket(t, admin, { teamId: desk })).id)).toMatchObject({ assigneeId: boss.id });
  });
});

describe('reopened tickets', () => {
  it('go back to whoever had them when they can take work, else to someone available in the (possibly new) team', async () => {
    await clearRules();
    const first = await createStaff(t, 'agent', { name: 'Reopen Ravi' });
    const second = await createStaff(t, 'agent', { name: 'Reopen Sita' });
    const other = await createStaff(t, 'agent', { name: 'Reopen Omar' });
    for (const p of [first, second, other]) await profile(p, { status: 'online' });
    const desk = await team('Reopen desk', [first, second], 'least_loaded');
    const elsewhere = await team('Reopen warranty', [other], 'least_loaded');

    const ticket = await openTicket(t, admin, { teamId: desk });
    const owner = (await ticketOf(ticket.id)).assigneeId as string;
    const stranger = owner === first.id ? second : first;
    const ownerStaff = owner === first.id ? first : second;
    const solve = async () => expect((await api(t, admin, 'PATCH', `/tickets/${ticket.id}`, { status: 'solved' })).statusCode).toBe(200);
    const reopen = async () => expect((await api(t, admin, 'PATCH', `/tickets/${ticket.id}`, { status: 'open' })).statusCode).toBe(200);

    // still online: it stays theirs
    await solve();
    await reopen();
    expect((await ticketOf(ticket.id)).assigneeId).toBe(owner);

    // away: released to the team, which gives it to the colleague who is there
    await solve();
    await api(t, ownerStaff, 'PUT', '/routing/me/availability', { status: 'away' });
    await reopen();
    expect((await ticketOf(ticket.id)).assigneeId).toBe(stranger.id);
    const events = (await api(t, admin, 'GET', `/tickets/${ticket.id}/events`)).json().items as Array<{ type: string; payload: Record<string, unknown> }>;
    expect(events.some((e) => e.type === 'ticket.assigned' && e.payload.reason === 'routing:reopened_assignee_unavailable')).toBe(true);

    // the rules run again: a rule added since moves it to another team, and someone there takes it
    await solve();
    await rule({ name: 'Warranty', keywords: ['warranty'], actions: { teamId: elsewhere } });
    await api(t, admin, 'PATCH', `/tickets/${ticket.id}`, { subject: 'Warranty claim' });
    await reopen();
    expect(await ticketOf(ticket.id)).toMatchObject({ teamId: elsewhere, assigneeId: other.id });

    // nobody can take it: it waits unassigned in the queue
    await solve();
    await api(t, other, 'PUT', '/routing/me/availability', { status: 'offline' });
    await reopen();
    expect(await ticketOf(ticket.id)).toMatchObject({ teamId: elsewhere, assigneeId: null });
    expect(await needsOf(ticket.id)).toMatchObject({ waiting_reason: 'nobody_available' });
  });

  it('stay with whoever had them in a team that assigns by hand, even when that person is offline', async () => {
    await clearRules();
    const person = await createStaff(t, 'agent', { name: 'Manual Mina' });
    const desk = await team('Manual reopen desk', [person], 'manual');
    const ticket = await openTicket(t, admin, { teamId: desk, assigneeId: person.id });
    expect((await api(t, admin, 'PATCH', `/tickets/${ticket.id}`, { status: 'solved' })).statusCode).toBe(200);
    expect((await api(t, admin, 'PATCH', `/tickets/${ticket.id}`, { status: 'open' })).statusCode).toBe(200);
    expect(await ticketOf(ticket.id)).toMatchObject({ teamId: desk, assigneeId: person.id });
  });
});
