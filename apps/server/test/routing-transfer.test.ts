import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enqueueOutboundReplies } from '../src/modules/email/enqueue-outbound-replies.ts';
import { processInboundEmail } from '../src/modules/email/process-inbound-email.job.ts';
import { storeInboundEmail } from '../src/modules/email/store-inbound-email.ts';
import { sweepFollowups } from '../src/modules/routing/index.ts';
import { ManualClock } from '../src/platform/clock.ts';
import type { Jobs } from '../src/platform/jobs/jobs.ts';
import { createStaff, type TestStaff } from './factories.ts';
import { createTestApp, type TestApp } from './harness.ts';
import { api, insertTeam, openTicket } from './tickets-helpers.ts';

let t: TestApp;
let clock: ManualClock;
let admin: TestStaff;
let supervisor: TestStaff;
const HOUR = 3_600_000;
// the worker's queue does not run in this test app; what would be queued is read from the tables instead
const jobs = { send: async () => null } as unknown as Jobs;

const inHours = (h: number) => new Date(clock.now().getTime() + h * HOUR).toISOString();

async function ticketOf(id: string) {
  return (await api(t, admin, 'GET', `/tickets/${id}`)).json();
}

async function followingUp(who: TestStaff, state?: 'open' | 'closed') {
  const res = await api(t, who, 'GET', `/routing/following-up${state ? `?state=${state}` : ''}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json().items as Array<{ id: string; ticket: { id: string; assigneeName: string | null }; dueAt: string; overdue: boolean; state: string; contactedCustomer: boolean | null }>;
}

async function eventsOf(ticketId: string) {
  return (await api(t, admin, 'GET', `/tickets/${ticketId}/events`)).json().items as Array<{ type: string; payload: Record<string, unknown> }>;
}

async function transferRow(who: TestStaff) {
  const day = clock.now().toISOString().slice(0, 10);
  const res = await api(t, supervisor, 'GET', `/routing/reports/transfers?from=2026-03-01&to=${day}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json().rows.find((r: { userId: string }) => r.userId === who.id);
}

beforeAll(async () => {
  t = await createTestApp({ clock: new ManualClock(new Date('2026-03-02T06:00:00Z')) });
  clock = t.clock as ManualClock;
  admin = await createStaff(t, 'admin');
  supervisor = await createStaff(t, 'supervisor', { name: 'Sue Supervisor' });
});

afterAll(async () => {
  await t?.close();
});

describe('transfer', () => {
  it('refuses a transfer without a note, without a target, or with tellCustomer and no message', async () => {
    const agent = await createStaff(t, 'agent', { name: 'Refused Rita' });
    const other = await createStaff(t, 'agent', { name: 'Refused Other' });
    const ticket = await openTicket(t, admin, { assigneeId: agent.id });
    for (const body of [
      { toUserId: other.id },
      { toUserId: other.id, note: '   ' },
      { note: 'to nobody' },
      { toUserId: other.id, note: 'yours', tellCustomer: true },
      { toUserId: other.id, note: 'yours', followUpDueAt: new Date(clock.now().getTime() - HOUR).toISOString() },
    ]) {
      const res = await api(t, agent, 'POST', `/tickets/${ticket.id}/transfer`, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
    }
    expect((await ticketOf(ticket.id)).assigneeId).toBe(agent.id);
    expect(await followingUp(agent)).toEqual([]);
  });

  it('hands a ticket to a team: the strategy picks someone other than the sender; follow-up due in 24 hours without a calendar', async () => {
    const sender = await createStaff(t, 'agent', { name: 'Team Tara' });
    const mate = await createStaff(t, 'agent', { name: 'Team Mate' });
    for (const p of [sender, mate]) expect((await api(t, p, 'PUT', '/routing/me/availability', { status: 'online' })).statusCode).toBe(200);
    const desk = await insertTeam(t, 'Transfer desk', [sender.id, mate.id]);
    expect((await api(t, admin, 'PUT', `/routing/teams/${desk}`, { strategy: 'least_loaded' })).statusCode).toBe(204);
    // Tara has it, in the same team; Mate carries more work, but Tara is handing it on
    const ticket = await openTicket(t, admin, { teamId: desk, assigneeId: sender.id });
    for (let i = 0; i < 2; i += 1) await openTicket(t, admin, { assigneeId: mate.id });

    const res = await api(t, sender, 'POST', `/tickets/${ticket.id}/transfer`, { toTeamId: desk, note: 'Back to the queue, I am off early' });
    expect(res.statusCode, res.body).toBe(200);
    expect(await ticketOf(ticket.id)).toMatchObject({ teamId: desk, assigneeId: mate.id });

    const [f] = await followingUp(sender);
    expect(f).toMatchObject({ ticket: { id: ticket.id, assigneeName: 'Team Mate' }, state: 'open', overdue: false, contactedCustomer: null });
    expect(new Date(f?.dueAt as string).getTime()).toBe(clock.now().getTime() + 24 * HOUR);
    expect(await followingUp(mate)).toEqual([]);
    const transferred = (await eventsOf(ticket.id)).find((e) => e.type === 'ticket.transferred');
    expect(transferred?.payload).toMatchObject({ from: sender.id, toTeamId: desk, followUpOwner: sender.id, toldCustomer: false });
  });

  it('tells an email customer on their channel, and does not when tellCustomer is false', async () => {
    const mb = await api(t, admin, 'POST', '/mailboxes', { address: 'help@transfer.example.com', name: 'Help' });
    expect(mb.statusCode, mb.body).toBe(201);
    const raw = Buffer.from(
      [
        'From: Kamala <kamala@example.net>',
        'To: help@transfer.example.com',
        'Subject: My shelves are wobbly',
        'Message-ID: <transfer-1@example.net>',
        'Date: Mon, 02 Mar 2026 06:00:00 +0000',
        'MIME-Version: 1.0',
        'Content-Type: text/plain; charset=utf-8',
        '',
        'And there is water under them.',
        '',
      ].join('\r\n'),
    );
    const deps = { db: t.deps.db, pool: t.deps.database.pool, jobs, config: t.config, now: () => clock.now() };
    const stored = await storeInboundEmail(deps, { mailboxId: mb.json().id, source: 'hook', envelopeFrom: '', envelopeTo: ['help@transfer.example.com'], remoteAddress: null, raw });
    expect(await processInboundEmail(deps, stored.id)).toBe('processed');
    const ticketId = (await t.deps.db.execute<{ ticket_id: string }>(`SELECT ticket_id FROM inbound_emails WHERE id = '${stored.id}'`)).rows[0]?.ticket_id as string;
    // the cursor starts at the current end of the event log
    await enqueueOutboundReplies({ pool: t.deps.database.pool, jobs });

    const asha = await createStaff(t, 'agent', { name: 'Email Asha' });
    const plumber = await createStaff(t, 'agent', { name: 'Email Plumber' });
    await api(t, admin, 'PATCH', `/tickets/${ticketId}`, { assigneeId: asha.id });
    const message = "I'm passing you to our plumbing specialist, who will look at the water.";
    const res = await api(t, asha, 'POST', `/tickets/${ticketId}/transfer`, { toUserId: plumber.id, note: 'Water under shelves', tellCustomer: true, customerMessage: message });
    expect(res.statusCode, res.body).toBe(200);
    expect(await enqueueOutboundReplies({ pool: t.deps.database.pool, jobs })).toBe(1);
    const out = await t.deps.db.execute<{ recipient: string }>(`SELECT recipient FROM outbound_emails WHERE ticket_id = '${ticketId}' AND kind = 'reply'`);
    expect(out.rows).toEqual([{ recipient: 'kamala@example.net' }]);

    // handed on again without telling the customer: an internal note only, nothing goes out
    const back = await api(t, plumber, 'POST', `/tickets/${ticketId}/transfer`, { toUserId: asha.id, note: 'Not plumbing after all', tellCustomer: false, customerMessage: 'ignored' });
    expect(back.statusCode, back.body).toBe(200);
    expect(await enqueueOutboundReplies({ pool: t.deps.database.pool, jobs })).toBe(0);
    const msgs = (await api(t, admin, 'GET', `/tickets/${ticketId}/messages`)).json().items as Array<{ kind: string; bodyText: string }>;
    expect(msgs.filter((m) => m.kind === 'public' && m.bodyText === message)).toHaveLength(1);
    expect(msgs.some((m) => m.bodyText === 'ignored')).toBe(false);
    expect(msgs.filter((m) => m.kind === 'internal').map((m) => m.bodyText)).toEqual(['Water under shelves', 'Not plumbing after all']);
  });
});

describe('follow-ups', () => {
  it('kept when solved by the due time, missed when solved late or reopened, reminded once, closed by the owner only', async () => {
    const owner = await createStaff(t, 'agent', { name: 'Follow Faria' });
    const helper = await createStaff(t, 'agent', { name: 'Follow Helper' });
    const handOn = async (subject: string, dueInHours: number) => {
      const ticket = await openTicket(t, admin, { subject, assigneeId: owner.id });
      const res = await api(t, owner, 'POST', `/tickets/${ticket.id}/transfer`, { toUserId: helper.id, note: `please take ${subject}`, followUpDueAt: inHours(dueInHours) });
      expect(res.statusCode, res.body).toBe(200);
      return ticket.id as string;
    };
    const solve = async (id: string) => expect((await api(t, helper, 'PATCH', `/tickets/${id}`, { status: 'solved' })).statusCode).toBe(200);

    const inTime = await handOn('in time', 2);
    const late = await handOn('late', 2);
    const reopened = await handOn('reopened', 2);
    const neverSolved = await handOn('never solved', 2);
    expect((await followingUp(owner)).map((f) => f.ticket.id)).toEqual([inTime, late, reopened, neverSolved]);

    clock.advance(HOUR);
    await solve(inTime);
    await solve(reopened);
    expect((await api(t, admin, 'PATCH', `/tickets/${reopened}`, { status: 'open' })).statusCode).toBe(200);
    // nothing is due yet
    expect(await sweepFollowups(t.deps.db, clock.now())).toBe(0);

    clock.advance(90 * 60_000);
    // "late" is solved after its due time but before the sweep gets to it: still missed
    await solve(late);
    expect(await sweepFollowups(t.deps.db, clock.now())).toBe(4);
    expect(await sweepFollowups(t.deps.db, clock.now())).toBe(0);

    const reminded = async (id: string) => (await eventsOf(id)).filter((e) => e.type === 'ticket.followup_due');
    expect((await eventsOf(inTime)).some((e) => e.type === 'ticket.followup_kept')).toBe(true);
    expect(await reminded(inTime)).toEqual([]);
    for (const id of [late, reopened, neverSolved]) expect((await reminded(id)).map((e) => e.payload.notify)).toEqual([[owner.id]]);
    expect(await transferRow(owner)).toMatchObject({ transfers: 4, followupsKept: 1, followupsMissed: 3, followupsOpen: 0 });

    const mine = await followingUp(owner);
    expect(mine.every((f) => f.overdue)).toBe(true);
    const f = mine.find((x) => x.ticket.id === neverSolved);
    expect((await api(t, helper, 'POST', `/routing/followups/${f?.id}/close`, { contactedCustomer: true })).statusCode).toBe(404);
    expect((await api(t, owner, 'POST', `/routing/followups/${f?.id}/close`, { contactedCustomer: true })).statusCode).toBe(204);
    expect((await api(t, owner, 'POST', `/routing/followups/${f?.id}/close`, { contactedCustomer: true })).statusCode).toBe(409);
    expect((await followingUp(owner)).map((x) => x.ticket.id)).not.toContain(neverSolved);
    expect(await followingUp(owner, 'closed')).toEqual([expect.objectContaining({ id: f?.id, state: 'closed', contactedCustomer: true })]);
  });
});

describe('escalation to the team lead', () => {
  it('assigns to the lead in one action and records it; 400 without a team or a lead, 409 when the lead has it', async () => {
    const agent = await createStaff(t, 'agent', { name: 'Esc Eli' });
    const lead = await createStaff(t, 'supervisor', { name: 'Esc Lead' });
    const leaderless = await insertTeam(t, 'Leaderless', [agent.id]);
    const noLead = await openTicket(t, admin, { teamId: leaderless, assigneeId: agent.id });
    const refused = await api(t, agent, 'POST', `/tickets/${noLead.id}/escalate`, { note: 'wants a supervisor' });
    expect(refused.statusCode).toBe(400);
    expect(refused.json()).toMatchObject({ code: 'BAD_REQUEST', title: "The ticket's team has no team lead to escalate to" });
    expect((await api(t, agent, 'POST', `/tickets/${noLead.id}/escalate`, { note: '' })).statusCode).toBe(400);

    const led = await insertTeam(t, 'Led', [agent.id, lead.id]);
    await t.deps.db.execute(`UPDATE teams SET lead_id = '${lead.id}' WHERE id = '${led}'`);
    const ticket = await openTicket(t, admin, { teamId: led, assigneeId: agent.id });
    const res = await api(t, agent, 'POST', `/tickets/${ticket.id}/escalate`, { note: 'Customer asks for a supervisor' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ assigneeId: lead.id, teamId: led });
    expect((await eventsOf(ticket.id)).find((e) => e.type === 'ticket.escalated')?.payload).toMatchObject({ from: agent.id, toUserId: lead.id, followUpOwner: agent.id });
    const log = await t.deps.db.execute(`SELECT user_id, strategy FROM assignment_log WHERE ticket_id = '${ticket.id}'`);
    expect(log.rows).toEqual([{ user_id: lead.id, strategy: 'escalation' }]);
    expect((await followingUp(agent)).map((f) => f.ticket.id)).toContain(ticket.id);
    expect((await api(t, agent, 'POST', `/tickets/${ticket.id}/escalate`, { note: 'again' })).statusCode).toBe(409);
  });
});
