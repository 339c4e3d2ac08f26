import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ManualClock } from '../src/platform/clock.ts';
import { createStaff, type TestStaff } from './factories.ts';
import { createTestApp, type TestApp } from './harness.ts';
import { api, insertCategory, openTicket } from './tickets-helpers.ts';

let t: TestApp;
let supervisor: TestStaff;
let agent: TestStaff;
let collaborator: TestStaff;
let outage: string;
const DAY = 86_400_000;

beforeAll(async () => {
  t = await createTestApp();
  supervisor = await createStaff(t, 'supervisor');
  agent = await createStaff(t, 'agent');
  collaborator = await createStaff(t, 'collaborator');
  outage = await insertCategory(t, 'Internet outage');
});
afterAll(async () => {
  await t?.close();
});

const clock = () => t.clock as ManualClock;

async function plan(body: Record<string, unknown> = {}) {
  const res = await api(t, supervisor, 'POST', '/action-plans', {
    title: 'Stop the evening outages',
    problem: 'Customers in Dhaka North lose internet every evening between 8 and 10 pm.',
    ownerName: 'Network operations',
    categoryId: outage,
    ...body,
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

describe('action plans', () => {
  it('lets a supervisor open a plan from a hot button with its tickets; agents read it but cannot change it', async () => {
    const a = await openTicket(t, agent, { categoryId: outage });
    const b = await openTicket(t, agent, { categoryId: outage });
    const p = await plan({ tickets: [String(a.number), b.id], source: { kind: 'spike', note: '4× normal for this hour' }, dueDate: '2026-12-31' });
    expect(p).toMatchObject({
      status: 'open',
      ownerName: 'Network operations',
      category: { id: outage, name: 'Internet outage' },
      ticketCount: 2,
      waitingCount: 2,
      source: { kind: 'spike', note: '4× normal for this hour' },
      createdBy: { id: supervisor.id },
    });
    expect((await api(t, agent, 'GET', `/action-plans/${p.id}`)).json().title).toBe('Stop the evening outages');
    const linked = (await api(t, agent, 'GET', `/action-plans/${p.id}/tickets`)).json().items.map((x: { id: string }) => x.id);
    expect(linked.sort()).toEqual([a.id, b.id].sort());
    // a collaborator sees only the linked tickets they are on
    await api(t, agent, 'POST', `/tickets/${a.id}/collaborators`, { userId: collaborator.id });
    const theirs = (await api(t, collaborator, 'GET', `/action-plans/${p.id}/tickets`)).json().items.map((x: { id: string }) => x.id);
    expect(theirs).toEqual([a.id]);
    expect((await api(t, agent, 'POST', '/action-plans', { title: 'x', problem: 'y', ownerName: 'z', categoryId: outage })).statusCode).toBe(403);
    expect((await api(t, collaborator, 'PATCH', `/action-plans/${p.id}`, { status: 'dropped' })).statusCode).toBe(403);
    const events = await t.deps.db.execute(sql`SELECT count(*)::int AS n FROM events WHERE type = 'action_plan.created'`);
    expect((events.rows[0] as { n: number }).n).toBeGreaterThanOrEqual(1);
  });

  it('refuses a plan without a target, and names every unknown ticket', async () => {
    const none = await api(t, supervisor, 'POST', '/action-plans', { title: 'x', problem: 'y', ownerName: 'IT' });
    expect(none.statusCode).toBe(400);
    const bad = await api(t, supervisor, 'POST', '/action-plans', {
      title: 'x',
      problem: 'y',
      ownerName: 'IT',
      tag: 'router',
      tickets: ['999999', 'not-a-ticket'],
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors.map((e: { path: string }) => e.path)).toEqual(['tickets.0', 'tickets.1']);
  });

  it('ships a fix only with a description, and refuses impossible status moves', async () => {
    const p = await plan({ title: 'Fix shipping' });
    const noFix = await api(t, supervisor, 'PATCH', `/action-plans/${p.id}`, { status: 'fix_shipped' });
    expect(noFix.statusCode).toBe(400);
    expect((await api(t, supervisor, 'PATCH', `/action-plans/${p.id}`, { status: 'done' })).statusCode).toBe(409);
    const shipped = await api(t, supervisor, 'PATCH', `/action-plans/${p.id}`, { status: 'fix_shipped', fix: 'New uplink to the Gulshan POP' });
    expect(shipped.statusCode, shipped.body).toBe(200);
    expect(shipped.json().fixShippedAt).toBe(clock().now().toISOString());
  });

  it('shows contacts per week before and after the fix', async () => {
    const tagOnly = 'router-reboot';
    const start = clock().now();
    const at = (days: number) => new Date(start.getTime() + days * DAY).toISOString();
    const customer = (await openTicket(t, agent)).customer.id;
    // 3 a week for the 4 weeks before, 1 a week for the 2 weeks after
    const days = [-28, -27, -26, -21, -20, -19, -14, -13, -12, -7, -6, -5, 1, 8];
    for (const d of days) {
      await t.deps.db.execute(sql`INSERT INTO tickets (subject, channel, customer_id, tags, created_at, updated_at)
        VALUES ('Router keeps rebooting', 'email', ${customer}, ARRAY[${tagOnly}]::text[], ${at(d)}::timestamptz, ${at(d)}::timestamptz)`);
    }
    const p = await plan({ categoryId: null, tag: tagOnly, title: 'Router firmware' });
    const before = (await api(t, agent, 'GET', `/action-plans/${p.id}/impact?weeks=4`)).json();
    expect(before).toMatchObject({ basis: 'tag', splitAt: null, afterPerWeek: null, beforePerWeek: 3 });
    expect(before.weeks.map((w: { count: number }) => w.count)).toEqual([3, 3, 3, 3]);

    await api(t, supervisor, 'PATCH', `/action-plans/${p.id}`, { status: 'fix_shipped', fix: 'Firmware 2.1 pushed to every router' });
    clock().advance(14 * DAY);
    const after = (await api(t, agent, 'GET', `/action-plans/${p.id}/impact?weeks=4`)).json();
    expect(after.weeks.map((w: { count: number; after: boolean }) => [w.count, w.after])).toEqual([
      [3, false],
      [3, false],
      [3, false],
      [3, false],
      [1, true],
      [1, true],
    ]);
    expect(after.beforePerWeek).toBe(3);
    expect(after.afterPerWeek).toBe(1);
    expect(after.change).toBeCloseTo(-0.667, 3);
  });

  it('tells every waiting customer about the fix in their language, once', async () => {
    const bn = await openTicket(t, agent, { categoryId: outage, language: 'bn', subject: 'ইন্টারনেট নেই' });
    const hi = await openTicket(t, agent, { categoryId: outage, language: 'hi', subject: 'इंटरनेट बंद है' });
    const ta = await openTicket(t, agent, { categoryId: outage, language: 'ta', subject: 'No internet' });
    const solved = await openTicket(t, agent, { categoryId: outage });
    await api(t, agent, 'PATCH', `/tickets/${solved.id}`, { status: 'solved' });
    const p = await plan({ tickets: [bn.id, hi.id, ta.id, solved.id], title: 'Notify test' });

    const early = await api(t, supervisor, 'POST', `/action-plans/${p.id}/notify`, { messages: { en: 'Fixed' } });
    expect(early.statusCode).toBe(409);

    await api(t, supervisor, 'PATCH', `/action-plans/${p.id}`, { status: 'fix_shipped', fix: 'Replaced the faulty switch' });
    const messages = {
      en: 'Good news: the outage is fixed.',
      bn: 'সুখবর: সমস্যাটির সমাধান হয়েছে।',
      hi: 'अच्छी खबर: समस्या ठीक हो गई है।',
    };
    const res = await api(t, supervisor, 'POST', `/action-plans/${p.id}/notify`, { messages, solve: true });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ notified: 3, skipped: 1, byLanguage: { bn: 1, hi: 1, en: 1 } });

    const lastReply = async (id: string) => {
      const items = (await api(t, agent, 'GET', `/tickets/${id}/messages`)).json().items;
      return items[items.length - 1];
    };
    expect(await lastReply(bn.id)).toMatchObject({ kind: 'public', authorType: 'staff', bodyText: messages.bn });
    expect(await lastReply(hi.id)).toMatchObject({ bodyText: messages.hi });
    expect(await lastReply(ta.id)).toMatchObject({ bodyText: messages.en });
    expect((await api(t, agent, 'GET', `/tickets/${bn.id}`)).json().status).toBe('solved');
    expect((await api(t, agent, 'GET', `/action-plans/${p.id}`)).json().waitingCount).toBe(0);

    const again = await api(t, supervisor, 'POST', `/action-plans/${p.id}/notify`, { messages });
    expect(again.json()).toEqual({ notified: 0, skipped: 4, byLanguage: {} });
    const count = (await api(t, agent, 'GET', `/tickets/${bn.id}/messages`)).json().items.length;
    expect(count).toBe(2);
  });
});

describe('kudos', () => {
  it('lets a manager thank someone for a ticket; agents cannot send kudos, and nobody thanks themselves', async () => {
    const tk = await openTicket(t, agent);
    const res = await api(t, supervisor, 'POST', '/kudos', { toStaffId: agent.id, ticketId: String(tk.number), message: 'Lovely, patient reply!' });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ to: { id: agent.id }, from: { id: supervisor.id }, ticket: { id: tk.id, number: tk.number } });
    expect((await api(t, agent, 'POST', '/kudos', { toStaffId: supervisor.id, message: 'x' })).statusCode).toBe(403);
    expect((await api(t, supervisor, 'POST', '/kudos', { toStaffId: supervisor.id, message: 'me' })).statusCode).toBe(400);
    const mine = (await api(t, agent, 'GET', `/kudos?toStaffId=${agent.id}`)).json().items;
    expect(mine.map((k: { message: string }) => k.message)).toEqual(['Lovely, patient reply!']);
    const ev = await t.deps.db.execute(sql`SELECT payload FROM events WHERE type = 'kudos.received' ORDER BY id DESC LIMIT 1`);
    expect((ev.rows[0] as { payload: { toStaffId: string } }).payload.toStaffId).toBe(agent.id);
  });
});
