import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sweepFollowups } from '../src/modules/routing/index.ts';
import { assignInTeam } from '../src/modules/routing/assign-ticket.ts';
import { ManualClock } from '../src/platform/clock.ts';
import { createStaff, type TestStaff } from './factories.ts';
import { createTestApp, type TestApp } from './harness.ts';
import { api, insertTeam, openTicket } from './tickets-helpers.ts';

let t: TestApp;
let clock: ManualClock;
let admin: TestStaff;
let lead: TestStaff;
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

async function ticketOf(id: string) {
  return (await api(t, admin, 'GET', `/tickets/${id}`)).json();
}

beforeAll(async () => {
  t = await createTestApp({ clock: new ManualClock(new Date('2026-03-02T06:00:00Z')) });
  clock = t.clock as ManualClock;
  admin = await createStaff(t, 'admin');
  lead = await createStaff(t, 'supervisor', { name: 'Lina Lead' });
});

afterAll(async () => {
  await t?.close();
});

describe('routing rules and assignment', () => {
  it('sends a Bengali plumbing question to the online plumber who speaks Bengali, never to someone offline', async () => {
    const rahim = await createStaff(t, 'agent', { name: 'Rahim' });
    const priya = await createStaff(t, 'agent', { name: 'Priya' });
    const sleepy = await createStaff(t, 'agent', { name: 'Offline Omar' });
    await profile(rahim, { status: 'online', skills: [{ skill: 'plumbing', level: 4 }], languages: [{ language: 'bn', level: 5 }, { language: 'en', level: 3 }] });
    await profile(priya, { status: 'online', skills: [{ skill: 'plumbing', level: 5 }], languages: [{ language: 'hi', level: 5 }, { language: 'en', level: 4 }] });
    await profile(sleepy, { status: 'offline', skills: [{ skill: 'plumbing', level: 5 }], languages: [{ language: 'bn', level: 5 }] });
    const plumbing = await team('Plumbing', [rahim, priya, sleepy], 'skills');
    const rule = await api(t, admin, 'POST', '/routing/rules', { name: 'Leaks', keywords: ['leak', 'পানি পড়ছে'], actions: { teamId: plumbing, skills: ['plumbing'], addTags: ['plumbing'] } });
    expect(rule.statusCode, rule.body).toBe(201);

    const bn = await openTicket(t, admin, { subject: 'রান্নাঘরে পানি পড়ছে', language: 'bn' });
    expect(await ticketOf(bn.id)).toMatchObject({ teamId: plumbing, assigneeId: rahim.id, tags: ['plumbing'] });
    const hi = await openTicket(t, admin, { subject: 'Leak under the sink', language: 'hi' });
    expect((await ticketOf(hi.id)).assigneeId).toBe(priya.id);
    const other = await openTicket(t, admin, { subject: 'Invoice copy please' });
    expect(await ticketOf(other.id)).toMatchObject({ teamId: null, assigneeId: null });

    // Rahim goes away: the next Bengali leak waits in the team queue (nobody else online speaks Bengali)
    expect((await api(t, rahim, 'PUT', '/routing/me/availability', { status: 'away' })).json().status).toBe('away');
    const waiting = await openTicket(t, admin, { subject: 'আবার পানি পড়ছে', language: 'bn' });
    expect(await ticketOf(waiting.id)).toMatchObject({ teamId: plumbing, assigneeId: null });
  });

  it('shares a round-robin team fairly, skips time off, and reports assignments per person per day', async () => {
    const a = await createStaff(t, 'agent', { name: 'RR Ana' });
    const b = await createStaff(t, 'agent', { name: 'RR Bo' });
    const c = await createStaff(t, 'agent', { name: 'RR Cy' });
    for (const p of [a, b, c]) await profile(p, { status: 'online' });
    const billing = await team('Billing RR', [a, b, c], 'round_robin');
    expect((await api(t, admin, 'POST', `/routing/staff/${c.id}/time-off`, { startsAt: new Date(clock.now().getTime() - HOUR).toISOString(), endsAt: new Date(clock.now().getTime() + HOUR).toISOString() })).statusCode).toBe(204);
    const got: string[] = [];
    for (let i = 0; i < 6; i += 1) got.push((await ticketOf((await openTicket(t, admin, { teamId: billing })).id)).assigneeId);
    expect(got.filter((x) => x === a.id)).toHaveLength(3);
    expect(got.filter((x) => x === b.id)).toHaveLength(3);
    expect(got).not.toContain(c.id);
    const day = clock.now().toISOString().slice(0, 10);
    const report = (await api(t, lead, 'GET', `/routing/reports/assignments?from=${day}&to=${day}`)).json().rows;
    expect(report.find((r: { userId: string }) => r.userId === a.id)).toMatchObject({ day, assigned: 3 });
  });

  it('never overfills anyone when tickets arrive at once (real concurrency)', async () => {
    const x = await createStaff(t, 'agent', { name: 'Cap X' });
    const y = await createStaff(t, 'agent', { name: 'Cap Y' });
    await profile(x, { status: 'online', maxOpenTickets: 3 });
    await profile(y, { status: 'online', maxOpenTickets: 3 });
    const busy = await team('Busy', [x, y], 'least_loaded');
    const made = await Promise.all(Array.from({ length: 10 }, (_, i) => openTicket(t, admin, { teamId: busy, subject: `Rush ${i}` })));
    const owners = await Promise.all(made.map(async (m) => (await ticketOf(m.id)).assigneeId as string | null));
    expect(owners.filter((o) => o === x.id)).toHaveLength(3);
    expect(owners.filter((o) => o === y.id)).toHaveLength(3);
    expect(owners.filter((o) => o === null)).toHaveLength(4);

    // the same straight at the assignment step: twelve transactions at once, each on its own connection
    const z = await createStaff(t, 'agent', { name: 'Cap Z' });
    await profile(z, { status: 'online', maxOpenTickets: 2 });
    const queue = await team('Queue', [z], 'manual');
    const waiting = await Promise.all(Array.from({ length: 12 }, () => openTicket(t, admin, { teamId: queue })));
    expect((await api(t, admin, 'PUT', `/routing/teams/${queue}`, { strategy: 'least_loaded' })).statusCode).toBe(204);
    await Promise.all(waiting.map((w) => t.deps.db.transaction((tx) => assignInTeam(tx, w.id, clock.now()))));
    const zOwns = (await Promise.all(waiting.map(async (w) => (await ticketOf(w.id)).assigneeId))).filter((o) => o === z.id);
    expect(zOwns).toHaveLength(2);
  });

  it('routes people outside support only during their duty shift', async () => {
    const ceo = await createStaff(t, 'agent', { name: 'The CEO' });
    await profile(ceo, { status: 'online', routable: false });
    const everyone = await team('Everyone answers', [ceo], 'least_loaded');
    expect((await ticketOf((await openTicket(t, admin, { teamId: everyone })).id)).assigneeId).toBeNull();
    const now = clock.now().getTime();
    expect((await api(t, admin, 'POST', '/routing/shifts', { userId: ceo.id, teamId: everyone, startsAt: new Date(now - HOUR).toISOString(), endsAt: new Date(now + HOUR).toISOString() })).statusCode).toBe(204);
    expect((await ticketOf((await openTicket(t, admin, { teamId: everyone })).id)).assigneeId).toBe(ceo.id);
  });
});

