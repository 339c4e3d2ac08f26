import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/platform/clock.ts';
import { createStaff, type TestStaff } from './factories.ts';
import { createTestApp, type TestApp } from './harness.ts';
import { api, insertCategory, openTicket } from './tickets-helpers.ts';

/**
 * Four weeks of history (Mondays 2026-03-02 … 03-23):
 *   phone  Monday 10:00 UTC, 2 a week           → forecast 2/h, default 300 s → Erlang C: 1 on the floor → 2 rostered
 *   email  Tuesday 14:00 UTC, 1 a week          → 1/h, measured 600 s → 0.196 agents of work → 1 rostered
 *   web    Monday 09:00 UTC, 1 a week, "Internet outage" (the baseline for the spike check)
 */
const clock = new ManualClock(new Date('2026-03-02T00:00:00Z'));
let t: TestApp;
let sup: TestStaff;
let admin: TestStaff;
let agent: TestStaff;
let outage: string;
const WEEK = 7 * 86_400_000;

function atTime(iso: string, plusMs = 0) {
  clock.set(new Date(new Date(iso).getTime() + plusMs));
}

beforeAll(async () => {
  t = await createTestApp({ clock });
  sup = await createStaff(t, 'supervisor');
  admin = await createStaff(t, 'admin');
  agent = await createStaff(t, 'agent');
  outage = await insertCategory(t, 'Internet outage');
  for (let w = 0; w < 4; w += 1) {
    for (let i = 0; i < 2; i += 1) {
      atTime('2026-03-02T10:05:00Z', w * WEEK + i * 60_000);
      await openTicket(t, sup, { channel: 'phone' });
    }
    atTime('2026-03-03T14:05:00Z', w * WEEK);
    const email = await openTicket(t, sup, { channel: 'email', assigneeId: agent.id });
    if (w === 0) {
      atTime('2026-03-03T14:30:00Z');
      const reply = await api(t, agent, 'POST', `/tickets/${email.id}/messages`, { body: 'Fixed' });
      expect(reply.statusCode, reply.body).toBe(201);
      const messageId = reply.json().id as string;
      const set = await api(t, agent, 'PUT', `/insights/messages/${messageId}/handle-time`, { seconds: 600 });
      expect(set.statusCode, set.body).toBe(200);
      expect((await api(t, await createStaff(t, 'agent'), 'PUT', `/insights/messages/${messageId}/handle-time`, { seconds: 1 })).statusCode).toBe(403);
    }
    atTime('2026-03-02T09:05:00Z', w * WEEK);
    await openTicket(t, sup, { channel: 'web', categoryId: outage });
  }
  clock.set(new Date('2026-03-30T00:30:00Z'));
});
afterAll(async () => {
  await t?.close();
});

describe('staffing plan', () => {
  it('forecasts arrivals per hour of the week and sizes the roster with Erlang C, workload and shrinkage', async () => {
    const shift = await api(t, sup, 'POST', '/insights/shifts', { staffId: agent.id, weekday: 1, startHour: 9, endHour: 12 });
    expect(shift.statusCode, shift.body).toBe(201);
    const res = await api(t, sup, 'GET', '/insights/staffing?weeks=4');
    expect(res.statusCode, res.body).toBe(200);
    const plan = res.json();
    expect(plan.handleSeconds).toMatchObject({ phone: 300, email: 600 });
    const hour = (d: number, h: number) => plan.hours.find((x: { weekday: number; hour: number }) => x.weekday === d && x.hour === h);
    expect(hour(1, 10)).toMatchObject({ arrivals: 2, byChannel: { phone: 2 }, onFloor: 1, required: 2, scheduled: 1, gap: 1 });
    expect(hour(2, 14)).toMatchObject({ arrivals: 1, byChannel: { email: 1 }, onFloor: 0.2, required: 1, scheduled: 0, gap: 1 });
    expect(hour(1, 11)).toMatchObject({ arrivals: 0, required: 0, scheduled: 1, gap: -1 });
    expect(plan.suggestedShifts).toEqual(
      expect.arrayContaining([
        { weekday: 1, startHour: 10, endHour: 13, agents: 1 },
        { weekday: 2, startHour: 14, endHour: 17, agents: 1 },
      ]),
    );
  });
});

describe('cost per channel', () => {
  it('prices recorded handle time at the loaded cost of the role, per contact and per resolved ticket', async () => {
    const res = await api(t, sup, 'GET', '/insights/cost?from=2026-03-01T00:00:00Z&to=2026-03-30T00:00:00Z');
    expect(res.statusCode, res.body).toBe(200);
    const c = res.json();
    const email = c.channels.find((r: { channel: string }) => r.channel === 'email');
    // 600 s at 20/h = 3.33; 4 email contacts; none solved
    expect(email).toEqual({ channel: 'email', contacts: 4, resolved: 0, handleSeconds: 600, cost: 3.33, costPerContact: 0.83, costPerResolved: null });
    expect(c.channels.find((r: { channel: string }) => r.channel === 'phone')).toMatchObject({ contacts: 8, cost: 0, costPerContact: 0 });
    expect(c.selfService).toEqual({ ticketsAvoided: 0, estimatedSaving: 0 });
  });
});

describe('spike alerts', () => {
  it('alerts once when a category runs far above its own hour-of-week baseline, for the chosen people', async () => {
    const set = await api(t, admin, 'PATCH', '/insights/settings', { alertRecipientIds: [sup.id] });
    expect(set.statusCode, set.body).toBe(200);
    for (let i = 0; i < 11; i += 1) {
      atTime('2026-03-30T09:01:00Z', i * 60_000);
      await openTicket(t, sup, { channel: 'web', categoryId: outage });
    }
    const alerts = (await api(t, sup, 'GET', '/insights/alerts')).json();
    expect(alerts.items).toHaveLength(1);
    expect(alerts.items[0]).toMatchObject({ categoryId: outage, categoryName: 'Internet outage', hour: '2026-03-30T09:00:00.000Z', count: 10, baseline: 1, ratio: 10 });
    const { rows } = await t.deps.database.pool.query(`SELECT payload FROM events WHERE type = 'insights.spike_detected'`);
    expect(rows).toHaveLength(1);
    expect(rows[0].payload).toMatchObject({ categoryId: outage, count: 10, recipientIds: [sup.id] });
  });

  it('stays quiet for a normal hour', async () => {
    atTime('2026-03-30T10:01:00Z');
    await openTicket(t, sup, { channel: 'phone' });
    await openTicket(t, sup, { channel: 'web', categoryId: outage });
    expect((await api(t, sup, 'GET', '/insights/alerts')).json().items).toHaveLength(1);
  });
});
