import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sweepSlaClocks } from '../src/modules/sla/index.ts';
import { ManualClock } from '../src/platform/clock.ts';
import { slaOutcomes } from '../src/platform/db/schema/index.ts';
import { visitorStartsChat } from './chat-helpers.ts';
import { createStaff, type TestStaff } from './factories.ts';
import { createTestApp, type TestApp } from './harness.ts';
import { api, customerWrites as customerWritesOn, insertCategory, insertTeam, openTicket } from './tickets-helpers.ts';
import { insertWidget } from './widget-helpers.ts';

let t: TestApp;
let clock: ManualClock;
let admin: TestStaff;
let agent: TestStaff;
let lead: TestStaff;

const MIN = 60_000;
const iso = (ms: number) => new Date(ms).toISOString();

async function policy(body: Record<string, unknown>) {
  const res = await api(t, admin, 'POST', '/sla/policies', body);
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

async function slaOf(id: string) {
  const res = await api(t, agent, 'GET', `/tickets/${id}/sla`);
  expect(res.statusCode, res.body).toBe(200);
  const body = res.json();
  return { ...body, clock: (metric: string) => body.clocks.find((c: { metric: string }) => c.metric === metric) };
}

const customerWrites = (ticketId: string, body: string) => customerWritesOn(t, ticketId, body);

async function events(id: string) {
  return (await api(t, agent, 'GET', `/tickets/${id}/events`)).json().items as Array<{
    type: string;
    payload: Record<string, unknown>;
  }>;
}

beforeAll(async () => {
  t = await createTestApp({ clock: new ManualClock(new Date('2026-03-02T03:00:00Z')) });
  clock = t.clock as ManualClock;
  admin = await createStaff(t, 'admin');
  agent = await createStaff(t, 'agent', { name: 'Asha' });
  lead = await createStaff(t, 'supervisor', { name: 'Lead' });
});

afterAll(async () => {
  await t?.close();
});

describe('SLA clocks in calendar time', () => {
  it('warns, breaches, escalates and reports, with due times on the ticket', async () => {
    const cat = await insertCategory(t, 'Outage');
    const team = await insertTeam(t, 'Network', [agent.id]);
    await t.deps.db.execute(`UPDATE teams SET lead_id = '${lead.id}' WHERE id = '${team}'`);
    const p = await policy({
      name: 'Outages',
      conditions: { categoryIds: [cat] },
      targets: { firstResponse: 60, resolution: 480 },
      businessHours: false,
      warnPercent: 75,
      escalations: [
        { when: 'warning', actions: [{ type: 'notify_assignee' }] },
        {
          when: 'breach',
          metric: 'first_response',
          actions: [{ type: 'notify_team_lead' }, { type: 'raise_priority' }],
        },
      ],
    });
    const start = clock.now().getTime();
    const ticket = await openTicket(t, agent, {
      categoryId: cat,
      teamId: team,
      assigneeId: agent.id,
      priority: 'high',
    });
    expect(ticket.slaDueAt).toBe(iso(start + 60 * MIN));
    expect(ticket.slaState).toBe('ok');
    let sla = await slaOf(ticket.id);
    expect(sla.policy).toEqual({ id: p.id, name: 'Outages' });
    expect(sla.clock('first_response')).toMatchObject({
      state: 'running',
      dueAt: iso(start + 60 * MIN),
      warnAt: iso(start + 45 * MIN),
    });
    expect(sla.clock('resolution')).toMatchObject({ state: 'running', dueAt: iso(start + 480 * MIN) });

    clock.advance(44 * MIN);
    expect(await sweepSlaClocks(t.deps.db, clock.now())).toBe(0);
    clock.advance(2 * MIN);
    expect(await sweepSlaClocks(t.deps.db, clock.now())).toBe(1);
    let fresh = (await api(t, agent, 'GET', `/tickets/${ticket.id}`)).json();
    expect(fresh.slaState).toBe('at_risk');
    const warning = (await events(ticket.id)).find((e) => e.type === 'sla.warning');
    expect(warning?.payload).toMatchObject({ metric: 'first_response', notify: [agent.id], policyName: 'Outages' });
    // a second sweep does nothing more: each moment fires once
    expect(await sweepSlaClocks(t.deps.db, clock.now())).toBe(0);

    clock.advance(15 * MIN);
    expect(await sweepSlaClocks(t.deps.db, clock.now())).toBe(1);
    fresh = (await api(t, agent, 'GET', `/tickets/${ticket.id}`)).json();
    expect(fresh).toMatchObject({ slaState: 'breached', priority: 'urgent' });
    const breach = (await events(ticket.id)).find((e) => e.type === 'sla.breached');
    expect(breach?.payload).toMatchObject({
      metric: 'first_response',
      notify: [lead.id],
      actions: ['notify_team_lead', 'raise_priority:urgent'],
    });
    expect(breach?.payload.dueAt).toBe(iso(start + 60 * MIN));

    const reply = await api(t, agent, 'POST', `/tickets/${ticket.id}/messages`, { body: 'We are on it' });
    expect(reply.statusCode).toBe(201);
    sla = await slaOf(ticket.id);
    expect(sla.clock('first_response')).toMatchObject({ state: 'met', health: 'breached' });
    expect(sla.clock('resolution')).toMatchObject({ state: 'running' });
    const [outcome] = await t.deps.db.select().from(slaOutcomes).where(eq(slaOutcomes.ticketId, ticket.id));
    expect(outcome).toMatchObject({
      metric: 'first_response',
      achieved: false,
      usedMinutes: 61,
      assigneeId: agent.id,
      teamId: team,
    });
    // a missed target earns nothing; the resolution met below earns the assignee one point
    const before = await t.deps.db.execute(
      `SELECT count(*)::int AS n FROM recognition_awards WHERE ticket_id = '${ticket.id}' AND reason = 'sla_kept'`,
    );
    expect(before.rows[0]).toEqual({ n: 0 });

    await api(t, agent, 'PATCH', `/tickets/${ticket.id}`, { status: 'solved' });
    const day = clock.now().toISOString().slice(0, 10);
    const report = await api(t, lead, 'GET', `/sla/report?from=${day}&to=${day}&by=metric`);
    expect(report.statusCode).toBe(200);
    const rows = Object.fromEntries(report.json().rows.map((r: { key: string }) => [r.key, r]));
    expect(rows.first_response).toMatchObject({ total: 1, achieved: 0, breached: 1, rate: 0 });
    expect(rows.resolution).toMatchObject({ total: 1, achieved: 1, rate: 1 });
    fresh = (await api(t, agent, 'GET', `/tickets/${ticket.id}`)).json();
    expect(fresh).toMatchObject({ slaDueAt: null });
    const kept = await t.deps.db.execute(
      `SELECT staff_id, points FROM recognition_awards WHERE ticket_id = '${ticket.id}' AND reason = 'sla_kept'`,
    );
    expect(kept.rows).toEqual([{ staff_id: agent.id, points: 1 }]);
  });

  it('pauses while pending on the customer, resumes on their reply, and runs next-response cycles', async () => {
    const cat = await insertCategory(t, 'Billing');
    await policy({
      name: 'Billing',
      conditions: { categoryIds: [cat] },
      targets: { firstResponse: 30, nextResponse: 20, resolution: 240 },
      businessHours: false,
    });
    const start = clock.now().getTime();
    const ticket = await openTicket(t, agent, { categoryId: cat });
    clock.advance(10 * MIN);
    await api(t, agent, 'POST', `/tickets/${ticket.id}/messages`, {
      body: 'Can you send the invoice number?',
      status: 'pending',
    });
    let sla = await slaOf(ticket.id);
    expect(sla.clock('resolution')).toMatchObject({ state: 'paused', dueAt: null, consumedSeconds: 600 });
    expect(sla.dueAt).toBeNull();

    clock.advance(5 * 60 * MIN); // a long wait for the customer does not count
    await customerWrites(ticket.id, 'It is INV-2291');
    const now = clock.now().getTime();
    sla = await slaOf(ticket.id);
    expect(sla.clock('resolution')).toMatchObject({
      state: 'running',
      consumedSeconds: 600,
      dueAt: iso(now + 230 * MIN),
    });
    expect(sla.clock('next_response')).toMatchObject({ state: 'running', cycle: 1, dueAt: iso(now + 20 * MIN) });
    expect(sla.dueAt).toBe(iso(now + 20 * MIN));
    expect(start).toBeLessThan(now);

    clock.advance(5 * MIN);
    await api(t, agent, 'POST', `/tickets/${ticket.id}/messages`, { body: 'Refunded.' });
    await customerWrites(ticket.id, 'Thanks, one more thing');
    sla = await slaOf(ticket.id);
    expect(sla.clock('next_response')).toMatchObject({ state: 'running', cycle: 2 });
    const outcomes = await t.deps.db.select().from(slaOutcomes).where(eq(slaOutcomes.ticketId, ticket.id));
    expect(outcomes.filter((o) => o.metric === 'next_response')).toEqual([
      expect.objectContaining({ cycle: 1, achieved: true, usedMinutes: 5 }),
    ]);
    // the first response was met in time: a recognition point for whoever had the ticket (none here: unassigned)
    const firstOutcome = outcomes.find((o) => o.metric === 'first_response');
    expect(firstOutcome).toMatchObject({ achieved: true });
  });

  it('resumes resolution with the time already used when a solved ticket reopens, and decides it once', async () => {
    const cat = await insertCategory(t, 'Delivery');
    await policy({
      name: 'Delivery',
      conditions: { categoryIds: [cat] },
      targets: { resolution: 60 },
      businessHours: false,
    });
    const ticket = await openTicket(t, agent, { categoryId: cat });
    clock.advance(40 * MIN);
    await api(t, agent, 'POST', `/tickets/${ticket.id}/messages`, { body: 'Delivered', status: 'solved' });
    let sla = await slaOf(ticket.id);
    expect(sla.clock('resolution')).toMatchObject({ state: 'met', consumedSeconds: 2400 });
    clock.advance(24 * 60 * MIN);
    await customerWrites(ticket.id, 'It never arrived');
    const now = clock.now().getTime();
    sla = await slaOf(ticket.id);
    expect(sla.clock('resolution')).toMatchObject({
      state: 'running',
      consumedSeconds: 2400,
      dueAt: iso(now + 20 * MIN),
    });
    expect(await t.deps.db.select().from(slaOutcomes).where(eq(slaOutcomes.ticketId, ticket.id))).toHaveLength(0);
    clock.advance(30 * MIN);
    await sweepSlaClocks(t.deps.db, clock.now());
    await api(t, agent, 'PATCH', `/tickets/${ticket.id}`, { status: 'solved' });
    const outcomes = await t.deps.db.select().from(slaOutcomes).where(eq(slaOutcomes.ticketId, ticket.id));
    expect(outcomes).toEqual([expect.objectContaining({ metric: 'resolution', achieved: false, usedMinutes: 70 })]);
  });

  it('applies a policy when a change makes the ticket match, measuring from creation', async () => {
    const cat = await insertCategory(t, 'VIP');
    await policy({
      name: 'Urgent VIP',
      conditions: { categoryIds: [cat], priorities: ['urgent'] },
      targets: { firstResponse: 120 },
      businessHours: false,
    });
    const created = clock.now().getTime();
    const ticket = await openTicket(t, agent, { categoryId: cat, priority: 'normal' });
    expect(ticket.slaDueAt).toBeNull();
    expect((await slaOf(ticket.id)).clocks).toEqual([]);
    clock.advance(30 * MIN);
    const up = await api(t, agent, 'PATCH', `/tickets/${ticket.id}`, { priority: 'urgent' });
    expect(up.json().slaDueAt).toBe(iso(created + 120 * MIN));
    await api(t, agent, 'PATCH', `/tickets/${ticket.id}`, { priority: 'high' });
    expect((await slaOf(ticket.id)).clocks).toEqual([]);
  });

  it('sorts the inbox by the next SLA due time, tickets without one last, across pages', async () => {
    const cat = await insertCategory(t, 'Sorting');
    await policy({
      name: 'Sorting',
      conditions: { categoryIds: [cat], priorities: ['urgent', 'high'] },
      targets: { firstResponse: 100 },
      businessHours: false,
    });
    const a = await openTicket(t, agent, { categoryId: cat, priority: 'high', subject: 'sort-a' });
    clock.advance(MIN);
    const none = await openTicket(t, agent, { categoryId: cat, priority: 'low', subject: 'sort-none' });
    clock.advance(MIN);
    const b = await openTicket(t, agent, { categoryId: cat, priority: 'urgent', subject: 'sort-b' });
    await api(
      t,
      admin,
      'PATCH',
      `/sla/policies/${(await api(t, admin, 'GET', '/sla/policies')).json().items.find((p: { name: string }) => p.name === 'Sorting').id}`,
      {
        conditions: { categoryIds: [cat], priorities: ['urgent', 'high'] },
        targets: { firstResponse: 100 },
      },
    );
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await api(
        t,
        agent,
        'GET',
        `/tickets?categoryId=${cat}&sort=sla_due_asc&limit=1${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(res.statusCode, res.body).toBe(200);
      seen.push(...res.json().items.map((i: { id: string }) => i.id));
      cursor = res.json().nextCursor;
    } while (cursor);
    expect(seen).toEqual([a.id, b.id, none.id]);
  });
});

describe('business hours', () => {
  it('counts only working time of the calendar, skipping imported Bangladesh holidays and the weekend', async () => {
    const team = await insertTeam(t, 'Dhaka desk', [agent.id]);
    const cal = await api(t, admin, 'POST', '/sla/calendars', {
      name: 'Dhaka office',
      timeZone: 'Asia/Dhaka',
      weekly: Object.fromEntries(
        ['0', '1', '2', '3', '4'].map((d) => [
          d,
          [
            { start: '09:00', end: '13:00' },
            { start: '14:00', end: '17:00' },
          ],
        ]),
      ),
      assignments: [{ kind: 'team', id: team }],
    });
    expect(cal.statusCode, cal.body).toBe(201);
    const imported = await api(t, admin, 'POST', `/sla/calendars/${cal.json().id}/holidays/import`, {
      country: 'BD',
      year: 2026,
    });
    expect(imported.statusCode, imported.body).toBe(200);
    expect(imported.json().holidays).toEqual(
      expect.arrayContaining([expect.objectContaining({ day: '2026-03-26', source: 'import:BD' })]),
    );
    const again = await api(t, admin, 'POST', `/sla/calendars/${cal.json().id}/holidays/import`, {
      country: 'BD',
      year: 2026,
    });
    expect(again.json()).toMatchObject({ added: 0, skipped: imported.json().added });

    const cat = await insertCategory(t, 'Dhaka');
    await policy({
      name: 'Dhaka hours',
      conditions: { categoryIds: [cat] },
      targets: { firstResponse: 120 },
      businessHours: true,
    });
    // Wednesday 25 March 16:30 in Dhaka; 30 minutes today, Thursday is Independence Day, Friday and Saturday are
    // the weekend, so the remaining 90 minutes run on Sunday from 09:00: due 10:30 Dhaka (04:30Z)
    clock.set(new Date('2026-03-25T10:30:00Z'));
    const ticket = await openTicket(t, agent, { categoryId: cat, teamId: team });
    expect(ticket.slaDueAt).toBe('2026-03-29T04:30:00.000Z');

    // a one-off closure on that Sunday moves it; taking it away moves it back
    const closure = await api(t, admin, 'POST', `/sla/calendars/${cal.json().id}/holidays`, {
      day: '2026-03-29',
      name: 'Office move',
      kind: 'closure',
    });
    expect(closure.statusCode).toBe(201);
    expect((await api(t, agent, 'GET', `/tickets/${ticket.id}`)).json().slaDueAt).toBe('2026-03-30T04:30:00.000Z');
    await api(t, admin, 'DELETE', `/sla/calendars/${cal.json().id}/holidays/${closure.json().id}`);
    expect((await api(t, agent, 'GET', `/tickets/${ticket.id}`)).json().slaDueAt).toBe('2026-03-29T04:30:00.000Z');

    // split shift: lunch 13:00–14:00 does not count
    await api(t, admin, 'PATCH', `/sla/calendars/${cal.json().id}`, {
      weekly: Object.fromEntries(
        ['0', '1', '2', '3', '4'].map((d) => [
          d,
          [
            { start: '09:00', end: '09:30' },
            { start: '14:00', end: '17:00' },
          ],
        ]),
      ),
    });
    // 30 min Wednesday; Sunday 09:00–09:30 (30), then 14:00 + 60 → 15:00 Dhaka
    expect((await api(t, agent, 'GET', `/tickets/${ticket.id}`)).json().slaDueAt).toBe('2026-03-29T09:00:00.000Z');
  });

  it("times a chat by its widget's calendar when neither the policy nor a team has one", async () => {
    const w = await insertWidget(t);
    const cal = await api(t, admin, 'POST', '/sla/calendars', {
      name: 'Chat hours',
      timeZone: 'UTC',
      weekly: Object.fromEntries(['1', '2', '3', '4', '5'].map((d) => [d, [{ start: '09:00', end: '17:00' }]])),
      assignments: [{ kind: 'widget', id: w.id }],
    });
    expect(cal.statusCode, cal.body).toBe(201);
    await policy({
      name: 'Chats answered in business time',
      conditions: { channels: ['chat'] },
      targets: { firstResponse: 60 },
      businessHours: true,
    });
    // Friday 16:30 UTC: 30 minutes today, the other 30 on Monday from 09:00
    clock.set(new Date('2026-04-03T16:30:00Z'));
    const chat = await visitorStartsChat(t, w.key, { body: 'Is my order on its way?' });
    expect((await api(t, agent, 'GET', `/tickets/${chat.ticketId}`)).json().slaDueAt).toBe('2026-04-06T09:30:00.000Z');
  });

  it('refuses calendars and policies that make no sense, and keeps them to admins', async () => {
    const overlap = await api(t, admin, 'POST', '/sla/calendars', {
      name: 'Bad',
      timeZone: 'Asia/Kolkata',
      weekly: {
        '1': [
          { start: '09:00', end: '13:00' },
          { start: '12:00', end: '17:00' },
        ],
      },
    });
    expect(overlap.statusCode).toBe(400);
    expect(overlap.json().errors[0].path).toBe('body.weekly.1');
    const zone = await api(t, admin, 'POST', '/sla/calendars', {
      name: 'Bad zone',
      timeZone: 'Mars/Olympus',
      weekly: {},
    });
    expect(zone.statusCode).toBe(400);
    const backwards = await api(t, admin, 'POST', '/sla/calendars', {
      name: 'Backwards',
      timeZone: 'UTC',
      weekly: { '1': [{ start: '17:00', end: '09:00' }] },
    });
    expect(backwards.statusCode).toBe(400);
    const ok = await api(t, admin, 'POST', '/sla/calendars', { name: 'Kolkata', timeZone: 'Asia/Kolkata', weekly: {} });
    const region = await api(t, admin, 'POST', `/sla/calendars/${ok.json().id}/holidays/import`, {
      country: 'IN',
      region: 'XX',
      year: 2026,
    });
    expect(region.statusCode).toBe(400);
    const maha = await api(t, admin, 'POST', `/sla/calendars/${ok.json().id}/holidays/import`, {
      country: 'IN',
      region: 'MH',
      year: 2026,
    });
    expect(maha.statusCode).toBe(200);
    expect(maha.json().added).toBeGreaterThan(0);
    expect((await api(t, admin, 'POST', '/sla/policies', { name: 'No targets', targets: {} })).statusCode).toBe(400);
    expect(
      (
        await api(t, admin, 'POST', '/sla/policies', {
          name: 'Ghost',
          targets: { resolution: 5 },
          escalations: [
            { when: 'breach', actions: [{ type: 'reassign', userId: '00000000-0000-4000-8000-000000000000' }] },
          ],
        })
      ).statusCode,
    ).toBe(400);
    expect(
      (await api(t, agent, 'POST', '/sla/policies', { name: 'Mine', targets: { resolution: 5 } })).statusCode,
    ).toBe(403);
    expect(
      (await api(t, agent, 'POST', '/sla/calendars', { name: 'Mine', timeZone: 'UTC', weekly: {} })).statusCode,
    ).toBe(403);
    expect((await api(t, agent, 'GET', '/sla/report?from=2026-01-01&to=2026-01-31')).statusCode).toBe(403);
    expect((await api(t, agent, 'GET', '/sla/policies')).statusCode).toBe(200);
  });
});