describe('transfers and follow-ups', () => {
  it('hands a ticket on with a note, tells the customer, and keeps the transferrer following up until it is solved', async () => {
    const asha = await createStaff(t, 'agent', { name: 'Asha' });
    const plumber = await createStaff(t, 'agent', { name: 'Pablo Plumber' });
    const ticket = await openTicket(t, admin, { subject: 'Shelves and a leak', assigneeId: asha.id });
    expect((await api(t, asha, 'POST', `/tickets/${ticket.id}/transfer`, { toUserId: plumber.id, note: '' })).statusCode).toBe(400);
    const res = await api(t, asha, 'POST', `/tickets/${ticket.id}/transfer`, {
      toUserId: plumber.id,
      note: 'Needs someone who can check the shelves',
      customerMessage: "I'm passing you to our plumbing specialist, who can check the shelves for you.",
      followUpDueAt: new Date(clock.now().getTime() + 24 * HOUR).toISOString(),
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().assigneeId).toBe(plumber.id);
    const msgs = (await api(t, asha, 'GET', `/tickets/${ticket.id}/messages`)).json().items as Array<{ kind: string; bodyText: string }>;
    expect(msgs.some((m) => m.kind === 'internal' && m.bodyText === 'Needs someone who can check the shelves')).toBe(true);
    expect(msgs.some((m) => m.kind === 'public' && m.bodyText.startsWith("I'm passing you"))).toBe(true);

    // Asha still sees it, under "Following up"
    const mine = (await api(t, asha, 'GET', '/routing/following-up')).json().items;
    expect(mine).toEqual([expect.objectContaining({ ticket: expect.objectContaining({ id: ticket.id, assigneeName: 'Pablo Plumber' }), overdue: false })]);

    // not solved by the deadline: Asha is reminded, and it counts as missed
    clock.advance(25 * HOUR);
    expect(await sweepFollowups(t.deps.db, clock.now())).toBe(1);
    const events = (await api(t, asha, 'GET', `/tickets/${ticket.id}/events`)).json().items;
    expect(events.find((e: { type: string }) => e.type === 'ticket.followup_due')?.payload).toMatchObject({ notify: [asha.id] });
    expect(await sweepFollowups(t.deps.db, clock.now())).toBe(0);
    expect((await api(t, asha, 'GET', '/routing/following-up')).json().items[0].overdue).toBe(true);
    const [f] = (await api(t, asha, 'GET', '/routing/following-up')).json().items;
    expect((await api(t, plumber, 'POST', `/routing/followups/${f.id}/close`, { contactedCustomer: true })).statusCode).toBe(404);
    expect((await api(t, asha, 'POST', `/routing/followups/${f.id}/close`, { contactedCustomer: true })).statusCode).toBe(204);

    // a second transfer, solved in time, is kept
    const next = await openTicket(t, admin, { subject: 'Quick one', assigneeId: asha.id });
    await api(t, asha, 'POST', `/tickets/${next.id}/transfer`, { toUserId: plumber.id, note: 'yours', followUpDueAt: new Date(clock.now().getTime() + 2 * HOUR).toISOString() });
    await api(t, plumber, 'POST', `/tickets/${next.id}/messages`, { body: 'Fixed', status: 'solved' });
    clock.advance(3 * HOUR);
    await sweepFollowups(t.deps.db, clock.now());
    const from = '2026-03-01';
    const to = clock.now().toISOString().slice(0, 10);
    const report = (await api(t, lead, 'GET', `/routing/reports/transfers?from=${from}&to=${to}`)).json().rows;
    expect(report.find((r: { userId: string }) => r.userId === asha.id)).toMatchObject({ transfers: 2, followupsKept: 1, followupsMissed: 1 });
    // recognition: the kept follow-up earns, the missed one costs, once each
    const awards = await t.deps.db.execute(`SELECT reason, points FROM recognition_awards WHERE staff_id = '${asha.id}' AND reason LIKE 'followup%' ORDER BY reason`);
    expect(awards.rows).toEqual([
      { reason: 'followup_kept', points: 2 },
      { reason: 'followup_missed', points: -2 },
    ]);
  });

  it('escalates to the team lead in one action, and says plainly when there is none', async () => {
    const agent = await createStaff(t, 'agent', { name: 'Esc Agent' });
    const noTeam = await openTicket(t, admin, { assigneeId: agent.id });
    const refused = await api(t, agent, 'POST', `/tickets/${noTeam.id}/escalate`, { note: 'Customer wants a supervisor' });
    expect(refused.statusCode).toBe(400);
    expect(refused.json()).toMatchObject({ code: 'BAD_REQUEST', title: expect.stringMatching(/no team/) });
    const support = await insertTeam(t, 'Support with lead', [agent.id, lead.id]);
    await t.deps.db.execute(`UPDATE teams SET lead_id = '${lead.id}' WHERE id = '${support}'`);
    const ticket = await openTicket(t, admin, { teamId: support, assigneeId: agent.id });
    const res = await api(t, agent, 'POST', `/tickets/${ticket.id}/escalate`, { note: 'Customer wants a supervisor' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ assigneeId: lead.id, teamId: support });
  });
});

describe('mentions', () => {
  it('brings a mentioned colleague in: they can see the ticket and are notified', async () => {
    const agent = await createStaff(t, 'agent', { name: 'Mention Agent' });
    const ceo = await createStaff(t, 'collaborator', { name: 'Kamal Chowdhury' });
    const ticket = await openTicket(t, admin, { assigneeId: agent.id });
    expect((await api(t, ceo, 'GET', `/tickets/${ticket.id}`)).statusCode).toBe(404);
    const note = await api(t, agent, 'POST', `/tickets/${ticket.id}/messages`, { body: '@Kamal Chowdhury do we refund this customer?', internal: true });
    expect(note.statusCode, note.body).toBe(201);
    const seen = await api(t, ceo, 'GET', `/tickets/${ticket.id}`);
    expect(seen.statusCode).toBe(200);
    expect(seen.json().collaborators.map((c: { id: string }) => c.id)).toContain(ceo.id);
    const ev = (await api(t, agent, 'GET', `/tickets/${ticket.id}/events`)).json().items.find((e: { type: string }) => e.type === 'ticket.mentioned');
    expect(ev?.payload).toMatchObject({ notify: [ceo.id], by: agent.id });
  });
});

describe('expertise directory', () => {
  it('finds who knows refunds and speaks Bengali, from declared skills and solved tickets', async () => {
    const maya = await createStaff(t, 'agent', { name: 'Maya' });
    const nil = await createStaff(t, 'agent', { name: 'Nil' });
    await profile(maya, { skills: [{ skill: 'refunds', level: 4 }], languages: [{ language: 'bn', level: 5 }] });
    await profile(nil, { skills: [{ skill: 'refunds', level: 5 }], languages: [{ language: 'hi', level: 5 }] });
    const found = (await api(t, lead, 'GET', '/routing/experts?q=refund&language=bn')).json().items;
    expect(found.map((e: { name: string }) => e.name)).toEqual(['Maya']);
    const any = (await api(t, lead, 'GET', '/routing/experts?q=refund')).json().items.map((e: { name: string }) => e.name);
    expect(any.slice(0, 2)).toEqual(['Nil', 'Maya']);
    expect((await api(t, maya, 'PATCH', `/routing/staff/${nil.id}`, { maxOpenTickets: 99 })).statusCode).toBe(403);
  });
});
